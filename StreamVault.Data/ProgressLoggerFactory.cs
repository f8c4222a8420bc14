using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace StreamVault.Data;

/// <summary>
/// The logger factory <see cref="StreamVaultDatabase.Configure"/> hands EF when a caller wants logs or progress:
/// it forwards everything to the caller's factory and turns EF's migration events into <see cref="IMigrationProgress"/>
/// calls. EF has no other public hook that names each migration as it starts.
/// </summary>
internal sealed class ProgressLoggerFactory(ILoggerFactory? inner, IMigrationProgress? progress) : ILoggerFactory
{
    private readonly ILoggerFactory _inner = inner ?? NullLoggerFactory.Instance;

    public ILogger CreateLogger(string categoryName)
    {
        var logger = _inner.CreateLogger(categoryName);
        return progress is not null && categoryName == DbLoggerCategory.Migrations.Name
            ? new ProgressLogger(logger, progress)
            : logger;
    }

    public void AddProvider(ILoggerProvider provider) => _inner.AddProvider(provider);

    /// <summary>The caller owns the inner factory; EF never disposes a factory it was given.</summary>
    public void Dispose()
    {
    }

    private sealed class ProgressLogger(ILogger inner, IMigrationProgress progress) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
            => inner.BeginScope(state);

        // Information must stay enabled for EF to raise the migration events at all.
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information || inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id == RelationalEventId.MigrationApplying.Id || eventId.Id == RelationalEventId.MigrationReverting.Id)
            {
                if (MigrationId(state) is { } id)
                {
                    progress.MigrationStarting(id, reverting: eventId.Id == RelationalEventId.MigrationReverting.Id);
                }
            }
            else if (eventId.Id == MigrationEventIds.UpToDate || eventId.Id == RelationalEventId.MigrationsNotApplied.Id)
            {
                progress.NothingToApply();
            }

            if (inner.IsEnabled(logLevel))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
        }

        private static string? MigrationId<TState>(TState state)
            => state is IReadOnlyList<KeyValuePair<string, object?>> values
                ? values.FirstOrDefault(v => v.Key == "migration").Value as string
                : null;
    }
}

using Microsoft.Extensions.Logging;
using StreamVault.Data;

namespace StreamVault.Cli;

/// <summary>
/// EF's and the engine's log on stderr. Without --verbose only the engine's operational notices pass (waiting
/// for another run's lock, lock-timeout retries, ledger reconcile notes); errors are reported once, by the command.
/// </summary>
internal sealed class ConsoleLog(TextWriter error, bool verbose) : ILoggerFactory
{
    private static readonly HashSet<int> Notices =
        [MigrationEventIds.WaitingForRunLock, MigrationEventIds.LockTimeoutRetry, MigrationEventIds.Reconciled];

    private readonly Lock _gate = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private bool Enabled(LogLevel level) => verbose ? level >= LogLevel.Debug : level >= LogLevel.Information;

    private void Write(string categoryName, LogLevel level, EventId eventId, string message, Exception? exception)
    {
        if (!verbose && !Notices.Contains(eventId.Id))
        {
            return;
        }

        lock (_gate)
        {
            error.WriteLine(verbose ? $"{level.ToString().ToLowerInvariant()}: {categoryName}[{eventId.Id}]: {message}" : message);
            if (verbose && exception is not null)
            {
                error.WriteLine(exception);
            }
        }
    }

    private sealed class Logger(ConsoleLog owner, string categoryName) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
            => null;

        public bool IsEnabled(LogLevel logLevel) => owner.Enabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (owner.Enabled(logLevel))
            {
                owner.Write(categoryName, logLevel, eventId, formatter(state, exception), exception);
            }
        }
    }
}

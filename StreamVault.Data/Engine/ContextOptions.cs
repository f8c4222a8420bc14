using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging;

namespace StreamVault.Data.Engine;

/// <summary>
/// The one place that turns a connection string into EF Core options: the public entry points
/// (<see cref="StreamVaultDatabase"/>), the design-time factory, the hosting runner, the operations and the tests all
/// come here, so no entry point drifts.
/// </summary>
internal static class ContextOptions
{
    /// <summary>Table EF Core records applied migrations in (EF's default name, kept for tooling).</summary>
    public const string HistoryTable = "__EFMigrationsHistory";

    /// <summary>See <see cref="ContextOptions.Configure"/>.</summary>
    public static DbContextOptionsBuilder Configure(
        DbContextOptionsBuilder builder, string connectionString, StreamVaultDataOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        options ??= new StreamVaultDataOptions();

        builder
            // One data source per connection string, shared with the engine's own connections and the operations.
            .UseNpgsql(StreamVaultConnections.DataSource(connectionString), npgsql =>
            {
                npgsql.MigrationsHistoryTable(HistoryTable);
                if (options.MigrationsAssembly is not null)
                {
                    npgsql.MigrationsAssembly(options.MigrationsAssembly);
                }

                if (options.CommandTimeoutSeconds is { } timeout)
                {
                    npgsql.CommandTimeout(timeout);
                }
            })
            .UseSnakeCaseNamingConvention()
            // Concurrent index builds must run outside a transaction; the migration doing so drops what a
            // failed build leaves behind and is safe to rerun, so EF's generic warning is only noise there.
            .ConfigureWarnings(w => w.Log((RelationalEventId.NonTransactionalMigrationOperationWarning, LogLevel.Debug)))
            // The engine (run lock, lock timeouts, no-op fast path) and the ledger replace EF's own migration
            // services, so dotnet ef, the bundle, Migrate() and scripts all carry them.
            .UseStreamVaultEngine();
        if (options.LoggerFactory is not null || options.Progress is not null)
        {
            builder.UseLoggerFactory(new ProgressLoggerFactory(options.LoggerFactory, options.Progress));
        }

        ((IDbContextOptionsBuilderInfrastructure)builder).AddOrUpdateExtension(new StreamVaultOptionsExtension(options));
        return builder;
    }

    public static DbContextOptions<StreamVaultDbContext> Create(string connectionString, StreamVaultDataOptions? options = null)
    {
        var builder = new DbContextOptionsBuilder<StreamVaultDbContext>();
        Configure(builder, connectionString, options);
        return builder.Options;
    }

    public static StreamVaultDbContext CreateContext(string connectionString, StreamVaultDataOptions? options = null)
        => new(Create(connectionString, options));
}

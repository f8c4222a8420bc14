using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Infrastructure;
using StreamVault.Data.Engine;

namespace StreamVault.Data;

/// <summary>
/// The one place that turns a connection string into EF Core options. The design-time factory,
/// the hosting extension, the CLI and the tests all call it, so no entry point drifts.
/// </summary>
public static class StreamVaultDatabase
{
    /// <summary>Environment variable every command falls back to when no <c>--connection</c> is given.</summary>
    public const string ConnectionEnvironmentVariable = "STREAMVAULT_CONNECTION";

    /// <summary>Environment variable naming a file that holds the connection string (the Docker/Kubernetes secrets convention).</summary>
    public const string ConnectionFileEnvironmentVariable = "STREAMVAULT_CONNECTION_FILE";

    /// <summary>Table EF Core records applied migrations in (EF's default name, kept for tooling).</summary>
    public const string HistoryTable = "__EFMigrationsHistory";

    /// <summary>
    /// Configures <paramref name="builder"/> for StreamVault: Npgsql, snake_case names, and the engine and ledger
    /// services that replace EF's own migration services.
    /// </summary>
    /// <param name="builder">The options builder to configure (e.g. from <c>AddDbContext</c>).</param>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="options">Engine settings; defaults when null.</param>
    /// <returns>The same builder.</returns>
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

    /// <summary>Options for a <see cref="StreamVaultDbContext"/>, built by <see cref="Configure"/>.</summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="options">Engine settings; defaults when null.</param>
    /// <returns>The built options.</returns>
    public static DbContextOptions<StreamVaultDbContext> CreateOptions(
        string connectionString, StreamVaultDataOptions? options = null)
    {
        var builder = new DbContextOptionsBuilder<StreamVaultDbContext>();
        Configure(builder, connectionString, options);
        return builder.Options;
    }

    /// <summary>A new context on <paramref name="connectionString"/>, built by <see cref="Configure"/>.</summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="options">Engine settings; defaults when null.</param>
    /// <returns>A context the caller disposes.</returns>
    public static StreamVaultDbContext CreateContext(string connectionString, StreamVaultDataOptions? options = null)
        => new(CreateOptions(connectionString, options));

    /// <summary>The connection string with any password removed, safe for logs and messages.</summary>
    public static string Redact(string connectionString) => StreamVaultConnections.Redact(connectionString);
}

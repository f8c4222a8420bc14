using Microsoft.EntityFrameworkCore;
using StreamVault.Data.Engine;

namespace StreamVault.Data;

/// <summary>
/// EF Core options for StreamVault, for an app that builds its own context or calls <c>Database.Migrate()</c> itself:
/// the same options (and so the same engine: run lock, lock timeouts, ledger) as every other entry point.
/// </summary>
public static class StreamVaultDatabase
{
    /// <summary>Environment variable every command falls back to when no <c>--connection</c> is given.</summary>
    public const string ConnectionEnvironmentVariable = "STREAMVAULT_CONNECTION";

    /// <summary>Environment variable naming a file that holds the connection string (the Docker/Kubernetes secrets convention).</summary>
    public const string ConnectionFileEnvironmentVariable = "STREAMVAULT_CONNECTION_FILE";

    /// <summary>Table EF Core records applied migrations in (EF's default name, kept for tooling).</summary>
    public const string HistoryTable = ContextOptions.HistoryTable;

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
        => ContextOptions.Configure(builder, connectionString, options);

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
        => ContextOptions.CreateContext(connectionString, options);

    /// <summary>The connection string with any password removed, safe for logs and messages.</summary>
    public static string Redact(string connectionString) => StreamVaultConnections.Redact(connectionString);
}

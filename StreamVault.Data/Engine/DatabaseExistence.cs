using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace StreamVault.Data.Engine;

/// <summary>
/// The one check before a full run: EF's migrator creates a missing database, so a typo in <c>Database=</c> would
/// become a new, empty database. Unless <see cref="StreamVaultDataOptions.CreateDatabaseIfMissing"/> is set, a
/// missing database stops the run here, before anything is created (as Flyway, Liquibase and Atlas do).
/// </summary>
internal static class DatabaseExistence
{
    /// <exception cref="MissingDatabaseException">The database does not exist and creating it was not asked for.</exception>
    public static async Task EnsureAsync(DbContext context, bool async, CancellationToken cancellationToken)
    {
        if (StreamVaultOptionsExtension.From(context.GetService<IDbContextOptions>()).CreateDatabaseIfMissing)
        {
            return;
        }

        // Opened exactly as the run will open it (same data source, password, pgpass, TLS), so the answer is the run's;
        // the refusal is no error EF logs (CheckConnection). Other failures propagate as they are.
        var connection = context.GetService<IRelationalConnection>();
        try
        {
            await using var open = await CheckConnection.OpenAsync(connection, async, cancellationToken);
        }
        catch (PostgresException missing) when (missing.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            // From the settings: a connection that never opened knows no host or port of its own.
            var target = StreamVaultConnections.Target(connection.DbConnection.ConnectionString);
            throw new MissingDatabaseException(target.Database, target.Server);
        }
    }
}

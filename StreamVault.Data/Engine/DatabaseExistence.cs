using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

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

        // EF's own test (Npgsql: an unpooled open, false on 3D000); other connection failures propagate as they are.
        var creator = (IRelationalDatabaseCreator)context.GetService<IDatabaseCreator>();
        var exists = async ? await creator.ExistsAsync(cancellationToken) : creator.Exists();
        if (!exists)
        {
            // From the settings: a connection that never opened knows no host or port of its own.
            var settings = StreamVaultConnections.Parse(context.Database.GetDbConnection().ConnectionString);
            throw new MissingDatabaseException(settings.Database ?? settings.Username ?? "?", $"{settings.Host}:{settings.Port}");
        }
    }
}

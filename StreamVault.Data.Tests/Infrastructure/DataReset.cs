using Npgsql;
using Respawn;
using Respawn.Graph;

namespace StreamVault.Data.Tests.Infrastructure;

/// <summary>
/// Empties every table in schema public between data-only tests that share one migrated database,
/// keeping the migration history so the schema stays as migrated.
/// </summary>
public sealed class DataReset
{
    private readonly string connectionString;
    private readonly Respawner respawner;

    private DataReset(string connectionString, Respawner respawner)
    {
        this.connectionString = connectionString;
        this.respawner = respawner;
    }

    public static async Task<DataReset> CreateAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var respawner = await Respawner.CreateAsync(connection, new RespawnerOptions
        {
            DbAdapter = DbAdapter.Postgres,
            SchemasToInclude = ["public"],
            TablesToIgnore = [new Table(StreamVaultDatabase.HistoryTable), new Table("applied_migrations"), new Table("migrations")],
        });
        return new DataReset(connectionString, respawner);
    }

    public async Task ResetAsync()
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await respawner.ResetAsync(connection);
    }
}

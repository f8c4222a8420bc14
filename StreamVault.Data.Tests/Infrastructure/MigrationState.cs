using System.Text;
using Npgsql;

namespace StreamVault.Data.Tests.Infrastructure;

/// <summary>What a migration run leaves behind, as text to compare between entry points.</summary>
public static class MigrationState
{
    /// <summary>Schema of the model tables, the ledger rows (without applied_at and execution_ms) and EF's history rows.</summary>
    public static async Task<string> CaptureAsync(string connectionString)
    {
        var text = new StringBuilder(await SchemaFingerprint.CaptureAsync(connectionString, [.. SchemaFingerprint.ModelTables, "applied_migrations"]));
        text.AppendLine("ledger:");
        await AppendRowsAsync(connectionString, text, """
            SELECT migration_name, success, ef_migration_id, checksum, error, applied_by
            FROM applied_migrations ORDER BY migration_name COLLATE "C"
            """);
        text.AppendLine("history:");
        await AppendRowsAsync(connectionString, text, """
            SELECT migration_id, product_version FROM "__EFMigrationsHistory" ORDER BY migration_id COLLATE "C"
            """);
        return text.ToString();
    }

    /// <summary>The state in-process <c>MigrateAsync()</c> produces on a copy of what <paramref name="prepare"/> builds.</summary>
    public static async Task<string> InProcessReferenceAsync(Func<TestDatabase, Task> prepare)
    {
        await using var database = await TestDatabase.CreateAsync();
        await prepare(database);
        await using (var context = StreamVaultDatabase.CreateContext(database.ConnectionString))
        {
            await Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.MigrateAsync(context.Database);
        }

        return await CaptureAsync(database.ConnectionString);
    }

    private static async Task AppendRowsAsync(string connectionString, StringBuilder text, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var values = new object[reader.FieldCount];
            reader.GetValues(values);
            text.AppendLine("  " + string.Join(" | ", values.Select(v => v is DBNull ? "NULL" : Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture))));
        }
    }
}

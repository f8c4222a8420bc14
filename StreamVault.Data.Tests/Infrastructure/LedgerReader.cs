using Npgsql;

namespace StreamVault.Data.Tests.Infrastructure;

/// <summary>One row of applied_migrations as the tests compare it.</summary>
public sealed record LedgerRow(
    string Name, bool? Success, DateTime? AppliedAt, string? EfMigrationId, string? Checksum, int? ExecutionMs, string? Error, string? AppliedBy)
{
    /// <summary>The row without what legitimately differs between runs (when and how fast).</summary>
    public LedgerRow Comparable => this with { AppliedAt = null, ExecutionMs = null };
}

/// <summary>Reads EF's history and the legacy ledger straight from the catalog tables.</summary>
public static class LedgerReader
{
    public static async Task<IReadOnlyList<string>> HistoryAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""SELECT migration_id FROM "__EFMigrationsHistory" ORDER BY migration_id""", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<string>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    public static async Task<IReadOnlyList<LedgerRow>> RowsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT migration_name, success, applied_at, ef_migration_id, checksum, execution_ms, error, applied_by
            FROM applied_migrations ORDER BY migration_name
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<LedgerRow>();
        while (await reader.ReadAsync())
        {
            rows.Add(new LedgerRow(
                reader.GetString(0),
                reader.IsDBNull(1) ? null : reader.GetBoolean(1),
                reader.IsDBNull(2) ? null : reader.GetDateTime(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetInt32(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetString(7)));
        }

        return rows;
    }
}

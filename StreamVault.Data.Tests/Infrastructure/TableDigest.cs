using Npgsql;

namespace StreamVault.Data.Tests.Infrastructure;

/// <summary>
/// Per-table row count and a hash of every row's text, so "the data did not change" is one dictionary comparison.
/// Rows are hashed in byte order of their text, so physical order (vacuum, updates) does not matter.
/// </summary>
public static class TableDigest
{
    public static async Task<IReadOnlyDictionary<string, string>> CaptureAsync(string connectionString, IEnumerable<string> tables)
    {
        ArgumentNullException.ThrowIfNull(tables);

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();

        var digests = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            var sql = $"""
                SELECT count(*), md5(coalesce(string_agg(t::text, E'\n' ORDER BY t::text COLLATE "C"), ''))
                FROM public.{Sql.Identifier(table)} t
                """;
            await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 300 };
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            digests[table] = $"{reader.GetInt64(0)} rows, md5 {reader.GetString(1)}";
        }

        return digests;
    }

    /// <summary>Every ordinary and partitioned table in schema public, in byte order of name.</summary>
    public static async Task<IReadOnlyList<string>> ListTablesAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT c.relname
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
            ORDER BY c.relname COLLATE "C"
            """,
            connection);
        await using var reader = await command.ExecuteReaderAsync();
        var tables = new List<string>();
        while (await reader.ReadAsync())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    /// <summary>Tables in schema public the EF model does not map: legacy data a migration must leave alone.</summary>
    public static async Task<IReadOnlyList<string>> ListTablesOutsideModelAsync(string connectionString)
        => (await ListTablesAsync(connectionString))
            .Except(SchemaFingerprint.ModelTables, StringComparer.Ordinal)
            .ToList();
}

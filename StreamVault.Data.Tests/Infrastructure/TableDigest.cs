using Npgsql;

namespace StreamVault.Data.Tests.Infrastructure;

/// <summary>
/// Per-table row count and a hash of every row's text, so "the data did not change" is one dictionary comparison.
/// Rows are hashed in byte order of their text, so physical order (vacuum, updates) does not matter.
/// </summary>
public static class TableDigest
{
    public static async Task<IReadOnlyDictionary<string, string>> CaptureAsync(string connectionString, IEnumerable<string> tables)
        => await CaptureAsync(connectionString, await ColumnsAsync(connectionString, tables));

    /// <summary>
    /// Digests over the given columns only: a migration that adds a column changes every row's full text,
    /// so "pre-existing rows unchanged" compares the columns the rows had before.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, string>> CaptureAsync(
        string connectionString, IReadOnlyDictionary<string, IReadOnlyList<string>> columnsByTable)
    {
        ArgumentNullException.ThrowIfNull(columnsByTable);

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();

        var digests = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (table, columns) in columnsByTable)
        {
            var row = $"ROW({string.Join(", ", columns.Select(c => "t." + Sql.Identifier(c)))})::text";
            var sql = $"""
                SELECT count(*), md5(coalesce(string_agg({row}, E'\n' ORDER BY {row} COLLATE "C"), ''))
                FROM public.{Sql.Identifier(table)} t
                """;
            await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 300 };
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            digests[table] = $"{reader.GetInt64(0)} rows, md5 {reader.GetString(1)}";
        }

        return digests;
    }

    /// <summary>Each table's current columns in their physical order.</summary>
    public static async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> ColumnsAsync(string connectionString, IEnumerable<string> tables)
    {
        ArgumentNullException.ThrowIfNull(tables);

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var result = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            await using var command = new NpgsqlCommand(
                """
                SELECT attname FROM pg_attribute
                WHERE attrelid = ('public.' || quote_ident(@table))::regclass AND attnum > 0 AND NOT attisdropped
                ORDER BY attnum
                """, connection);
            command.Parameters.AddWithValue("table", table);
            await using var reader = await command.ExecuteReaderAsync();
            var columns = new List<string>();
            while (await reader.ReadAsync())
            {
                columns.Add(reader.GetString(0));
            }

            result[table] = columns;
        }

        return result;
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

    /// <summary>The model's tables a database has (an older release's lacks some), in ordinal order.</summary>
    public static async Task<IReadOnlyList<string>> ListModelTablesAsync(string connectionString)
        => (await ListTablesAsync(connectionString))
            .Intersect(SchemaFingerprint.ModelTables, StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>Tables in schema public the EF model does not map: legacy data a migration must leave alone.</summary>
    public static async Task<IReadOnlyList<string>> ListTablesOutsideModelAsync(string connectionString)
        => (await ListTablesAsync(connectionString))
            .Except(SchemaFingerprint.ModelTables, StringComparer.Ordinal)
            .ToList();
}

using System.Globalization;
using Npgsql;

namespace StreamVault.Data.Engine;

/// <summary>A table of the current schema: its estimated rows (and where the estimate comes from) and its file node.</summary>
/// <param name="Name">The table's name.</param>
/// <param name="Rows">Estimated rows, null when the table was never analyzed nor written since the server started.</param>
/// <param name="RowsSource"><c>reltuples</c> (the last ANALYZE or VACUUM), <c>statistics</c> (the live-row counter), or <c>unknown</c>.</param>
/// <param name="FileNode">Its relfilenode, which a rewrite changes.</param>
internal sealed record TableInfo(string Name, long? Rows, string RowsSource, long FileNode);

/// <summary>A column: its type as <c>format_type</c> prints it, nullability, and default expression.</summary>
internal sealed record ColumnInfo(string Type, bool NotNull, string? Default);

/// <summary>An index of the current schema.</summary>
internal sealed record IndexInfo(string Table, bool Valid, bool Unique, string Definition);

/// <summary>A constraint: its kind (<c>p</c>, <c>u</c>, <c>f</c>, <c>c</c>, …), whether validated, and a foreign key's referenced table.</summary>
internal sealed record ConstraintInfo(char Kind, bool Validated, string? References);

/// <summary>
/// The current schema's tables, columns, indexes and constraints as the catalog has them, read with catalog queries
/// only (pg_class, pg_attribute, pg_index, pg_constraint, the statistics views): no table of the schema is read or
/// locked. What a statement planner decides presence from.
/// </summary>
internal sealed class CatalogSnapshot
{
    private const string TablesQuery = """
        SELECT c.relname, c.reltuples::float8, c.relpages::int8, coalesce(s.n_live_tup, -1)::int8, c.relfilenode::int8
        FROM pg_class c LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
        WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
        """;

    private const string ColumnsQuery = """
        SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, d.adrelid)
        FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
        """;

    private const string IndexesQuery = """
        SELECT i.relname, t.relname, x.indisvalid, x.indisunique, pg_get_indexdef(x.indexrelid)
        FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
        WHERE i.relnamespace = current_schema()::regnamespace
        """;

    private const string ConstraintsQuery = """
        SELECT t.relname, co.conname, co.contype::text, co.convalidated, r.relname
        FROM pg_constraint co JOIN pg_class t ON t.oid = co.conrelid LEFT JOIN pg_class r ON r.oid = co.confrelid
        WHERE t.relnamespace = current_schema()::regnamespace
        """;

    private CatalogSnapshot(
        Dictionary<string, TableInfo> tables, Dictionary<(string, string), ColumnInfo> columns, Dictionary<string, IndexInfo> indexes,
        Dictionary<(string, string), ConstraintInfo> constraints)
    {
        Tables = tables;
        Columns = columns;
        Indexes = indexes;
        Constraints = constraints;
    }

    public IReadOnlyDictionary<string, TableInfo> Tables { get; }

    public IReadOnlyDictionary<(string Table, string Column), ColumnInfo> Columns { get; }

    /// <summary>Indexes by name (unique within a schema).</summary>
    public IReadOnlyDictionary<string, IndexInfo> Indexes { get; }

    public IReadOnlyDictionary<(string Table, string Name), ConstraintInfo> Constraints { get; }

    public static async Task<CatalogSnapshot> ReadAsync(NpgsqlConnection connection, bool async, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var tables = new Dictionary<string, TableInfo>(StringComparer.Ordinal);
        await ReadRowsAsync(connection, TablesQuery, async, r =>
        {
            var reltuples = r.GetDouble(1);
            var pages = r.GetInt64(2);
            var live = r.GetInt64(3);
            // reltuples is -1 (13 and older: 0 with no pages) until the first ANALYZE or VACUUM; the live-row counter
            // then knows what was written since the server started.
            var (rows, source) = reltuples > 0 || (reltuples == 0 && pages > 0) || (reltuples == 0 && live <= 0)
                ? ((long?)Math.Round(reltuples), "reltuples")
                : live >= 0 ? (live, "statistics") : ((long?)null, "unknown");
            tables[r.GetString(0)] = new TableInfo(r.GetString(0), rows, source, r.GetInt64(4));
        }, cancellationToken);
        var columns = new Dictionary<(string, string), ColumnInfo>();
        await ReadRowsAsync(connection, ColumnsQuery, async,
            r => columns[(r.GetString(0), r.GetString(1))] = new ColumnInfo(r.GetString(2), r.GetBoolean(3), r.IsDBNull(4) ? null : r.GetString(4)),
            cancellationToken);
        var indexes = new Dictionary<string, IndexInfo>(StringComparer.Ordinal);
        await ReadRowsAsync(connection, IndexesQuery, async,
            r => indexes[r.GetString(0)] = new IndexInfo(r.GetString(1), r.GetBoolean(2), r.GetBoolean(3), r.GetString(4)),
            cancellationToken);
        var constraints = new Dictionary<(string, string), ConstraintInfo>();
        await ReadRowsAsync(connection, ConstraintsQuery, async,
            r => constraints[(r.GetString(0), r.GetString(1))] = new ConstraintInfo(r.GetString(2)[0], r.GetBoolean(3), r.IsDBNull(4) ? null : r.GetString(4)),
            cancellationToken);
        return new CatalogSnapshot(tables, columns, indexes, constraints);
    }

    /// <summary>
    /// <c>pg_total_relation_size</c> of each table that exists, each in a savepoint under a 100 ms lock_timeout: the size
    /// function takes (and at once releases) a table's ACCESS SHARE lock, so a table an ALTER holds or waits for is
    /// reported without a size rather than waited for. Runs inside the caller's (read-only) transaction.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, long?>> SizesAsync(
        NpgsqlConnection connection, IEnumerable<string> tables, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(tables);
        var sizes = new Dictionary<string, long?>(StringComparer.Ordinal);
        await ExecuteAsync(connection, "SET LOCAL lock_timeout = 100", cancellationToken);
        foreach (var table in tables.Distinct(StringComparer.Ordinal))
        {
            await ExecuteAsync(connection, "SAVEPOINT streamvault_size", cancellationToken);
            try
            {
                await using var command = new NpgsqlCommand("SELECT pg_total_relation_size(to_regclass(quote_ident(@table)))", connection);
                command.Parameters.AddWithValue("table", table);
                sizes[table] = await command.ExecuteScalarAsync(cancellationToken) is long size ? size : null;
                await ExecuteAsync(connection, "RELEASE SAVEPOINT streamvault_size", cancellationToken);
            }
            catch (PostgresException busy) when (busy.SqlState == PostgresErrorCodes.LockNotAvailable)
            {
                sizes[table] = null;
                await ExecuteAsync(connection, "ROLLBACK TO SAVEPOINT streamvault_size; RELEASE SAVEPOINT streamvault_size", cancellationToken);
            }
        }

        return sizes;
    }

    /// <summary>Rows as the planner estimates them, e.g. <c>~1,000,000 rows</c>, or <c>rows unknown</c>.</summary>
    public static string DescribeRows(long? rows)
        => rows is { } n ? string.Create(CultureInfo.InvariantCulture, $"~{n:N0} rows") : "rows unknown (never analyzed)";

    private static async Task ReadRowsAsync(
        NpgsqlConnection connection, string sql, bool async, Action<NpgsqlDataReader> read, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = async ? await command.ExecuteReaderAsync(cancellationToken) : command.ExecuteReader();
        while (async ? await reader.ReadAsync(cancellationToken) : reader.Read())
        {
            read(reader);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

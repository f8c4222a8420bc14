using System.Text.Json;
using System.Text.Json.Serialization;
using Npgsql;

namespace StreamVault.Data.Operations;

/// <summary>
/// The structure of the modelled tables as PostgreSQL reports it: what validate compares, what the shadow
/// database yields and what the embedded snapshot stores. Names are unqualified and definitions come from
/// pg_get_indexdef/pg_get_constraintdef, so two databases with the same schema give equal shapes.
/// </summary>
internal sealed record SchemaShape(IReadOnlyList<TableShape> Tables)
{
    public static readonly SchemaShape Empty = new([]);

    public TableShape? Find(string table) => Tables.FirstOrDefault(t => t.Name == table);
}

internal sealed record TableShape(
    string Name, IReadOnlyList<ColumnShape> Columns, IReadOnlyList<IndexShape> Indexes, IReadOnlyList<ConstraintShape> Constraints,
    IReadOnlyList<TriggerShape> Triggers);

/// <summary>A column: <c>format_type</c> text, NOT NULL, and the default expression (null when none).</summary>
internal sealed record ColumnShape(string Name, string Type, bool NotNull, string? Default);

/// <summary>An index that backs no constraint (constraint indexes are judged through their constraint).</summary>
internal sealed record IndexShape(string Name, string Definition, bool IsValid);

/// <summary>A user trigger (not a constraint's internal one) and the function it runs, as <c>name(arguments)</c>.</summary>
internal sealed record TriggerShape(string Name, string Definition, string Function);

/// <summary>A table constraint; <see cref="Type"/> is primaryKey, unique, foreignKey, check or exclusion.</summary>
internal sealed record ConstraintShape(string Name, string Type, string Definition);

/// <summary>The embedded fallback: the shape after each migration, in migration order.</summary>
internal sealed record ShapeSnapshot(IReadOnlyList<ShapeSnapshotStep> Migrations);

internal sealed record ShapeSnapshotStep(string MigrationId, SchemaShape Shape);

/// <summary>Reads a <see cref="SchemaShape"/> from the catalog of the connection's current schema.</summary>
internal static class SchemaReader
{
    private const string SchemaQuery = "SELECT quote_ident(current_schema())";

    private const string TableQuery = """
        SELECT c.relname
        FROM pg_class c
        WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') AND c.relname = ANY(@tables)
        """;

    private const string ColumnQuery = """
        SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, d.adrelid)
        FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') AND c.relname = ANY(@tables)
          AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attname COLLATE "C"
        """;

    // Indexes backing a primary key, unique or exclusion constraint belong to the constraint's check.
    private const string IndexQuery = """
        SELECT t.relname, ic.relname, pg_get_indexdef(i.indexrelid), i.indisvalid
        FROM pg_index i
        JOIN pg_class ic ON ic.oid = i.indexrelid
        JOIN pg_class t ON t.oid = i.indrelid
        WHERE t.relnamespace = current_schema()::regnamespace AND t.relname = ANY(@tables)
          AND NOT EXISTS (
              SELECT 1 FROM pg_constraint k
              WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x'))
        ORDER BY ic.relname COLLATE "C"
        """;

    private const string ConstraintQuery = """
        SELECT t.relname, k.conname, k.contype::text, pg_get_constraintdef(k.oid)
        FROM pg_constraint k
        JOIN pg_class t ON t.oid = k.conrelid
        WHERE t.relnamespace = current_schema()::regnamespace AND t.relname = ANY(@tables)
          AND k.contype <> 'n' -- PostgreSQL 18 also records NOT NULL as constraints; columns carry nullability here
        ORDER BY k.conname COLLATE "C"
        """;

    private const string TriggerQuery = """
        SELECT t.relname, g.tgname, pg_get_triggerdef(g.oid), p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')'
        FROM pg_trigger g
        JOIN pg_class t ON t.oid = g.tgrelid
        JOIN pg_proc p ON p.oid = g.tgfoid
        WHERE NOT g.tgisinternal AND t.relnamespace = current_schema()::regnamespace AND t.relname = ANY(@tables)
        ORDER BY g.tgname COLLATE "C"
        """;

    public static async Task<SchemaShape> ReadAsync(
        NpgsqlConnection connection, IReadOnlyList<string> tables, CancellationToken cancellationToken)
    {
        string schema;
        await using (var command = new NpgsqlCommand(SchemaQuery, connection))
        {
            schema = (string)(await command.ExecuteScalarAsync(cancellationToken))!;
        }

        var names = tables.ToArray();
        var present = await ReadAsync(connection, TableQuery, names, r => r.GetString(0), cancellationToken);
        var columns = await ReadAsync(connection, ColumnQuery, names, r => (Table: r.GetString(0), Shape: new ColumnShape(
            r.GetString(1), r.GetString(2), r.GetBoolean(3), r.IsDBNull(4) ? null : r.GetString(4))), cancellationToken);
        var indexes = await ReadAsync(connection, IndexQuery, names, r => (Table: r.GetString(0), Shape: new IndexShape(
            r.GetString(1), Unqualified(r.GetString(2), schema), r.GetBoolean(3))), cancellationToken);
        var constraints = await ReadAsync(connection, ConstraintQuery, names, r => (Table: r.GetString(0), Shape: new ConstraintShape(
            r.GetString(1), ConstraintType(r.GetString(2)), r.GetString(3))), cancellationToken);
        var triggers = await ReadAsync(connection, TriggerQuery, names, r => (Table: r.GetString(0), Shape: new TriggerShape(
            r.GetString(1), Unqualified(r.GetString(2), schema), r.GetString(3))), cancellationToken);

        return new SchemaShape(tables
            .Where(present.Contains)
            .Select(t => new TableShape(
                t,
                columns.Where(c => c.Table == t).Select(c => c.Shape).ToList(),
                indexes.Where(i => i.Table == t).Select(i => i.Shape).ToList(),
                constraints.Where(c => c.Table == t).Select(c => c.Shape).ToList(),
                triggers.Where(g => g.Table == t).Select(g => g.Shape).ToList()))
            .ToList());
    }

    /// <summary>pg_get_indexdef/pg_get_triggerdef qualify the table; the schema is where the database lives, not part of its shape.</summary>
    private static string Unqualified(string definition, string schema)
        => definition
            .Replace($" ON ONLY {schema}.", " ON ONLY ", StringComparison.Ordinal)
            .Replace($" ON {schema}.", " ON ", StringComparison.Ordinal)
            .Replace($" FUNCTION {schema}.", " FUNCTION ", StringComparison.Ordinal);

    private static string ConstraintType(string contype) => contype switch
    {
        "p" => "primaryKey",
        "u" => "unique",
        "f" => "foreignKey",
        "c" => "check",
        "x" => "exclusion",
        _ => contype,
    };

    private static async Task<List<T>> ReadAsync<T>(
        NpgsqlConnection connection, string sql, string[] tables, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("tables", tables);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}

/// <summary>Serializer context of the snapshot, so the embedded file and the sync test agree byte for byte.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(ShapeSnapshot))]
internal sealed partial class ShapeSnapshotJson : JsonSerializerContext;

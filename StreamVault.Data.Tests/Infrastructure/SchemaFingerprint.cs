using System.Globalization;
using System.Text;
using Npgsql;

namespace StreamVault.Data.Tests.Infrastructure;

/// <summary>
/// A canonical text of tables' structure: equal text means equal columns, defaults, indexes, constraints, triggers
/// and owned sequences, whichever database they live in. Compare two databases by comparing their fingerprints.
/// </summary>
public static class SchemaFingerprint
{
    /// <summary>The tables the EF model maps, from the model itself (so a new entity is covered without a list to edit).</summary>
    public static readonly string[] ModelTables = ModelTablesOfTheModel();

    private const string TableQuery = """
        SELECT c.oid
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relname = @table AND c.relkind IN ('r', 'p')
        """;

    private const string ColumnQuery = """
        SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
               pg_get_expr(d.adbin, d.adrelid), a.attidentity::text, a.attgenerated::text
        FROM pg_attribute a
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE a.attrelid = @table AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attname COLLATE "C"
        """;

    private const string IndexQuery = """
        SELECT ic.relname, pg_get_indexdef(i.indexrelid), i.indisvalid
        FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
        WHERE i.indrelid = @table
        ORDER BY ic.relname COLLATE "C"
        """;

    private const string ConstraintQuery = """
        SELECT conname, contype::text, pg_get_constraintdef(oid)
        FROM pg_constraint
        WHERE conrelid = @table AND contype <> 'n' -- PostgreSQL 18's NOT NULL constraints: the column line says it
        ORDER BY conname COLLATE "C"
        """;

    private const string TriggerQuery = """
        SELECT tgname, pg_get_triggerdef(oid)
        FROM pg_trigger
        WHERE tgrelid = @table AND NOT tgisinternal
        ORDER BY tgname COLLATE "C"
        """;

    private const string SequenceQuery = """
        SELECT s.relname, format_type(q.seqtypid, NULL)
        FROM pg_depend d
        JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
        JOIN pg_sequence q ON q.seqrelid = s.oid
        WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
          AND d.refobjid = @table AND d.deptype IN ('a', 'i')
        ORDER BY s.relname COLLATE "C"
        """;

    public static async Task<string> CaptureAsync(string connectionString, IReadOnlyList<string> tables)
    {
        ArgumentNullException.ThrowIfNull(tables);

        // With public as the whole search path, regclass defaults and FK targets print unqualified,
        // exactly as in any other database whose tables live in public.
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = "public" };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();

        var text = new StringBuilder();
        foreach (var table in tables)
        {
            var oid = await ScalarAsync(connection, TableQuery, table);
            if (oid is not uint tableOid)
            {
                text.Append("table ").Append(table).AppendLine(" (absent)");
                continue;
            }

            text.Append("table ").AppendLine(table);
            await AppendRowsAsync(connection, ColumnQuery, tableOid, text, row =>
                $"  column {row.GetString(0)} {row.GetString(1)}"
                + (row.GetBoolean(2) ? " not null" : " null")
                + (row.IsDBNull(3) ? string.Empty : " default " + row.GetString(3))
                + (row.GetString(4).Length == 0 ? string.Empty : " identity " + row.GetString(4))
                + (row.GetString(5).Length == 0 ? string.Empty : " generated " + row.GetString(5)));
            await AppendRowsAsync(connection, IndexQuery, tableOid, text, row =>
                $"  index {row.GetString(0)} {WithoutSchema(row.GetString(1))}" + (row.GetBoolean(2) ? string.Empty : " INVALID"));
            await AppendRowsAsync(connection, ConstraintQuery, tableOid, text, row =>
                $"  constraint {row.GetString(0)} {row.GetString(1)} {row.GetString(2)}");
            await AppendRowsAsync(connection, TriggerQuery, tableOid, text, row =>
                $"  trigger {row.GetString(0)} {WithoutSchema(row.GetString(1))}");
            await AppendRowsAsync(connection, SequenceQuery, tableOid, text, row =>
                $"  sequence {row.GetString(0)} {row.GetString(1)}");
        }

        return text.ToString();
    }

    /// <summary>pg_get_indexdef always qualifies the table (since the 2018 search_path hardening); the schema is not part of the shape.</summary>
    private static string WithoutSchema(string indexDefinition)
        => indexDefinition
            .Replace(" ON ONLY public.", " ON ONLY ", StringComparison.Ordinal)
            .Replace(" ON public.", " ON ", StringComparison.Ordinal)
            .Replace(" FUNCTION public.", " FUNCTION ", StringComparison.Ordinal);

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql, string table)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("table", table);
        return await command.ExecuteScalarAsync();
    }

    private static async Task AppendRowsAsync(
        NpgsqlConnection connection, string sql, uint tableOid, StringBuilder text, Func<NpgsqlDataReader, string> format)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter<uint>("table", NpgsqlTypes.NpgsqlDbType.Oid) { TypedValue = tableOid });
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            text.AppendLine(format(reader).ToString(CultureInfo.InvariantCulture));
        }
    }

    private static string[] ModelTablesOfTheModel()
    {
        using var context = StreamVaultDatabase.CreateContext("Host=unused");
        return [.. Data.Engine.ModelTables.Of(context).Order(StringComparer.Ordinal)];
    }
}

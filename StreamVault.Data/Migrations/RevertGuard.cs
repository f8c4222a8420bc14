using System.Text.RegularExpressions;

namespace StreamVault.Data.Migrations;

/// <summary>
/// SQL for the guards every <c>Down</c> runs first: a revert may drop only empty tables and columns,
/// never data. Tables or columns that are already gone pass, so partial states can still be reverted.
/// </summary>
internal static partial class RevertGuard
{
    public static string RefuseIfTablesHoldRows(string migration, params string[] tables)
        => $$"""
            DO $guard$
            DECLARE
                t text;
                has_rows boolean;
            BEGIN
                FOREACH t IN ARRAY ARRAY[{{Quote(tables)}}] LOOP
                    CONTINUE WHEN to_regclass(quote_ident(t)) IS NULL;
                    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I)', t) INTO has_rows;
                    IF has_rows THEN
                        RAISE EXCEPTION 'refusing to revert {{migration}}: table % holds rows; back it up and empty it first', t;
                    END IF;
                END LOOP;
            END
            $guard$;
            """;

    public static string RefuseIfColumnsHoldValues(string migration, string table, params string[] columns)
        => $$"""
            DO $guard$
            DECLARE
                c text;
                has_values boolean;
            BEGIN
                FOREACH c IN ARRAY ARRAY[{{Quote(columns)}}] LOOP
                    CONTINUE WHEN NOT EXISTS (
                        SELECT 1 FROM information_schema.columns
                        WHERE table_schema = current_schema() AND table_name = '{{table}}' AND column_name = c);
                    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE %I IS NOT NULL)', '{{table}}', c) INTO has_values;
                    IF has_values THEN
                        RAISE EXCEPTION 'refusing to revert {{migration}}: column {{table}}.% holds values; back it up and clear it first', c;
                    END IF;
                END LOOP;
            END
            $guard$;
            """;

    private static string Quote(string[] names) => string.Join(", ", names.Select(n => $"'{n}'"));

    /// <summary>
    /// The tables and columns a statement written by the two methods above guards (none for any other statement), read
    /// back from its text: released Downs never change, so their guards are only ever these two shapes.
    /// </summary>
    public static IEnumerable<(string Table, string? Column)> GuardedBy(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        if (!sql.Contains("refusing to revert", StringComparison.Ordinal) || GuardedNames().Match(sql) is not { Success: true } names)
        {
            return [];
        }

        var listed = names.Groups["names"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(n => n.Trim('\''))
            .ToList();
        return GuardedTable().Match(sql) is { Success: true } table
            ? listed.Select(c => (table.Groups["table"].Value, (string?)c))
            : listed.Select(t => (t, (string?)null));
    }

    [GeneratedRegex(@"FOREACH\s+\w+\s+IN\s+ARRAY\s+ARRAY\[(?<names>[^\]]*)\]")]
    private static partial Regex GuardedNames();

    [GeneratedRegex(@"table_name\s*=\s*'(?<table>[^']+)'")]
    private static partial Regex GuardedTable();
}

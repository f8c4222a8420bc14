namespace StreamVault.Data.Migrations;

/// <summary>
/// SQL for the guards every <c>Down</c> runs first: a revert may drop only empty tables and columns,
/// never data. Tables or columns that are already gone pass, so partial states can still be reverted.
/// </summary>
internal static class RevertGuard
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
}

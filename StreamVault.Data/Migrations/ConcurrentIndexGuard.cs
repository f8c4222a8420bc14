namespace StreamVault.Data.Migrations;

/// <summary>
/// SQL a migration runs before its <c>CREATE INDEX CONCURRENTLY IF NOT EXISTS</c> builds. IF NOT EXISTS would keep
/// an INVALID index a failed or cancelled build left behind, so such a leftover is dropped first; an index of the
/// same name with another definition belongs to someone else, so the migration stops and names both definitions.
/// </summary>
internal static class ConcurrentIndexGuard
{
    /// <param name="migration">The migration's name, for the error message.</param>
    /// <param name="indexes">Name, table, whether unique, and the definition after <c>USING</c>, e.g. <c>btree (streamer_id)</c>.</param>
    public static string Prepare(string migration, params (string Name, string Table, bool Unique, string Method)[] indexes)
        => $$"""
            DO $prepare$
            DECLARE
                wanted record;
                existing record;
            BEGIN
                FOR wanted IN
                    SELECT * FROM (VALUES
                        {{string.Join(",\n                ", indexes.Select(i => $"('{i.Name}', '{i.Table}', {(i.Unique ? "true" : "false")}, '{i.Method}')"))}}
                    ) AS w (name, table_name, is_unique, method)
                LOOP
                    SELECT i.indisvalid, i.indrelid, i.indisunique, pg_get_indexdef(i.indexrelid) AS definition
                    INTO existing
                    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                    WHERE c.relname = wanted.name AND c.relnamespace = current_schema()::regnamespace;
                    CONTINUE WHEN NOT FOUND;
                    IF NOT existing.indisvalid THEN
                        EXECUTE format('DROP INDEX %I', wanted.name);
                    ELSIF existing.indrelid <> to_regclass(wanted.table_name) OR existing.indisunique <> wanted.is_unique
                          OR existing.definition NOT LIKE ('% USING ' || wanted.method) THEN
                        RAISE EXCEPTION '{{migration}}: index % exists with another definition: found "%", expected "CREATE %INDEX % ON % USING %"; StreamVault.Data does not replace indexes it did not create: drop or rename it, then run migrate again',
                            wanted.name, existing.definition, CASE WHEN wanted.is_unique THEN 'UNIQUE ' ELSE '' END,
                            wanted.name, wanted.table_name, wanted.method;
                    END IF;
                END LOOP;
            END
            $prepare$;
            """;
}

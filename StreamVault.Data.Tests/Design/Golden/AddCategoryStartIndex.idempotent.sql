-- Migration 20990101000000_AddCategoryStartIndex

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_AddCategoryStartIndex') THEN
DO $duplicate$
DECLARE
    other text;
BEGIN
    SELECT string_agg(c.relname::text, ', ' ORDER BY c.relname) INTO other
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
    WHERE i.indrelid = to_regclass('streams') AND c.relname <> 'ix_streams_category_name_started_at' AND i.indexprs IS NULL
      AND ARRAY(SELECT a.attname::text
                FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k (attnum, n)
                JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                WHERE k.n <= i.indnkeyatts ORDER BY k.n) = ARRAY['category_name', 'started_at'];
    IF other IS NOT NULL THEN
        RAISE NOTICE 'AddCategoryStartIndex: index ix_streams_category_name_started_at on streams (category_name, started_at) duplicates %, an index of the same columns; keep one of them', other;
    END IF;
END
$duplicate$;

DO $prepare$
DECLARE
    wanted record;
    existing record;
BEGIN
    FOR wanted IN
        SELECT * FROM (VALUES
            ('ix_streams_category_name_started_at', 'streams', false, 'btree (category_name, started_at)')
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
            RAISE EXCEPTION 'AddCategoryStartIndex: index % exists with another definition: found "%", expected "CREATE %INDEX % ON % USING %"; StreamVault.Data does not replace indexes it did not create: drop or rename it, then run migrate again',
                wanted.name, existing.definition, CASE WHEN wanted.is_unique THEN 'UNIQUE ' ELSE '' END,
                wanted.name, wanted.table_name, wanted.method;
        END IF;
    END LOOP;
END
$prepare$;

    END IF;
END $EF$;
CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_streams_category_name_started_at ON streams (category_name, started_at);


DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_AddCategoryStartIndex') THEN
INSERT INTO "__EFMigrationsHistory" (migration_id, product_version)
VALUES ('20990101000000_AddCategoryStartIndex', '<ef-version>');
INSERT INTO applied_migrations AS a
    (migration_name, success, applied_at, ef_migration_id, checksum, execution_ms, error, applied_by)
VALUES ('20990101000000_AddCategoryStartIndex', TRUE, CURRENT_TIMESTAMP, '20990101000000_AddCategoryStartIndex', '',
        (extract(epoch FROM clock_timestamp() - coalesce(nullif(current_setting('streamvault.migration_started', true), '')::timestamptz, transaction_timestamp())) * 1000)::integer, NULL, '<applied-by>')
ON CONFLICT (migration_name) DO UPDATE SET
    success = TRUE,
    error = NULL,
    ef_migration_id = EXCLUDED.ef_migration_id,
    checksum = EXCLUDED.checksum,
    applied_at = CASE WHEN a.success IS TRUE THEN a.applied_at ELSE EXCLUDED.applied_at END,
    execution_ms = CASE WHEN a.success IS TRUE THEN a.execution_ms ELSE EXCLUDED.execution_ms END,
    applied_by = CASE WHEN a.success IS TRUE THEN a.applied_by ELSE EXCLUDED.applied_by END;
    END IF;
END $EF$;

-- Migration 20990101000000_WidenAndRelaxColumns

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_WidenAndRelaxColumns') THEN
DO $alter$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('streams') AND attname = 'title' AND NOT attisdropped AND format_type(atttypid, atttypmod) = 'character varying') THEN
        ALTER TABLE streams ALTER COLUMN title TYPE text;
    END IF;
END
$alter$;

DO $alter$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('streamers') AND attname = 'username' AND NOT attisdropped AND attnotnull) THEN
        ALTER TABLE streamers ALTER COLUMN username DROP NOT NULL;
    END IF;
END
$alter$;

DO $alter$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
                   WHERE d.adrelid = to_regclass('streamers') AND a.attname = 'language'
                     AND regexp_replace(pg_get_expr(d.adbin, d.adrelid), '::[a-z ]+(\([0-9, ]+\))?(\[\])?$', '') = '''en''') THEN
        ALTER TABLE streamers ALTER COLUMN language SET DEFAULT 'en';
    END IF;
END
$alter$;

DO $alter$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
                   WHERE d.adrelid = to_regclass('streamers') AND a.attname = 'is_live') THEN
        ALTER TABLE streamers ALTER COLUMN is_live DROP DEFAULT;
    END IF;
END
$alter$;

DO $alter$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('global_settings') AND attname = 'proxy_encryption_key' AND NOT attisdropped AND format_type(atttypid, atttypmod) = 'character varying(255)') THEN
        ALTER TABLE global_settings ALTER COLUMN proxy_encryption_key TYPE character varying(500);
    END IF;
END
$alter$;

INSERT INTO "__EFMigrationsHistory" (migration_id, product_version)
VALUES ('20990101000000_WidenAndRelaxColumns', '<ef-version>');
INSERT INTO applied_migrations AS a
    (migration_name, success, applied_at, ef_migration_id, checksum, execution_ms, error, applied_by)
VALUES ('20990101000000_WidenAndRelaxColumns', TRUE, CURRENT_TIMESTAMP, '20990101000000_WidenAndRelaxColumns', '',
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

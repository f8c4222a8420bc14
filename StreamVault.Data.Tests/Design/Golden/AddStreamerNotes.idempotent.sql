-- Migration 20990101000000_AddStreamerNotes

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_AddStreamerNotes') THEN
DO $add$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('streamers') AND attname = 'notes' AND NOT attisdropped) THEN
        ALTER TABLE streamers ADD COLUMN IF NOT EXISTS notes character varying;
    END IF;
END
$add$;

INSERT INTO "__EFMigrationsHistory" (migration_id, product_version)
VALUES ('20990101000000_AddStreamerNotes', '<ef-version>');
INSERT INTO applied_migrations AS a
    (migration_name, success, applied_at, ef_migration_id, checksum, execution_ms, error, applied_by)
VALUES ('20990101000000_AddStreamerNotes', TRUE, CURRENT_TIMESTAMP, '20990101000000_AddStreamerNotes', '',
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

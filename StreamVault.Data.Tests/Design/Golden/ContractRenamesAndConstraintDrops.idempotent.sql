-- Migration 20990101000000_ContractRenamesAndConstraintDrops

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_ContractRenamesAndConstraintDrops') THEN
DO $rename$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('streams') AND attname = 'recording_path' AND NOT attisdropped) AND NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('streams') AND attname = 'file_path' AND NOT attisdropped) THEN
        ALTER TABLE streams RENAME COLUMN recording_path TO file_path;
    END IF;
END
$rename$;

DO $rename$
BEGIN
    IF to_regclass('push_subscriptions') IS NOT NULL AND to_regclass('web_push_subscriptions') IS NULL THEN
        ALTER TABLE push_subscriptions RENAME TO web_push_subscriptions;
    END IF;
END
$rename$;

DO $rename$
BEGIN
    IF to_regclass('idx_streams_ended_at') IS NOT NULL AND to_regclass('idx_streams_end') IS NULL THEN
        ALTER INDEX idx_streams_ended_at RENAME TO idx_streams_end;
    END IF;
END
$rename$;

DO $drop$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass('streams') AND conname = 'ck_streams_episode_number_positive') THEN
        ALTER TABLE streams DROP CONSTRAINT IF EXISTS ck_streams_episode_number_positive;
    END IF;
END
$drop$;

DO $drop$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass('stream_chapters') AND conname = 'stream_chapters_stream_id_title_key') THEN
        ALTER TABLE stream_chapters DROP CONSTRAINT IF EXISTS stream_chapters_stream_id_title_key;
    END IF;
END
$drop$;

DO $drop$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass('stream_chapters') AND conname = 'stream_chapters_pkey') THEN
        ALTER TABLE stream_chapters DROP CONSTRAINT IF EXISTS stream_chapters_pkey;
    END IF;
END
$drop$;

INSERT INTO "__EFMigrationsHistory" (migration_id, product_version)
VALUES ('20990101000000_ContractRenamesAndConstraintDrops', '<ef-version>');
INSERT INTO applied_migrations AS a
    (migration_name, success, applied_at, ef_migration_id, checksum, execution_ms, error, applied_by)
VALUES ('20990101000000_ContractRenamesAndConstraintDrops', TRUE, CURRENT_TIMESTAMP, '20990101000000_ContractRenamesAndConstraintDrops', '',
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

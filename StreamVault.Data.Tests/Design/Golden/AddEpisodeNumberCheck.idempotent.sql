-- Migration 20990101000000_AddEpisodeNumberCheck

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_AddEpisodeNumberCheck') THEN
DO $constraint$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass('streams') AND conname = 'ck_streams_episode_number_positive') THEN
        ALTER TABLE streams ADD CONSTRAINT ck_streams_episode_number_positive CHECK (episode_number IS NULL OR episode_number > 0) NOT VALID;
    END IF;
END
$constraint$;

    END IF;
END $EF$;
DO $validate$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_constraint
               WHERE conrelid = to_regclass('streams') AND conname = 'ck_streams_episode_number_positive' AND NOT convalidated) THEN
        ALTER TABLE streams VALIDATE CONSTRAINT ck_streams_episode_number_positive;
    END IF;
END
$validate$;


DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_AddEpisodeNumberCheck') THEN
INSERT INTO "__EFMigrationsHistory" (migration_id, product_version)
VALUES ('20990101000000_AddEpisodeNumberCheck', '<ef-version>');
INSERT INTO applied_migrations AS a
    (migration_name, success, applied_at, ef_migration_id, checksum, execution_ms, error, applied_by)
VALUES ('20990101000000_AddEpisodeNumberCheck', TRUE, CURRENT_TIMESTAMP, '20990101000000_AddEpisodeNumberCheck', '',
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

-- Migration 20990101000000_AddSequenceCommentAndExtension

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_AddSequenceCommentAndExtension') THEN
DO $sequence$
BEGIN
    IF to_regclass('recording_numbers') IS NULL THEN
        CREATE SEQUENCE IF NOT EXISTS recording_numbers START WITH 1 INCREMENT BY 1 NO CYCLE;
    END IF;
END
$sequence$;

DO $comment$
BEGIN
    IF obj_description(to_regclass('streams'), 'pg_class') IS DISTINCT FROM 'One row per recorded broadcast.' THEN
        COMMENT ON TABLE streams IS 'One row per recorded broadcast.';
    END IF;
END
$comment$;

DO $extension$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
    END IF;
END
$extension$;

INSERT INTO "__EFMigrationsHistory" (migration_id, product_version)
VALUES ('20990101000000_AddSequenceCommentAndExtension', '<ef-version>');
INSERT INTO applied_migrations AS a
    (migration_name, success, applied_at, ef_migration_id, checksum, execution_ms, error, applied_by)
VALUES ('20990101000000_AddSequenceCommentAndExtension', TRUE, CURRENT_TIMESTAMP, '20990101000000_AddSequenceCommentAndExtension', '',
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

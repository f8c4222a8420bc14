-- Up
START TRANSACTION;

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
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_AddSequenceCommentAndExtension') THEN
    DO $comment$
    BEGIN
        IF obj_description(to_regclass('streams'), 'pg_class') IS DISTINCT FROM 'One row per recorded broadcast.' THEN
            COMMENT ON TABLE streams IS 'One row per recorded broadcast.';
        END IF;
    END
    $comment$;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_AddSequenceCommentAndExtension') THEN
    DO $extension$
    BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
            CREATE EXTENSION IF NOT EXISTS pg_trgm;
        END IF;
    END
    $extension$;
    END IF;
END $EF$;
COMMIT;

-- Down
START TRANSACTION;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_AddSequenceCommentAndExtension') THEN
    DROP SEQUENCE IF EXISTS recording_numbers;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_AddSequenceCommentAndExtension') THEN
    DO $comment$
    BEGIN
        IF obj_description(to_regclass('streams'), 'pg_class') IS DISTINCT FROM NULL THEN
            COMMENT ON TABLE streams IS NULL;
        END IF;
    END
    $comment$;
    END IF;
END $EF$;
COMMIT;


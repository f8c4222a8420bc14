-- Up
START TRANSACTION;

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
COMMIT;


DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_AddEpisodeNumberCheck') THEN
    DO $validate$
    BEGIN
        IF EXISTS (SELECT 1 FROM pg_constraint
                   WHERE conrelid = to_regclass('streams') AND conname = 'ck_streams_episode_number_positive' AND NOT convalidated) THEN
            ALTER TABLE streams VALIDATE CONSTRAINT ck_streams_episode_number_positive;
        END IF;
    END
    $validate$;
    END IF;
END $EF$;
-- Down
START TRANSACTION;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_AddEpisodeNumberCheck') THEN
    DO $drop$
    BEGIN
        IF EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass('streams') AND conname = 'ck_streams_episode_number_positive') THEN
            ALTER TABLE streams DROP CONSTRAINT IF EXISTS ck_streams_episode_number_positive;
        END IF;
    END
    $drop$;
    END IF;
END $EF$;
COMMIT;


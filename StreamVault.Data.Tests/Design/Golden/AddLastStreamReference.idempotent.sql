-- Up
START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_AddLastStreamReference') THEN
    DO $add$
    BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('streamers') AND attname = 'last_stream_id' AND NOT attisdropped) THEN
            ALTER TABLE streamers ADD COLUMN IF NOT EXISTS last_stream_id integer;
        END IF;
    END
    $add$;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_AddLastStreamReference') THEN
    DO $constraint$
    BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass('streamers') AND conname = 'streamers_last_stream_id_fkey') THEN
            ALTER TABLE streamers ADD CONSTRAINT streamers_last_stream_id_fkey FOREIGN KEY (last_stream_id) REFERENCES streams (id) ON DELETE SET NULL NOT VALID;
        END IF;
    END
    $constraint$;
    END IF;
END $EF$;
COMMIT;


DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_AddLastStreamReference') THEN
    DO $validate$
    BEGIN
        IF EXISTS (SELECT 1 FROM pg_constraint
                   WHERE conrelid = to_regclass('streamers') AND conname = 'streamers_last_stream_id_fkey' AND NOT convalidated) THEN
            ALTER TABLE streamers VALIDATE CONSTRAINT streamers_last_stream_id_fkey;
        END IF;
    END
    $validate$;
    END IF;
END $EF$;
-- Down
START TRANSACTION;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_AddLastStreamReference') THEN
    DO $drop$
    BEGIN
        IF EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass('streamers') AND conname = 'streamers_last_stream_id_fkey') THEN
            ALTER TABLE streamers DROP CONSTRAINT IF EXISTS streamers_last_stream_id_fkey;
        END IF;
    END
    $drop$;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_AddLastStreamReference') THEN
    DO $guard$
    DECLARE
        c text;
        has_values boolean;
    BEGIN
        FOREACH c IN ARRAY ARRAY['last_stream_id'] LOOP
            CONTINUE WHEN NOT EXISTS (
                SELECT 1 FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name = 'streamers' AND column_name = c);
            EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE %I IS NOT NULL)', 'streamers', c) INTO has_values;
            IF has_values THEN
                RAISE EXCEPTION 'refusing to revert AddLastStreamReference: column streamers.% holds values; back it up and clear it first', c;
            END IF;
        END LOOP;
    END
    $guard$;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_AddLastStreamReference') THEN
    DO $drop$
    BEGIN
        IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('streamers') AND attname = 'last_stream_id' AND NOT attisdropped) THEN
            ALTER TABLE streamers DROP COLUMN IF EXISTS last_stream_id;
        END IF;
    END
    $drop$;
    END IF;
END $EF$;
COMMIT;


-- Up
START TRANSACTION;

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
    END IF;
END $EF$;
COMMIT;

-- Down
START TRANSACTION;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_AddStreamerNotes') THEN
    DO $guard$
    DECLARE
        c text;
        has_values boolean;
    BEGIN
        FOREACH c IN ARRAY ARRAY['notes'] LOOP
            CONTINUE WHEN NOT EXISTS (
                SELECT 1 FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name = 'streamers' AND column_name = c);
            EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE %I IS NOT NULL)', 'streamers', c) INTO has_values;
            IF has_values THEN
                RAISE EXCEPTION 'refusing to revert AddStreamerNotes: column streamers.% holds values; back it up and clear it first', c;
            END IF;
        END LOOP;
    END
    $guard$;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_AddStreamerNotes') THEN
    DO $drop$
    BEGIN
        IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('streamers') AND attname = 'notes' AND NOT attisdropped) THEN
            ALTER TABLE streamers DROP COLUMN IF EXISTS notes;
        END IF;
    END
    $drop$;
    END IF;
END $EF$;
COMMIT;


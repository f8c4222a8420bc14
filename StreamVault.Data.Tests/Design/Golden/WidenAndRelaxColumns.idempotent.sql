-- Up
START TRANSACTION;

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
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_WidenAndRelaxColumns') THEN
    DO $alter$
    BEGIN
        IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('streamers') AND attname = 'username' AND NOT attisdropped AND attnotnull) THEN
            ALTER TABLE streamers ALTER COLUMN username DROP NOT NULL;
        END IF;
    END
    $alter$;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_WidenAndRelaxColumns') THEN
    DO $alter$
    BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
                       WHERE d.adrelid = to_regclass('streamers') AND a.attname = 'language'
                         AND regexp_replace(pg_get_expr(d.adbin, d.adrelid), '::[a-z ]+(\([0-9, ]+\))?(\[\])?$', '') = '''en''') THEN
            ALTER TABLE streamers ALTER COLUMN language SET DEFAULT 'en';
        END IF;
    END
    $alter$;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_WidenAndRelaxColumns') THEN
    DO $alter$
    BEGIN
        IF EXISTS (SELECT 1 FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
                       WHERE d.adrelid = to_regclass('streamers') AND a.attname = 'is_live') THEN
            ALTER TABLE streamers ALTER COLUMN is_live DROP DEFAULT;
        END IF;
    END
    $alter$;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_WidenAndRelaxColumns') THEN
    DO $alter$
    BEGIN
        IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('global_settings') AND attname = 'proxy_encryption_key' AND NOT attisdropped AND format_type(atttypid, atttypmod) = 'character varying(255)') THEN
            ALTER TABLE global_settings ALTER COLUMN proxy_encryption_key TYPE character varying(500);
        END IF;
    END
    $alter$;
    END IF;
END $EF$;
COMMIT;

-- Down
START TRANSACTION;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_WidenAndRelaxColumns') THEN
    DO $alter$
    BEGIN
        IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('streams') AND attname = 'title' AND NOT attisdropped AND format_type(atttypid, atttypmod) = 'text') THEN
            ALTER TABLE streams ALTER COLUMN title TYPE character varying;
        END IF;
    END
    $alter$;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_WidenAndRelaxColumns') THEN
    DO $alter$
    BEGIN
        IF EXISTS (SELECT 1 FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
                       WHERE d.adrelid = to_regclass('streamers') AND a.attname = 'language') THEN
            ALTER TABLE streamers ALTER COLUMN language DROP DEFAULT;
        END IF;
    END
    $alter$;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_WidenAndRelaxColumns') THEN
    DO $alter$
    BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
                       WHERE d.adrelid = to_regclass('streamers') AND a.attname = 'is_live'
                         AND regexp_replace(pg_get_expr(d.adbin, d.adrelid), '::[a-z ]+(\([0-9, ]+\))?(\[\])?$', '') = 'false') THEN
            ALTER TABLE streamers ALTER COLUMN is_live SET DEFAULT FALSE;
        END IF;
    END
    $alter$;
    END IF;
END $EF$;
COMMIT;


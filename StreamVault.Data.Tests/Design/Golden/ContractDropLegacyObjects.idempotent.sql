-- Up
START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_ContractDropLegacyObjects') THEN
    DO $guard$
    DECLARE
        t text;
        has_rows boolean;
    BEGIN
        FOREACH t IN ARRAY ARRAY['system_config'] LOOP
            CONTINUE WHEN to_regclass(quote_ident(t)) IS NULL;
            EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I)', t) INTO has_rows;
            IF has_rows THEN
                RAISE EXCEPTION 'refusing to apply ContractDropLegacyObjects: table % holds rows; back it up and empty it first', t;
            END IF;
        END LOOP;
    END
    $guard$;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_ContractDropLegacyObjects') THEN
    DROP TABLE IF EXISTS system_config;
    END IF;
END $EF$;
COMMIT;


DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_ContractDropLegacyObjects') THEN
    DROP INDEX CONCURRENTLY IF EXISTS idx_streams_title;
    END IF;
END $EF$;
START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_ContractDropLegacyObjects') THEN
    DO $guard$
    DECLARE
        c text;
        has_values boolean;
    BEGIN
        FOREACH c IN ARRAY ARRAY['episode_number'] LOOP
            CONTINUE WHEN NOT EXISTS (
                SELECT 1 FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name = 'streams' AND column_name = c);
            EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE %I IS NOT NULL)', 'streams', c) INTO has_values;
            IF has_values THEN
                RAISE EXCEPTION 'refusing to apply ContractDropLegacyObjects: column streams.% holds values; back it up and clear it first', c;
            END IF;
        END LOOP;
    END
    $guard$;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_ContractDropLegacyObjects') THEN
    DO $drop$
    BEGIN
        IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('streams') AND attname = 'episode_number' AND NOT attisdropped) THEN
            ALTER TABLE streams DROP COLUMN IF EXISTS episode_number;
        END IF;
    END
    $drop$;
    END IF;
END $EF$;
COMMIT;

-- Down
START TRANSACTION;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_ContractDropLegacyObjects') THEN
    DO $add$
    BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('streams') AND attname = 'episode_number' AND NOT attisdropped) THEN
            ALTER TABLE streams ADD COLUMN IF NOT EXISTS episode_number integer;
        END IF;
    END
    $add$;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_ContractDropLegacyObjects') THEN
    DO $table$
    BEGIN
        IF to_regclass('system_config') IS NULL THEN
            CREATE TABLE IF NOT EXISTS system_config (
                id serial NOT NULL,
                created_at timestamp with time zone DEFAULT (now()),
                description character varying,
                key character varying NOT NULL,
                updated_at timestamp with time zone DEFAULT (now()),
                value text,
                CONSTRAINT system_config_pkey PRIMARY KEY (id)
            );
        ELSE
            IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('system_config') AND attname = 'id' AND NOT attisdropped) THEN
                RAISE EXCEPTION 'ContractDropLegacyObjects: table system_config exists without column id, whose default (nextval of a new serial sequence) would be written into every row; add the column by hand, then run migrate again';
            END IF;
            IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('system_config') AND attname = 'created_at' AND NOT attisdropped) THEN
                ALTER TABLE system_config ADD COLUMN IF NOT EXISTS created_at timestamp with time zone, ALTER COLUMN created_at SET DEFAULT now();
            END IF;
            IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('system_config') AND attname = 'description' AND NOT attisdropped) THEN
                ALTER TABLE system_config ADD COLUMN IF NOT EXISTS description character varying;
            END IF;
            IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('system_config') AND attname = 'key' AND NOT attisdropped) THEN
                IF EXISTS (SELECT 1 FROM system_config) THEN
                    RAISE EXCEPTION 'ContractDropLegacyObjects: table system_config exists without column key, which is NOT NULL without a default and so cannot be added while the table holds rows; add it by hand (nullable, fill it, then require it), then run migrate again';
                END IF;
                ALTER TABLE system_config ADD COLUMN IF NOT EXISTS key character varying NOT NULL;
            END IF;
            IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('system_config') AND attname = 'updated_at' AND NOT attisdropped) THEN
                ALTER TABLE system_config ADD COLUMN IF NOT EXISTS updated_at timestamp with time zone, ALTER COLUMN updated_at SET DEFAULT now();
            END IF;
            IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('system_config') AND attname = 'value' AND NOT attisdropped) THEN
                ALTER TABLE system_config ADD COLUMN IF NOT EXISTS value text;
            END IF;
            IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass('system_config') AND contype = 'p') THEN
                IF EXISTS (SELECT 1 FROM system_config) THEN
                    RAISE EXCEPTION 'ContractDropLegacyObjects: table system_config exists without system_config_pkey, whose index cannot be built while the table holds rows without locking out writers; build it by hand (CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT … USING INDEX), then run migrate again';
                END IF;
                ALTER TABLE system_config ADD CONSTRAINT system_config_pkey PRIMARY KEY (id);
            END IF;
        END IF;
    END
    $table$;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_ContractDropLegacyObjects') THEN
    DO $duplicate$
    DECLARE
        other text;
    BEGIN
        SELECT string_agg(c.relname::text, ', ' ORDER BY c.relname) INTO other
        FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        WHERE i.indrelid = to_regclass('streams') AND c.relname <> 'idx_streams_title' AND i.indexprs IS NULL
          AND ARRAY(SELECT a.attname::text
                    FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k (attnum, n)
                    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                    WHERE k.n <= i.indnkeyatts ORDER BY k.n) = ARRAY['title'];
        IF other IS NOT NULL THEN
            RAISE NOTICE 'ContractDropLegacyObjects: index idx_streams_title on streams (title) duplicates %, an index of the same columns; keep one of them', other;
        END IF;
    END
    $duplicate$;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_ContractDropLegacyObjects') THEN
    DO $prepare$
    DECLARE
        wanted record;
        existing record;
    BEGIN
        FOR wanted IN
            SELECT * FROM (VALUES
                ('idx_streams_title', 'streams', false, 'btree (title)')
            ) AS w (name, table_name, is_unique, method)
        LOOP
            SELECT i.indisvalid, i.indrelid, i.indisunique, pg_get_indexdef(i.indexrelid) AS definition
            INTO existing
            FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
            WHERE c.relname = wanted.name AND c.relnamespace = current_schema()::regnamespace;
            CONTINUE WHEN NOT FOUND;
            IF NOT existing.indisvalid THEN
                EXECUTE format('DROP INDEX %I', wanted.name);
            ELSIF existing.indrelid <> to_regclass(wanted.table_name) OR existing.indisunique <> wanted.is_unique
                  OR existing.definition NOT LIKE ('% USING ' || wanted.method) THEN
                RAISE EXCEPTION 'ContractDropLegacyObjects: index % exists with another definition: found "%", expected "CREATE %INDEX % ON % USING %"; StreamVault.Data does not replace indexes it did not create: drop or rename it, then run migrate again',
                    wanted.name, existing.definition, CASE WHEN wanted.is_unique THEN 'UNIQUE ' ELSE '' END,
                    wanted.name, wanted.table_name, wanted.method;
            END IF;
        END LOOP;
    END
    $prepare$;
    END IF;
END $EF$;
COMMIT;

DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_ContractDropLegacyObjects') THEN
    CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_streams_title ON streams (title);
    END IF;
END $EF$;
START TRANSACTION;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_ContractDropLegacyObjects') THEN
    DO $index$
    BEGIN
        IF to_regclass('idx_system_config_key') IS NULL THEN
            CREATE INDEX IF NOT EXISTS idx_system_config_key ON system_config (key);
        END IF;
    END
    $index$;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_ContractDropLegacyObjects') THEN
    DO $index$
    BEGIN
        IF to_regclass('system_config_key_key') IS NULL THEN
            CREATE UNIQUE INDEX IF NOT EXISTS system_config_key_key ON system_config (key);
        END IF;
    END
    $index$;
    END IF;
END $EF$;
COMMIT;


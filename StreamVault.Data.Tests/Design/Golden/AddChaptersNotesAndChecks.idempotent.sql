-- Migration 20990101000000_AddChaptersNotesAndChecks

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_AddChaptersNotesAndChecks') THEN
DO $add$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('streamers') AND attname = 'notes' AND NOT attisdropped) THEN
        ALTER TABLE streamers ADD COLUMN IF NOT EXISTS notes character varying;
    END IF;
END
$add$;

DO $table$
BEGIN
    IF to_regclass('stream_chapters') IS NULL THEN
        CREATE TABLE IF NOT EXISTS stream_chapters (
            id serial NOT NULL,
            stream_id integer NOT NULL,
            title character varying NOT NULL,
            starts_at_seconds integer NOT NULL,
            created_at timestamp with time zone DEFAULT (now()),
            CONSTRAINT stream_chapters_pkey PRIMARY KEY (id),
            CONSTRAINT stream_chapters_stream_id_title_key UNIQUE (stream_id, title),
            CONSTRAINT ck_stream_chapters_starts_at_seconds CHECK (starts_at_seconds >= 0)
        );
    ELSE
        IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('stream_chapters') AND attname = 'id' AND NOT attisdropped) THEN
            RAISE EXCEPTION 'AddChaptersNotesAndChecks: table stream_chapters exists without column id, whose default (nextval of a new serial sequence) would be written into every row; add the column by hand, then run migrate again';
        END IF;
        IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('stream_chapters') AND attname = 'stream_id' AND NOT attisdropped) THEN
            IF EXISTS (SELECT 1 FROM stream_chapters) THEN
                RAISE EXCEPTION 'AddChaptersNotesAndChecks: table stream_chapters exists without column stream_id, which is NOT NULL without a default and so cannot be added while the table holds rows; add it by hand (nullable, fill it, then require it), then run migrate again';
            END IF;
            ALTER TABLE stream_chapters ADD COLUMN IF NOT EXISTS stream_id integer NOT NULL;
        END IF;
        IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('stream_chapters') AND attname = 'title' AND NOT attisdropped) THEN
            IF EXISTS (SELECT 1 FROM stream_chapters) THEN
                RAISE EXCEPTION 'AddChaptersNotesAndChecks: table stream_chapters exists without column title, which is NOT NULL without a default and so cannot be added while the table holds rows; add it by hand (nullable, fill it, then require it), then run migrate again';
            END IF;
            ALTER TABLE stream_chapters ADD COLUMN IF NOT EXISTS title character varying NOT NULL;
        END IF;
        IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('stream_chapters') AND attname = 'starts_at_seconds' AND NOT attisdropped) THEN
            IF EXISTS (SELECT 1 FROM stream_chapters) THEN
                RAISE EXCEPTION 'AddChaptersNotesAndChecks: table stream_chapters exists without column starts_at_seconds, which is NOT NULL without a default and so cannot be added while the table holds rows; add it by hand (nullable, fill it, then require it), then run migrate again';
            END IF;
            ALTER TABLE stream_chapters ADD COLUMN IF NOT EXISTS starts_at_seconds integer NOT NULL;
        END IF;
        IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('stream_chapters') AND attname = 'created_at' AND NOT attisdropped) THEN
            ALTER TABLE stream_chapters ADD COLUMN IF NOT EXISTS created_at timestamp with time zone, ALTER COLUMN created_at SET DEFAULT now();
        END IF;
        IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass('stream_chapters') AND contype = 'p') THEN
            IF EXISTS (SELECT 1 FROM stream_chapters) THEN
                RAISE EXCEPTION 'AddChaptersNotesAndChecks: table stream_chapters exists without stream_chapters_pkey, whose index cannot be built while the table holds rows without locking out writers; build it by hand (CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT … USING INDEX), then run migrate again';
            END IF;
            ALTER TABLE stream_chapters ADD CONSTRAINT stream_chapters_pkey PRIMARY KEY (id);
        END IF;
        IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass('stream_chapters') AND conname = 'stream_chapters_stream_id_title_key') THEN
            IF EXISTS (SELECT 1 FROM stream_chapters) THEN
                RAISE EXCEPTION 'AddChaptersNotesAndChecks: table stream_chapters exists without stream_chapters_stream_id_title_key, whose index cannot be built while the table holds rows without locking out writers; build it by hand (CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT … USING INDEX), then run migrate again';
            END IF;
            ALTER TABLE stream_chapters ADD CONSTRAINT stream_chapters_stream_id_title_key UNIQUE (stream_id, title);
        END IF;
        IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass('stream_chapters') AND conname = 'ck_stream_chapters_starts_at_seconds') THEN
            ALTER TABLE stream_chapters ADD CONSTRAINT ck_stream_chapters_starts_at_seconds CHECK (starts_at_seconds >= 0) NOT VALID;
        END IF;
    END IF;
END
$table$;

    END IF;
END $EF$;
DO $validate$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_constraint
               WHERE conrelid = to_regclass('stream_chapters') AND conname = 'ck_stream_chapters_starts_at_seconds' AND NOT convalidated) THEN
        ALTER TABLE stream_chapters VALIDATE CONSTRAINT ck_stream_chapters_starts_at_seconds;
    END IF;
END
$validate$;


DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_AddChaptersNotesAndChecks') THEN
DO $constraint$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass('stream_chapters') AND conname = 'stream_chapters_stream_id_fkey') THEN
        ALTER TABLE stream_chapters ADD CONSTRAINT stream_chapters_stream_id_fkey FOREIGN KEY (stream_id) REFERENCES streams (id) ON DELETE CASCADE NOT VALID;
    END IF;
END
$constraint$;

    END IF;
END $EF$;
DO $validate$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_constraint
               WHERE conrelid = to_regclass('stream_chapters') AND conname = 'stream_chapters_stream_id_fkey' AND NOT convalidated) THEN
        ALTER TABLE stream_chapters VALIDATE CONSTRAINT stream_chapters_stream_id_fkey;
    END IF;
END
$validate$;


DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_AddChaptersNotesAndChecks') THEN
DO $duplicate$
DECLARE
    other text;
BEGIN
    SELECT string_agg(c.relname::text, ', ' ORDER BY c.relname) INTO other
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
    WHERE i.indrelid = to_regclass('streams') AND c.relname <> 'ix_streams_category_name_started_at' AND i.indexprs IS NULL
      AND ARRAY(SELECT a.attname::text
                FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k (attnum, n)
                JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                WHERE k.n <= i.indnkeyatts ORDER BY k.n) = ARRAY['category_name', 'started_at'];
    IF other IS NOT NULL THEN
        RAISE NOTICE 'AddChaptersNotesAndChecks: index ix_streams_category_name_started_at on streams (category_name, started_at) duplicates %, an index of the same columns; keep one of them', other;
    END IF;
END
$duplicate$;

DO $prepare$
DECLARE
    wanted record;
    existing record;
BEGIN
    FOR wanted IN
        SELECT * FROM (VALUES
            ('ix_streams_category_name_started_at', 'streams', false, 'btree (category_name, started_at)')
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
            RAISE EXCEPTION 'AddChaptersNotesAndChecks: index % exists with another definition: found "%", expected "CREATE %INDEX % ON % USING %"; StreamVault.Data does not replace indexes it did not create: drop or rename it, then run migrate again',
                wanted.name, existing.definition, CASE WHEN wanted.is_unique THEN 'UNIQUE ' ELSE '' END,
                wanted.name, wanted.table_name, wanted.method;
        END IF;
    END LOOP;
END
$prepare$;

    END IF;
END $EF$;
CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_streams_category_name_started_at ON streams (category_name, started_at);


DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_AddChaptersNotesAndChecks') THEN
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
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_AddChaptersNotesAndChecks') THEN
DO $index$
BEGIN
    IF to_regclass('idx_stream_chapters_stream_id') IS NULL THEN
        CREATE INDEX IF NOT EXISTS idx_stream_chapters_stream_id ON stream_chapters (stream_id);
    END IF;
END
$index$;

DO $index$
BEGIN
    IF to_regclass('ux_stream_chapters_stream_start') IS NULL THEN
        CREATE UNIQUE INDEX IF NOT EXISTS ux_stream_chapters_stream_start ON stream_chapters (stream_id, starts_at_seconds);
    END IF;
END
$index$;

INSERT INTO "__EFMigrationsHistory" (migration_id, product_version)
VALUES ('20990101000000_AddChaptersNotesAndChecks', '<ef-version>');
INSERT INTO applied_migrations AS a
    (migration_name, success, applied_at, ef_migration_id, checksum, execution_ms, error, applied_by)
VALUES ('20990101000000_AddChaptersNotesAndChecks', TRUE, CURRENT_TIMESTAMP, '20990101000000_AddChaptersNotesAndChecks', '',
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

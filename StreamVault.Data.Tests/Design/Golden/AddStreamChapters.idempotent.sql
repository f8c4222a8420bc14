-- Up
START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_AddStreamChapters') THEN
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
                RAISE EXCEPTION 'AddStreamChapters: table stream_chapters exists without column id, whose default (nextval of a new serial sequence) would be written into every row; add the column by hand, then run migrate again';
            END IF;
            IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('stream_chapters') AND attname = 'stream_id' AND NOT attisdropped) THEN
                IF EXISTS (SELECT 1 FROM stream_chapters) THEN
                    RAISE EXCEPTION 'AddStreamChapters: table stream_chapters exists without column stream_id, which is NOT NULL without a default and so cannot be added while the table holds rows; add it by hand (nullable, fill it, then require it), then run migrate again';
                END IF;
                ALTER TABLE stream_chapters ADD COLUMN IF NOT EXISTS stream_id integer NOT NULL;
            END IF;
            IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('stream_chapters') AND attname = 'title' AND NOT attisdropped) THEN
                IF EXISTS (SELECT 1 FROM stream_chapters) THEN
                    RAISE EXCEPTION 'AddStreamChapters: table stream_chapters exists without column title, which is NOT NULL without a default and so cannot be added while the table holds rows; add it by hand (nullable, fill it, then require it), then run migrate again';
                END IF;
                ALTER TABLE stream_chapters ADD COLUMN IF NOT EXISTS title character varying NOT NULL;
            END IF;
            IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('stream_chapters') AND attname = 'starts_at_seconds' AND NOT attisdropped) THEN
                IF EXISTS (SELECT 1 FROM stream_chapters) THEN
                    RAISE EXCEPTION 'AddStreamChapters: table stream_chapters exists without column starts_at_seconds, which is NOT NULL without a default and so cannot be added while the table holds rows; add it by hand (nullable, fill it, then require it), then run migrate again';
                END IF;
                ALTER TABLE stream_chapters ADD COLUMN IF NOT EXISTS starts_at_seconds integer NOT NULL;
            END IF;
            IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('stream_chapters') AND attname = 'created_at' AND NOT attisdropped) THEN
                ALTER TABLE stream_chapters ADD COLUMN IF NOT EXISTS created_at timestamp with time zone, ALTER COLUMN created_at SET DEFAULT now();
            END IF;
            IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass('stream_chapters') AND contype = 'p') THEN
                IF EXISTS (SELECT 1 FROM stream_chapters) THEN
                    RAISE EXCEPTION 'AddStreamChapters: table stream_chapters exists without stream_chapters_pkey, whose index cannot be built while the table holds rows without locking out writers; build it by hand (CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT … USING INDEX), then run migrate again';
                END IF;
                ALTER TABLE stream_chapters ADD CONSTRAINT stream_chapters_pkey PRIMARY KEY (id);
            END IF;
            IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass('stream_chapters') AND conname = 'stream_chapters_stream_id_title_key') THEN
                IF EXISTS (SELECT 1 FROM stream_chapters) THEN
                    RAISE EXCEPTION 'AddStreamChapters: table stream_chapters exists without stream_chapters_stream_id_title_key, whose index cannot be built while the table holds rows without locking out writers; build it by hand (CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT … USING INDEX), then run migrate again';
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
COMMIT;


DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_AddStreamChapters') THEN
    DO $validate$
    BEGIN
        IF EXISTS (SELECT 1 FROM pg_constraint
                   WHERE conrelid = to_regclass('stream_chapters') AND conname = 'ck_stream_chapters_starts_at_seconds' AND NOT convalidated) THEN
            ALTER TABLE stream_chapters VALIDATE CONSTRAINT ck_stream_chapters_starts_at_seconds;
        END IF;
    END
    $validate$;
    END IF;
END $EF$;
START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_AddStreamChapters') THEN
    DO $constraint$
    BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass('stream_chapters') AND conname = 'stream_chapters_stream_id_fkey') THEN
            ALTER TABLE stream_chapters ADD CONSTRAINT stream_chapters_stream_id_fkey FOREIGN KEY (stream_id) REFERENCES streams (id) ON DELETE CASCADE NOT VALID;
        END IF;
    END
    $constraint$;
    END IF;
END $EF$;
COMMIT;


DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_AddStreamChapters') THEN
    DO $validate$
    BEGIN
        IF EXISTS (SELECT 1 FROM pg_constraint
                   WHERE conrelid = to_regclass('stream_chapters') AND conname = 'stream_chapters_stream_id_fkey' AND NOT convalidated) THEN
            ALTER TABLE stream_chapters VALIDATE CONSTRAINT stream_chapters_stream_id_fkey;
        END IF;
    END
    $validate$;
    END IF;
END $EF$;
START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_AddStreamChapters') THEN
    DO $index$
    BEGIN
        IF to_regclass('idx_stream_chapters_stream_id') IS NULL THEN
            CREATE INDEX IF NOT EXISTS idx_stream_chapters_stream_id ON stream_chapters (stream_id);
        END IF;
    END
    $index$;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_AddStreamChapters') THEN
    DO $index$
    BEGIN
        IF to_regclass('ux_stream_chapters_stream_start') IS NULL THEN
            CREATE UNIQUE INDEX IF NOT EXISTS ux_stream_chapters_stream_start ON stream_chapters (stream_id, starts_at_seconds);
        END IF;
    END
    $index$;
    END IF;
END $EF$;
COMMIT;

-- Down
START TRANSACTION;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_AddStreamChapters') THEN
    DO $guard$
    DECLARE
        t text;
        has_rows boolean;
    BEGIN
        FOREACH t IN ARRAY ARRAY['stream_chapters'] LOOP
            CONTINUE WHEN to_regclass(quote_ident(t)) IS NULL;
            EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I)', t) INTO has_rows;
            IF has_rows THEN
                RAISE EXCEPTION 'refusing to revert AddStreamChapters: table % holds rows; back it up and empty it first', t;
            END IF;
        END LOOP;
    END
    $guard$;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_AddStreamChapters') THEN
    DROP TABLE IF EXISTS stream_chapters;
    END IF;
END $EF$;
COMMIT;


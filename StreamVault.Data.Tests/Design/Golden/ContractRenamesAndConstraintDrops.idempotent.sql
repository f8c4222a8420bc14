-- Up
START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_ContractRenamesAndConstraintDrops') THEN
    DO $rename$
    BEGIN
        IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('streams') AND attname = 'recording_path' AND NOT attisdropped) AND NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('streams') AND attname = 'file_path' AND NOT attisdropped) THEN
            ALTER TABLE streams RENAME COLUMN recording_path TO file_path;
        END IF;
    END
    $rename$;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_ContractRenamesAndConstraintDrops') THEN
    DO $rename$
    BEGIN
        IF to_regclass('push_subscriptions') IS NOT NULL AND to_regclass('web_push_subscriptions') IS NULL THEN
            ALTER TABLE push_subscriptions RENAME TO web_push_subscriptions;
        END IF;
    END
    $rename$;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_ContractRenamesAndConstraintDrops') THEN
    DO $rename$
    BEGIN
        IF to_regclass('idx_streams_ended_at') IS NOT NULL AND to_regclass('idx_streams_end') IS NULL THEN
            ALTER INDEX idx_streams_ended_at RENAME TO idx_streams_end;
        END IF;
    END
    $rename$;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_ContractRenamesAndConstraintDrops') THEN
    DO $drop$
    BEGIN
        IF EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass('streams') AND conname = 'ck_streams_episode_number_positive') THEN
            ALTER TABLE streams DROP CONSTRAINT IF EXISTS ck_streams_episode_number_positive;
        END IF;
    END
    $drop$;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_ContractRenamesAndConstraintDrops') THEN
    DO $drop$
    BEGIN
        IF EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass('stream_chapters') AND conname = 'stream_chapters_stream_id_title_key') THEN
            ALTER TABLE stream_chapters DROP CONSTRAINT IF EXISTS stream_chapters_stream_id_title_key;
        END IF;
    END
    $drop$;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_ContractRenamesAndConstraintDrops') THEN
    DO $drop$
    BEGIN
        IF EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass('stream_chapters') AND conname = 'stream_chapters_pkey') THEN
            ALTER TABLE stream_chapters DROP CONSTRAINT IF EXISTS stream_chapters_pkey;
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
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_ContractRenamesAndConstraintDrops') THEN
    DO $duplicate$
    DECLARE
        other text;
    BEGIN
        SELECT string_agg(c.relname::text, ', ' ORDER BY c.relname) INTO other
        FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        WHERE i.indrelid = to_regclass('stream_chapters') AND c.relname <> 'stream_chapters_pkey' AND i.indexprs IS NULL
          AND ARRAY(SELECT a.attname::text
                    FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k (attnum, n)
                    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                    WHERE k.n <= i.indnkeyatts ORDER BY k.n) = ARRAY['id'];
        IF other IS NOT NULL THEN
            RAISE NOTICE 'ContractRenamesAndConstraintDrops: index stream_chapters_pkey on stream_chapters (id) duplicates %, an index of the same columns; keep one of them', other;
        END IF;
    END
    $duplicate$;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_ContractRenamesAndConstraintDrops') THEN
    DO $prepare$
    DECLARE
        wanted record;
        existing record;
    BEGIN
        FOR wanted IN
            SELECT * FROM (VALUES
                ('stream_chapters_pkey', 'stream_chapters', true, 'btree (id)')
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
                RAISE EXCEPTION 'ContractRenamesAndConstraintDrops: index % exists with another definition: found "%", expected "CREATE %INDEX % ON % USING %"; StreamVault.Data does not replace indexes it did not create: drop or rename it, then run migrate again',
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
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_ContractRenamesAndConstraintDrops') THEN
    CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS stream_chapters_pkey ON stream_chapters (id);
    END IF;
END $EF$;
START TRANSACTION;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_ContractRenamesAndConstraintDrops') THEN
    DO $constraint$
    BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass('stream_chapters') AND conname = 'stream_chapters_pkey') THEN
            ALTER TABLE stream_chapters ADD CONSTRAINT stream_chapters_pkey PRIMARY KEY USING INDEX stream_chapters_pkey;
        END IF;
    END
    $constraint$;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_ContractRenamesAndConstraintDrops') THEN
    DO $duplicate$
    DECLARE
        other text;
    BEGIN
        SELECT string_agg(c.relname::text, ', ' ORDER BY c.relname) INTO other
        FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        WHERE i.indrelid = to_regclass('stream_chapters') AND c.relname <> 'stream_chapters_stream_id_title_key' AND i.indexprs IS NULL
          AND ARRAY(SELECT a.attname::text
                    FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k (attnum, n)
                    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                    WHERE k.n <= i.indnkeyatts ORDER BY k.n) = ARRAY['stream_id', 'title'];
        IF other IS NOT NULL THEN
            RAISE NOTICE 'ContractRenamesAndConstraintDrops: index stream_chapters_stream_id_title_key on stream_chapters (stream_id, title) duplicates %, an index of the same columns; keep one of them', other;
        END IF;
    END
    $duplicate$;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_ContractRenamesAndConstraintDrops') THEN
    DO $prepare$
    DECLARE
        wanted record;
        existing record;
    BEGIN
        FOR wanted IN
            SELECT * FROM (VALUES
                ('stream_chapters_stream_id_title_key', 'stream_chapters', true, 'btree (stream_id, title)')
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
                RAISE EXCEPTION 'ContractRenamesAndConstraintDrops: index % exists with another definition: found "%", expected "CREATE %INDEX % ON % USING %"; StreamVault.Data does not replace indexes it did not create: drop or rename it, then run migrate again',
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
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_ContractRenamesAndConstraintDrops') THEN
    CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS stream_chapters_stream_id_title_key ON stream_chapters (stream_id, title);
    END IF;
END $EF$;
START TRANSACTION;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_ContractRenamesAndConstraintDrops') THEN
    DO $constraint$
    BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass('stream_chapters') AND conname = 'stream_chapters_stream_id_title_key') THEN
            ALTER TABLE stream_chapters ADD CONSTRAINT stream_chapters_stream_id_title_key UNIQUE USING INDEX stream_chapters_stream_id_title_key;
        END IF;
    END
    $constraint$;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_ContractRenamesAndConstraintDrops') THEN
    DO $constraint$
    BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass('streams') AND conname = 'ck_streams_episode_number_positive') THEN
            ALTER TABLE streams ADD CONSTRAINT ck_streams_episode_number_positive CHECK (episode_number > 0) NOT VALID;
        END IF;
    END
    $constraint$;
    END IF;
END $EF$;
COMMIT;

DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_ContractRenamesAndConstraintDrops') THEN
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
START TRANSACTION;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_ContractRenamesAndConstraintDrops') THEN
    DO $rename$
    BEGIN
        IF to_regclass('idx_streams_end') IS NOT NULL AND to_regclass('idx_streams_ended_at') IS NULL THEN
            ALTER INDEX idx_streams_end RENAME TO idx_streams_ended_at;
        END IF;
    END
    $rename$;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_ContractRenamesAndConstraintDrops') THEN
    DO $rename$
    BEGIN
        IF to_regclass('web_push_subscriptions') IS NOT NULL AND to_regclass('push_subscriptions') IS NULL THEN
            ALTER TABLE web_push_subscriptions RENAME TO push_subscriptions;
        END IF;
    END
    $rename$;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "migration_id" = '20990101000000_ContractRenamesAndConstraintDrops') THEN
    DO $rename$
    BEGIN
        IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('streams') AND attname = 'file_path' AND NOT attisdropped) AND NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('streams') AND attname = 'recording_path' AND NOT attisdropped) THEN
            ALTER TABLE streams RENAME COLUMN file_path TO recording_path;
        END IF;
    END
    $rename$;
    END IF;
END $EF$;
COMMIT;


using Microsoft.EntityFrameworkCore.Migrations;

namespace StreamVault.Data.Migrations;

/// <summary>
/// The 17 tables of the newest release (2026-08) besides the five, so that any release's database ends with every
/// table, column, index, constraint and trigger the newest app has: a table that is absent is created whole, one a
/// release made is completed (columns, server defaults, indexes built concurrently, unique constraints over those
/// indexes, foreign keys added NOT VALID then validated), and nothing a release made is dropped, narrowed or replaced.
/// What older rows cannot give (a NOT NULL column over existing rows, duplicates under a new unique constraint, orphans
/// under a new foreign key) stops the run in its first step, in one line, before anything changes.
/// Written with the migration generator, then by hand (see docs/releases.md).
/// </summary>
internal partial class AddTablesOfNewerReleases : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);

        // What the newest release needs and an older release's rows cannot give is named first, in one line, before
        // anything changes: a NOT NULL column over existing rows, a unique constraint over duplicates, a foreign key
        // over orphans. Read-only, so run outside the migration's transaction, taking no lock beyond reading.
        migrationBuilder.Sql("""
            DO $preflight$
            DECLARE
                problems text[] := '{}';
                wanted record;
                found bigint;
                listed text;
            BEGIN
                -- NOT NULL columns without a constant default that a release lacks: PostgreSQL can add one only to an empty table.
                FOR wanted IN
                    SELECT w.table_name, w.column_name, w.hint
                    FROM (VALUES
                            ('users', 'username', ''),
                            ('users', 'password', ' (v1.0.42/43 keeps the hash in password_hash: add the column and copy it)'),
                            ('sessions', 'token', ' (v1.0.42/43 keeps it in session_token; they are logins: deleting them signs their users out)'),
                            ('api_keys', 'user_id', ''),
                            ('api_keys', 'name', ''),
                            ('api_keys', 'key_hash', ''),
                            ('api_keys', 'key_prefix', ''),
                            ('notification_state', 'user_id', ''),
                            ('categories', 'twitch_id', ' (v1.0.42/43 categories have no Twitch id; the app adds categories again as it sees them)'),
                            ('categories', 'name', ''),
                            ('notification_settings', 'streamer_id', ''),
                            ('streamer_recording_settings', 'streamer_id', ''),
                            ('proxy_settings', 'proxy_url', ''),
                            ('proxy_settings', 'created_at', ''),
                            ('proxy_settings', 'updated_at', ''),
                            ('recordings', 'stream_id', ''),
                            ('recordings', 'start_time', ''),
                            ('recordings', 'status', ''),
                            ('active_recordings_state', 'stream_id', ''),
                            ('active_recordings_state', 'recording_id', ''),
                            ('active_recordings_state', 'process_id', ''),
                            ('active_recordings_state', 'process_identifier', ''),
                            ('active_recordings_state', 'streamer_name', ''),
                            ('active_recordings_state', 'started_at', ''),
                            ('active_recordings_state', 'ts_output_path', ''),
                            ('recording_processing_state', 'recording_id', ''),
                            ('recording_processing_state', 'stream_id', ''),
                            ('recording_processing_state', 'streamer_id', ''),
                            ('share_tokens', 'token', ''),
                            ('share_tokens', 'stream_id', ''),
                            ('share_tokens', 'expires_at', ''),
                            ('stream_events', 'event_type', '')
                        ) AS w (table_name, column_name, hint)
                    WHERE to_regclass(w.table_name) IS NOT NULL
                      AND NOT EXISTS (SELECT 1 FROM pg_attribute a
                                      WHERE a.attrelid = to_regclass(w.table_name) AND a.attname = w.column_name AND NOT a.attisdropped)
                LOOP
                    EXECUTE format('SELECT count(*), string_agg(id::text, '', '' ORDER BY id) FILTER (WHERE n <= 10)
                                    FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM %I) AS r', wanted.table_name)
                        INTO found, listed;
                    IF found > 0 THEN
                        problems := problems || format(
                            'cannot add %s.%s (NOT NULL, no default): %s holds %s row(s) that would have no value (rows %s%s)%s; add the column with their values yourself, or delete those rows',
                            wanted.table_name, wanted.column_name, wanted.table_name, found, listed,
                            CASE WHEN found > 10 THEN format(' and %s more', found - 10) ELSE '' END, wanted.hint);
                    END IF;
                END LOOP;

                -- Unique constraints and indexes a release lacks are built over existing rows: duplicates would fail the build.
                FOR wanted IN
                    SELECT w.table_name, w.index_name, w.columns, w.quoted
                    FROM (VALUES
                            ('users', 'users_username_key', ARRAY['username'], true),
                            ('sessions', 'sessions_token_key', ARRAY['token'], true),
                            ('api_keys', 'api_keys_key_hash_key', ARRAY['key_hash'], true),
                            ('notification_state', 'notification_state_user_id_key', ARRAY['user_id'], false),
                            ('categories', 'categories_twitch_id_key', ARRAY['twitch_id'], true),
                            ('notification_settings', 'notification_settings_streamer_id_key', ARRAY['streamer_id'], false),
                            ('streamer_recording_settings', 'streamer_recording_settings_streamer_id_key', ARRAY['streamer_id'], false),
                            ('active_recordings_state', 'active_recordings_state_stream_id_key', ARRAY['stream_id'], false),
                            ('recording_processing_state', 'ix_rps_recording_id', ARRAY['recording_id'], false),
                            ('share_tokens', 'share_tokens_token_key', ARRAY['token'], true),
                            ('stream_metadata', 'stream_metadata_stream_id_key', ARRAY['stream_id'], false),
                            ('favorite_categories', 'favorite_categories_user_id_category_id_key', ARRAY['user_id', 'category_id'], false),
                            ('push_subscriptions', 'push_subscriptions_endpoint_key', ARRAY['endpoint'], true)
                        ) AS w (table_name, index_name, columns, quoted)
                    WHERE to_regclass(w.table_name) IS NOT NULL
                      AND to_regclass(w.index_name) IS NULL
                      AND (SELECT count(*) FROM pg_attribute a
                           WHERE a.attrelid = to_regclass(w.table_name) AND a.attname = ANY (w.columns) AND NOT a.attisdropped) = cardinality(w.columns)
                      AND NOT EXISTS (SELECT 1 FROM pg_index i
                                      WHERE i.indrelid = to_regclass(w.table_name) AND i.indisunique AND i.indisvalid AND i.indpred IS NULL
                                        AND i.indexprs IS NULL
                                        AND i.indkey::text = (SELECT string_agg(a.attnum::text, ' ' ORDER BY c.n)
                                                              FROM unnest(w.columns) WITH ORDINALITY AS c (name, n)
                                                              JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attname = c.name))
                LOOP
                    EXECUTE format('SELECT count(*), string_agg(format(''%%s (rows %%s)'', shown, ids), '', '' ORDER BY shown) FILTER (WHERE n <= 10)
                                    FROM (SELECT %s AS shown, string_agg(id::text, '', '' ORDER BY id) AS ids, row_number() OVER (ORDER BY %s) AS n
                                          FROM %I WHERE %s GROUP BY %s HAVING count(*) > 1) AS d',
                                   CASE WHEN cardinality(wanted.columns) > 1 THEN format('''('' || concat_ws('', '', %s) || '')''', array_to_string(wanted.columns, ', '))
                                        WHEN wanted.quoted THEN format('quote_literal(%I)', wanted.columns[1])
                                        ELSE format('%I::text', wanted.columns[1]) END,
                                   array_to_string(wanted.columns, ', '), wanted.table_name,
                                   (SELECT string_agg(format('%I IS NOT NULL', c), ' AND ') FROM unnest(wanted.columns) AS c),
                                   array_to_string(wanted.columns, ', '))
                        INTO found, listed;
                    IF found > 0 THEN
                        problems := problems || format(
                            'cannot make %s.%s unique (%s): %s value(s) belong to more than one row: %s%s; keep one row per value (delete the others)',
                            wanted.table_name, array_to_string(wanted.columns, '+'), wanted.index_name, found, listed,
                            CASE WHEN found > 10 THEN format(' and %s more', found - 10) ELSE '' END);
                    END IF;
                END LOOP;

                -- Foreign keys a table lacks (or has not validated) are checked against every existing row.
                FOR wanted IN
                    SELECT w.table_name, w.constraint_name, w.column_name, w.referenced, w.nullable
                    FROM (VALUES
                            ('sessions', 'sessions_user_id_fkey', 'user_id', 'users', true),
                            ('api_keys', 'api_keys_user_id_fkey', 'user_id', 'users', false),
                            ('notification_state', 'notification_state_user_id_fkey', 'user_id', 'users', false),
                            ('favorite_categories', 'favorite_categories_user_id_fkey', 'user_id', 'users', true),
                            ('favorite_categories', 'favorite_categories_category_id_fkey', 'category_id', 'categories', true),
                            ('notification_settings', 'notification_settings_streamer_id_fkey', 'streamer_id', 'streamers', false),
                            ('streamer_recording_settings', 'streamer_recording_settings_streamer_id_fkey', 'streamer_id', 'streamers', false),
                            ('recordings', 'recordings_stream_id_fkey', 'stream_id', 'streams', false),
                            ('active_recordings_state', 'active_recordings_state_stream_id_fkey', 'stream_id', 'streams', false),
                            ('active_recordings_state', 'active_recordings_state_recording_id_fkey', 'recording_id', 'recordings', false),
                            ('stream_events', 'stream_events_stream_id_fkey', 'stream_id', 'streams', true),
                            ('stream_metadata', 'stream_metadata_stream_id_fkey', 'stream_id', 'streams', true)
                        ) AS w (table_name, constraint_name, column_name, referenced, nullable)
                    WHERE to_regclass(w.table_name) IS NOT NULL AND to_regclass(w.referenced) IS NOT NULL
                      AND EXISTS (SELECT 1 FROM pg_attribute a
                                  WHERE a.attrelid = to_regclass(w.table_name) AND a.attname = w.column_name AND NOT a.attisdropped)
                      AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                                      WHERE c.conrelid = to_regclass(w.table_name) AND c.conname = w.constraint_name AND c.convalidated)
                LOOP
                    EXECUTE format('SELECT count(*), string_agg(id::text, '', '' ORDER BY id) FILTER (WHERE n <= 10)
                                    FROM (SELECT t.id, row_number() OVER (ORDER BY t.id) AS n FROM %I AS t
                                          WHERE t.%I IS NOT NULL AND NOT EXISTS (SELECT 1 FROM %I AS r WHERE r.id = t.%I)) AS o',
                                   wanted.table_name, wanted.column_name, wanted.referenced, wanted.column_name)
                        INTO found, listed;
                    IF found > 0 THEN
                        problems := problems || format(
                            'cannot add foreign key %s: %s row(s) of %s reference no %s row (rows %s%s); delete them or set their %s to an existing %s id%s',
                            wanted.constraint_name, found, wanted.table_name, wanted.referenced, listed,
                            CASE WHEN found > 10 THEN format(' and %s more', found - 10) ELSE '' END, wanted.column_name, wanted.referenced,
                            CASE WHEN wanted.nullable THEN ' or NULL' ELSE '' END);
                    END IF;
                END LOOP;

                IF cardinality(problems) > 0 THEN
                    RAISE EXCEPTION '%', array_to_string(problems, '; ') || ', then run migrate again';
                END IF;
            END
            $preflight$;
            """, suppressTransaction: true);

        // The app's trigger function (its migration 001): created where missing, an existing one is kept as it is.
        migrationBuilder.Sql("""
            DO $function$
            BEGIN
                IF to_regprocedure('update_updated_at_column()') IS NULL THEN
                    CREATE FUNCTION update_updated_at_column() RETURNS trigger LANGUAGE plpgsql AS $body$
                    BEGIN
                        NEW.updated_at = CURRENT_TIMESTAMP;
                        RETURN NEW;
                    END;
                    $body$;
                END IF;
            END
            $function$;
            """);

        // users: who signs in to the web UI (June 2025 on; v1.0.42/43 kept the hash in password_hash). Absent, it is
        // created whole (empty, so its indexes are built in place). Present (a release made it), only what it lacks is
        // added, each part checked in the catalog first so a complete table takes no lock; columns and defaults a
        // release set stay as they are.
        migrationBuilder.Sql("""
            DO $table$
            DECLARE
                wanted record;
            BEGIN
                IF to_regclass('users') IS NULL THEN
                    CREATE TABLE IF NOT EXISTS users (
                        id serial NOT NULL,
                        username character varying NOT NULL,
                        password character varying NOT NULL,
                        is_admin boolean DEFAULT false,
                        created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
                        CONSTRAINT users_pkey PRIMARY KEY (id),
                        CONSTRAINT users_username_key UNIQUE (username)
                    );
                    RETURN;
                END IF;

                -- Columns a release lacks, nullable or with a constant default: catalog only (existing rows read the default).
                IF (SELECT count(*) FROM pg_attribute WHERE attrelid = 'users'::regclass AND NOT attisdropped
                    AND attname IN ('is_admin')) < 1 THEN
                    ALTER TABLE users
                        ADD COLUMN IF NOT EXISTS is_admin boolean DEFAULT false;
                END IF;

                -- created_at: added without its default first, so existing rows keep NULL rather than this run's time.
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'created_at' AND NOT attisdropped) THEN
                    ALTER TABLE users ADD COLUMN created_at timestamp with time zone, ALTER COLUMN created_at SET DEFAULT CURRENT_TIMESTAMP;
                END IF;

                -- username is NOT NULL without a constant default: only an empty table takes it (the first step named any rows).
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'username' AND NOT attisdropped) THEN
                    IF EXISTS (SELECT 1 FROM users) THEN
                        RAISE EXCEPTION 'AddTablesOfNewerReleases: users gained rows while this run added its NOT NULL column username; run migrate again, which names what to fix';
                    END IF;
                    ALTER TABLE users ADD COLUMN username character varying NOT NULL;
                END IF;

                -- password is NOT NULL without a constant default: only an empty table takes it (the first step named any rows).
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'password' AND NOT attisdropped) THEN
                    IF EXISTS (SELECT 1 FROM users) THEN
                        RAISE EXCEPTION 'AddTablesOfNewerReleases: users gained rows while this run added its NOT NULL column password; run migrate again, which names what to fix';
                    END IF;
                    ALTER TABLE users ADD COLUMN password character varying NOT NULL;
                END IF;

                -- Older releases left these without a server default; one a release set is kept as it is (catalog only).
                FOR wanted IN
                    SELECT w.column_name, w.expression
                    FROM (VALUES ('is_admin', 'false'), ('created_at', 'CURRENT_TIMESTAMP')) AS w (column_name, expression)
                    JOIN pg_attribute a ON a.attrelid = 'users'::regclass AND a.attname = w.column_name AND NOT a.attisdropped
                    WHERE NOT a.atthasdef
                LOOP
                    EXECUTE format('ALTER TABLE users ALTER COLUMN %I SET DEFAULT %s', wanted.column_name, wanted.expression);
                END LOOP;

                -- password_hash: v1.0.42/43 kept the password hash here; the newest app never writes it, so its NOT NULL would refuse the app's inserts; dropping it only widens (catalog only).
                IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'password_hash' AND attnotnull AND NOT attisdropped) THEN
                    ALTER TABLE users ALTER COLUMN password_hash DROP NOT NULL;
                END IF;
            END
            $table$;
            """);

        // IF NOT EXISTS would keep an INVALID index a failed concurrent build left on users: such a leftover is dropped
        // first; an index of the same name with another definition is someone else's: stop, naming both.
        migrationBuilder.Sql("""
            DO $prepare$
            DECLARE
                wanted record;
                existing record;
            BEGIN
                FOR wanted IN
                    SELECT * FROM (VALUES
                        ('users_username_key', 'users', true, 'btree (username)')
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
                        RAISE EXCEPTION 'AddTablesOfNewerReleases: index % exists with another definition: found "%", expected "CREATE %INDEX % ON % USING %"; StreamVault.Data does not replace indexes it did not create: drop or rename it, then run migrate again',
                            wanted.name, existing.definition, CASE WHEN wanted.is_unique THEN 'UNIQUE ' ELSE '' END,
                            wanted.name, wanted.table_name, wanted.method;
                    END IF;
                END LOOP;
            END
            $prepare$;
            """);

        // Built concurrently, outside any transaction, where a release lacks it: users may be large and written to. Not
        // sent at all where the index exists.
        migrationBuilder.Sql("""
            CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_username_key ON users (username);
            """, suppressTransaction: true);

        // The app's unique constraint takes over the index just built (catalog only); checked first.
        migrationBuilder.Sql("""
            DO $constraint$
            BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'users'::regclass AND conname = 'users_username_key') THEN
                    ALTER TABLE users ADD CONSTRAINT users_username_key UNIQUE USING INDEX users_username_key;
                END IF;
            END
            $constraint$;
            """);

        // sessions: signed-in browsers (June 2025 on; expires_at from July 2025, which June sessions lack and the app
        // never reads). Absent, it is created whole (empty, so its indexes are built in place). Present (a release made
        // it), only what it lacks is added, each part checked in the catalog first so a complete table takes no lock;
        // columns and defaults a release set stay as they are.
        migrationBuilder.Sql("""
            DO $table$
            DECLARE
                wanted record;
            BEGIN
                IF to_regclass('sessions') IS NULL THEN
                    CREATE TABLE IF NOT EXISTS sessions (
                        id serial NOT NULL,
                        user_id integer,
                        token character varying NOT NULL,
                        expires_at timestamp with time zone DEFAULT (CURRENT_TIMESTAMP + '24:00:00'::interval),
                        created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
                        CONSTRAINT sessions_pkey PRIMARY KEY (id),
                        CONSTRAINT sessions_token_key UNIQUE (token),
                        CONSTRAINT sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
                    );
                    CREATE INDEX IF NOT EXISTS idx_sessions_created_at ON sessions (created_at);
                    CREATE INDEX IF NOT EXISTS idx_sessions_expires_at ON sessions (expires_at);
                    CREATE INDEX IF NOT EXISTS idx_sessions_token ON sessions (token);
                    CREATE INDEX IF NOT EXISTS idx_sessions_user_id ON sessions (user_id);
                    RETURN;
                END IF;

                -- Columns a release lacks, nullable or with a constant default: catalog only (existing rows read the default).
                IF (SELECT count(*) FROM pg_attribute WHERE attrelid = 'sessions'::regclass AND NOT attisdropped
                    AND attname IN ('user_id')) < 1 THEN
                    ALTER TABLE sessions
                        ADD COLUMN IF NOT EXISTS user_id integer;
                END IF;

                -- expires_at: added without its default first, so existing rows keep NULL rather than this run's time.
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'sessions'::regclass AND attname = 'expires_at' AND NOT attisdropped) THEN
                    ALTER TABLE sessions ADD COLUMN expires_at timestamp with time zone, ALTER COLUMN expires_at SET DEFAULT (CURRENT_TIMESTAMP + '24:00:00'::interval);
                END IF;

                -- created_at: added without its default first, so existing rows keep NULL rather than this run's time.
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'sessions'::regclass AND attname = 'created_at' AND NOT attisdropped) THEN
                    ALTER TABLE sessions ADD COLUMN created_at timestamp with time zone, ALTER COLUMN created_at SET DEFAULT CURRENT_TIMESTAMP;
                END IF;

                -- token is NOT NULL without a constant default: only an empty table takes it (the first step named any rows).
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'sessions'::regclass AND attname = 'token' AND NOT attisdropped) THEN
                    IF EXISTS (SELECT 1 FROM sessions) THEN
                        RAISE EXCEPTION 'AddTablesOfNewerReleases: sessions gained rows while this run added its NOT NULL column token; run migrate again, which names what to fix';
                    END IF;
                    ALTER TABLE sessions ADD COLUMN token character varying NOT NULL;
                END IF;

                -- Older releases left these without a server default; one a release set is kept as it is (catalog only).
                FOR wanted IN
                    SELECT w.column_name, w.expression
                    FROM (VALUES ('expires_at', '(CURRENT_TIMESTAMP + ''24:00:00''::interval)'), ('created_at', 'CURRENT_TIMESTAMP')) AS w (column_name, expression)
                    JOIN pg_attribute a ON a.attrelid = 'sessions'::regclass AND a.attname = w.column_name AND NOT a.attisdropped
                    WHERE NOT a.atthasdef
                LOOP
                    EXECUTE format('ALTER TABLE sessions ALTER COLUMN %I SET DEFAULT %s', wanted.column_name, wanted.expression);
                END LOOP;

                -- session_token: v1.0.42/43 kept the token here; the newest app never writes it, so its NOT NULL would refuse the app's inserts; dropping it only widens (catalog only).
                IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'sessions'::regclass AND attname = 'session_token' AND attnotnull AND NOT attisdropped) THEN
                    ALTER TABLE sessions ALTER COLUMN session_token DROP NOT NULL;
                END IF;
            END
            $table$;
            """);

        // IF NOT EXISTS would keep an INVALID index a failed concurrent build left on sessions: such a leftover is
        // dropped first; an index of the same name with another definition is someone else's: stop, naming both.
        migrationBuilder.Sql("""
            DO $prepare$
            DECLARE
                wanted record;
                existing record;
            BEGIN
                FOR wanted IN
                    SELECT * FROM (VALUES
                        ('sessions_token_key', 'sessions', true, 'btree (token)'),
                        ('idx_sessions_created_at', 'sessions', false, 'btree (created_at)'),
                        ('idx_sessions_expires_at', 'sessions', false, 'btree (expires_at)'),
                        ('idx_sessions_token', 'sessions', false, 'btree (token)'),
                        ('idx_sessions_user_id', 'sessions', false, 'btree (user_id)')
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
                        RAISE EXCEPTION 'AddTablesOfNewerReleases: index % exists with another definition: found "%", expected "CREATE %INDEX % ON % USING %"; StreamVault.Data does not replace indexes it did not create: drop or rename it, then run migrate again',
                            wanted.name, existing.definition, CASE WHEN wanted.is_unique THEN 'UNIQUE ' ELSE '' END,
                            wanted.name, wanted.table_name, wanted.method;
                    END IF;
                END LOOP;
            END
            $prepare$;
            """);

        // Built concurrently, outside any transaction, where a release lacks it: sessions may be large and written to.
        // Not sent at all where the index exists.
        migrationBuilder.Sql("""
            CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS sessions_token_key ON sessions (token);
            """, suppressTransaction: true);

        // Built concurrently, outside any transaction, where a release lacks it: sessions may be large and written to.
        // Not sent at all where the index exists.
        migrationBuilder.Sql("""
            CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_sessions_created_at ON sessions (created_at);
            """, suppressTransaction: true);

        // Built concurrently, outside any transaction, where a release lacks it: sessions may be large and written to.
        // Not sent at all where the index exists.
        migrationBuilder.Sql("""
            CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_sessions_expires_at ON sessions (expires_at);
            """, suppressTransaction: true);

        // Built concurrently, outside any transaction, where a release lacks it: sessions may be large and written to.
        // Not sent at all where the index exists.
        migrationBuilder.Sql("""
            CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_sessions_token ON sessions (token);
            """, suppressTransaction: true);

        // Built concurrently, outside any transaction, where a release lacks it: sessions may be large and written to.
        // Not sent at all where the index exists.
        migrationBuilder.Sql("""
            CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_sessions_user_id ON sessions (user_id);
            """, suppressTransaction: true);

        // The app's unique constraint takes over the index just built (catalog only); checked first.
        migrationBuilder.Sql("""
            DO $constraint$
            BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'sessions'::regclass AND conname = 'sessions_token_key') THEN
                    ALTER TABLE sessions ADD CONSTRAINT sessions_token_key UNIQUE USING INDEX sessions_token_key;
                END IF;
            END
            $constraint$;
            """);

        // A foreign key the table lacks is added NOT VALID: new rows are checked from now on, existing ones are not
        // scanned while the lock is held. Checked in the catalog first; a release's own (June 2025's without ON DELETE)
        // is kept.
        migrationBuilder.Sql("""
            DO $constraint$
            BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'sessions'::regclass AND conname = 'sessions_user_id_fkey') THEN
                    ALTER TABLE sessions ADD CONSTRAINT sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE NOT VALID;
                END IF;
            END
            $constraint$;
            """);

        // Validated in a transaction of its own: the scan holds only SHARE UPDATE EXCLUSIVE on sessions and ROW SHARE
        // on users. Skipped when already valid (orphans were named by the first step).
        migrationBuilder.Sql("""
            DO $validate$
            BEGIN
                IF EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'sessions'::regclass AND conname = 'sessions_user_id_fkey' AND NOT convalidated) THEN
                    ALTER TABLE sessions VALIDATE CONSTRAINT sessions_user_id_fkey;
                END IF;
            END
            $validate$;
            """, suppressTransaction: true);

        // api_keys: users' API keys (2026-05 on). Absent, it is created whole (empty, so its indexes are built in
        // place). Present (a release made it), only what it lacks is added, each part checked in the catalog first so a
        // complete table takes no lock; columns and defaults a release set stay as they are.
        migrationBuilder.Sql("""
            DO $table$
            DECLARE
                wanted record;
            BEGIN
                IF to_regclass('api_keys') IS NULL THEN
                    CREATE TABLE IF NOT EXISTS api_keys (
                        id serial NOT NULL,
                        user_id integer NOT NULL,
                        name character varying NOT NULL,
                        key_hash character varying NOT NULL,
                        key_prefix character varying(12) NOT NULL,
                        created_at timestamp with time zone DEFAULT now(),
                        last_used_at timestamp with time zone,
                        revoked_at timestamp with time zone,
                        CONSTRAINT api_keys_pkey PRIMARY KEY (id),
                        CONSTRAINT api_keys_key_hash_key UNIQUE (key_hash),
                        CONSTRAINT api_keys_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
                    );
                    CREATE INDEX IF NOT EXISTS ix_api_keys_key_hash ON api_keys (key_hash);
                    CREATE INDEX IF NOT EXISTS ix_api_keys_user_id ON api_keys (user_id);
                    RETURN;
                END IF;

                -- Columns a release lacks, nullable or with a constant default: catalog only (existing rows read the default).
                IF (SELECT count(*) FROM pg_attribute WHERE attrelid = 'api_keys'::regclass AND NOT attisdropped
                    AND attname IN ('last_used_at', 'revoked_at')) < 2 THEN
                    ALTER TABLE api_keys
                        ADD COLUMN IF NOT EXISTS last_used_at timestamp with time zone,
                        ADD COLUMN IF NOT EXISTS revoked_at timestamp with time zone;
                END IF;

                -- created_at: added without its default first, so existing rows keep NULL rather than this run's time.
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'api_keys'::regclass AND attname = 'created_at' AND NOT attisdropped) THEN
                    ALTER TABLE api_keys ADD COLUMN created_at timestamp with time zone, ALTER COLUMN created_at SET DEFAULT now();
                END IF;

                -- user_id is NOT NULL without a constant default: only an empty table takes it (the first step named any rows).
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'api_keys'::regclass AND attname = 'user_id' AND NOT attisdropped) THEN
                    IF EXISTS (SELECT 1 FROM api_keys) THEN
                        RAISE EXCEPTION 'AddTablesOfNewerReleases: api_keys gained rows while this run added its NOT NULL column user_id; run migrate again, which names what to fix';
                    END IF;
                    ALTER TABLE api_keys ADD COLUMN user_id integer NOT NULL;
                END IF;

                -- name is NOT NULL without a constant default: only an empty table takes it (the first step named any rows).
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'api_keys'::regclass AND attname = 'name' AND NOT attisdropped) THEN
                    IF EXISTS (SELECT 1 FROM api_keys) THEN
                        RAISE EXCEPTION 'AddTablesOfNewerReleases: api_keys gained rows while this run added its NOT NULL column name; run migrate again, which names what to fix';
                    END IF;
                    ALTER TABLE api_keys ADD COLUMN name character varying NOT NULL;
                END IF;

                -- key_hash is NOT NULL without a constant default: only an empty table takes it (the first step named any rows).
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'api_keys'::regclass AND attname = 'key_hash' AND NOT attisdropped) THEN
                    IF EXISTS (SELECT 1 FROM api_keys) THEN
                        RAISE EXCEPTION 'AddTablesOfNewerReleases: api_keys gained rows while this run added its NOT NULL column key_hash; run migrate again, which names what to fix';
                    END IF;
                    ALTER TABLE api_keys ADD COLUMN key_hash character varying NOT NULL;
                END IF;

                -- key_prefix is NOT NULL without a constant default: only an empty table takes it (the first step named any rows).
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'api_keys'::regclass AND attname = 'key_prefix' AND NOT attisdropped) THEN
                    IF EXISTS (SELECT 1 FROM api_keys) THEN
                        RAISE EXCEPTION 'AddTablesOfNewerReleases: api_keys gained rows while this run added its NOT NULL column key_prefix; run migrate again, which names what to fix';
                    END IF;
                    ALTER TABLE api_keys ADD COLUMN key_prefix character varying(12) NOT NULL;
                END IF;

                -- Older releases left these without a server default; one a release set is kept as it is (catalog only).
                FOR wanted IN
                    SELECT w.column_name, w.expression
                    FROM (VALUES ('created_at', 'now()')) AS w (column_name, expression)
                    JOIN pg_attribute a ON a.attrelid = 'api_keys'::regclass AND a.attname = w.column_name AND NOT a.attisdropped
                    WHERE NOT a.atthasdef
                LOOP
                    EXECUTE format('ALTER TABLE api_keys ALTER COLUMN %I SET DEFAULT %s', wanted.column_name, wanted.expression);
                END LOOP;
            END
            $table$;
            """);

        // IF NOT EXISTS would keep an INVALID index a failed concurrent build left on api_keys: such a leftover is
        // dropped first; an index of the same name with another definition is someone else's: stop, naming both.
        migrationBuilder.Sql("""
            DO $prepare$
            DECLARE
                wanted record;
                existing record;
            BEGIN
                FOR wanted IN
                    SELECT * FROM (VALUES
                        ('api_keys_key_hash_key', 'api_keys', true, 'btree (key_hash)'),
                        ('ix_api_keys_key_hash', 'api_keys', false, 'btree (key_hash)'),
                        ('ix_api_keys_user_id', 'api_keys', false, 'btree (user_id)')
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
                        RAISE EXCEPTION 'AddTablesOfNewerReleases: index % exists with another definition: found "%", expected "CREATE %INDEX % ON % USING %"; StreamVault.Data does not replace indexes it did not create: drop or rename it, then run migrate again',
                            wanted.name, existing.definition, CASE WHEN wanted.is_unique THEN 'UNIQUE ' ELSE '' END,
                            wanted.name, wanted.table_name, wanted.method;
                    END IF;
                END LOOP;
            END
            $prepare$;
            """);

        // Built concurrently, outside any transaction, where a release lacks it: api_keys may be large and written to.
        // Not sent at all where the index exists.
        migrationBuilder.Sql("""
            CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS api_keys_key_hash_key ON api_keys (key_hash);
            """, suppressTransaction: true);

        // Built concurrently, outside any transaction, where a release lacks it: api_keys may be large and written to.
        // Not sent at all where the index exists.
        migrationBuilder.Sql("""
            CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_api_keys_key_hash ON api_keys (key_hash);
            """, suppressTransaction: true);

        // Built concurrently, outside any transaction, where a release lacks it: api_keys may be large and written to.
        // Not sent at all where the index exists.
        migrationBuilder.Sql("""
            CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_api_keys_user_id ON api_keys (user_id);
            """, suppressTransaction: true);

        // The app's unique constraint takes over the index just built (catalog only); checked first.
        migrationBuilder.Sql("""
            DO $constraint$
            BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'api_keys'::regclass AND conname = 'api_keys_key_hash_key') THEN
                    ALTER TABLE api_keys ADD CONSTRAINT api_keys_key_hash_key UNIQUE USING INDEX api_keys_key_hash_key;
                END IF;
            END
            $constraint$;
            """);

        // A foreign key the table lacks is added NOT VALID: new rows are checked from now on, existing ones are not
        // scanned while the lock is held. Checked in the catalog first; a release's own (June 2025's without ON DELETE)
        // is kept.
        migrationBuilder.Sql("""
            DO $constraint$
            BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'api_keys'::regclass AND conname = 'api_keys_user_id_fkey') THEN
                    ALTER TABLE api_keys ADD CONSTRAINT api_keys_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE NOT VALID;
                END IF;
            END
            $constraint$;
            """);

        // Validated in a transaction of its own: the scan holds only SHARE UPDATE EXCLUSIVE on api_keys and ROW SHARE
        // on users. Skipped when already valid (orphans were named by the first step).
        migrationBuilder.Sql("""
            DO $validate$
            BEGIN
                IF EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'api_keys'::regclass AND conname = 'api_keys_user_id_fkey' AND NOT convalidated) THEN
                    ALTER TABLE api_keys VALIDATE CONSTRAINT api_keys_user_id_fkey;
                END IF;
            END
            $validate$;
            """, suppressTransaction: true);

        // notification_state: when each user last read notifications (2025-11 on). Absent, it is created whole (empty,
        // so its indexes are built in place). Present (a release made it), only what it lacks is added, each part
        // checked in the catalog first so a complete table takes no lock; columns and defaults a release set stay as
        // they are.
        migrationBuilder.Sql("""
            DO $table$
            DECLARE
                wanted record;
            BEGIN
                IF to_regclass('notification_state') IS NULL THEN
                    CREATE TABLE IF NOT EXISTS notification_state (
                        id serial NOT NULL,
                        user_id integer NOT NULL,
                        last_read_timestamp timestamp with time zone,
                        last_cleared_timestamp timestamp with time zone,
                        created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
                        updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
                        CONSTRAINT notification_state_pkey PRIMARY KEY (id),
                        CONSTRAINT notification_state_user_id_key UNIQUE (user_id),
                        CONSTRAINT notification_state_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
                    );
                    CREATE INDEX IF NOT EXISTS idx_notification_state_user_id ON notification_state (user_id);
                    RETURN;
                END IF;

                -- Columns a release lacks, nullable or with a constant default: catalog only (existing rows read the default).
                IF (SELECT count(*) FROM pg_attribute WHERE attrelid = 'notification_state'::regclass AND NOT attisdropped
                    AND attname IN ('last_read_timestamp', 'last_cleared_timestamp')) < 2 THEN
                    ALTER TABLE notification_state
                        ADD COLUMN IF NOT EXISTS last_read_timestamp timestamp with time zone,
                        ADD COLUMN IF NOT EXISTS last_cleared_timestamp timestamp with time zone;
                END IF;

                -- created_at: added without its default first, so existing rows keep NULL rather than this run's time.
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'notification_state'::regclass AND attname = 'created_at' AND NOT attisdropped) THEN
                    ALTER TABLE notification_state ADD COLUMN created_at timestamp with time zone, ALTER COLUMN created_at SET DEFAULT CURRENT_TIMESTAMP;
                END IF;

                -- updated_at: added without its default first, so existing rows keep NULL rather than this run's time.
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'notification_state'::regclass AND attname = 'updated_at' AND NOT attisdropped) THEN
                    ALTER TABLE notification_state ADD COLUMN updated_at timestamp with time zone, ALTER COLUMN updated_at SET DEFAULT CURRENT_TIMESTAMP;
                END IF;

                -- user_id is NOT NULL without a constant default: only an empty table takes it (the first step named any rows).
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'notification_state'::regclass AND attname = 'user_id' AND NOT attisdropped) THEN
                    IF EXISTS (SELECT 1 FROM notification_state) THEN
                        RAISE EXCEPTION 'AddTablesOfNewerReleases: notification_state gained rows while this run added its NOT NULL column user_id; run migrate again, which names what to fix';
                    END IF;
                    ALTER TABLE notification_state ADD COLUMN user_id integer NOT NULL;
                END IF;

                -- Older releases left these without a server default; one a release set is kept as it is (catalog only).
                FOR wanted IN
                    SELECT w.column_name, w.expression
                    FROM (VALUES ('created_at', 'CURRENT_TIMESTAMP'), ('updated_at', 'CURRENT_TIMESTAMP')) AS w (column_name, expression)
                    JOIN pg_attribute a ON a.attrelid = 'notification_state'::regclass AND a.attname = w.column_name AND NOT a.attisdropped
                    WHERE NOT a.atthasdef
                LOOP
                    EXECUTE format('ALTER TABLE notification_state ALTER COLUMN %I SET DEFAULT %s', wanted.column_name, wanted.expression);
                END LOOP;
            END
            $table$;
            """);

        // IF NOT EXISTS would keep an INVALID index a failed concurrent build left on notification_state: such a
        // leftover is dropped first; an index of the same name with another definition is someone else's: stop, naming
        // both.
        migrationBuilder.Sql("""
            DO $prepare$
            DECLARE
                wanted record;
                existing record;
            BEGIN
                FOR wanted IN
                    SELECT * FROM (VALUES
                        ('notification_state_user_id_key', 'notification_state', true, 'btree (user_id)'),
                        ('idx_notification_state_user_id', 'notification_state', false, 'btree (user_id)')
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
                        RAISE EXCEPTION 'AddTablesOfNewerReleases: index % exists with another definition: found "%", expected "CREATE %INDEX % ON % USING %"; StreamVault.Data does not replace indexes it did not create: drop or rename it, then run migrate again',
                            wanted.name, existing.definition, CASE WHEN wanted.is_unique THEN 'UNIQUE ' ELSE '' END,
                            wanted.name, wanted.table_name, wanted.method;
                    END IF;
                END LOOP;
            END
            $prepare$;
            """);

        // Built concurrently, outside any transaction, where a release lacks it: notification_state may be large and
        // written to. Not sent at all where the index exists.
        migrationBuilder.Sql("""
            CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS notification_state_user_id_key ON notification_state (user_id);
            """, suppressTransaction: true);

        // Built concurrently, outside any transaction, where a release lacks it: notification_state may be large and
        // written to. Not sent at all where the index exists.
        migrationBuilder.Sql("""
            CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_notification_state_user_id ON notification_state (user_id);
            """, suppressTransaction: true);

        // The app's unique constraint takes over the index just built (catalog only); checked first.
        migrationBuilder.Sql("""
            DO $constraint$
            BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'notification_state'::regclass AND conname = 'notification_state_user_id_key') THEN
                    ALTER TABLE notification_state ADD CONSTRAINT notification_state_user_id_key UNIQUE USING INDEX notification_state_user_id_key;
                END IF;
            END
            $constraint$;
            """);

        // A foreign key the table lacks is added NOT VALID: new rows are checked from now on, existing ones are not
        // scanned while the lock is held. Checked in the catalog first; a release's own (June 2025's without ON DELETE)
        // is kept.
        migrationBuilder.Sql("""
            DO $constraint$
            BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'notification_state'::regclass AND conname = 'notification_state_user_id_fkey') THEN
                    ALTER TABLE notification_state ADD CONSTRAINT notification_state_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE NOT VALID;
                END IF;
            END
            $constraint$;
            """);

        // Validated in a transaction of its own: the scan holds only SHARE UPDATE EXCLUSIVE on notification_state and
        // ROW SHARE on users. Skipped when already valid (orphans were named by the first step).
        migrationBuilder.Sql("""
            DO $validate$
            BEGIN
                IF EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'notification_state'::regclass AND conname = 'notification_state_user_id_fkey' AND NOT convalidated) THEN
                    ALTER TABLE notification_state VALIDATE CONSTRAINT notification_state_user_id_fkey;
                END IF;
            END
            $validate$;
            """, suppressTransaction: true);

        // categories: Twitch categories seen (June 2025 on; v1.0.42/43 had no twitch_id). Absent, it is created whole
        // (empty, so its indexes are built in place). Present (a release made it), only what it lacks is added, each
        // part checked in the catalog first so a complete table takes no lock; columns and defaults a release set stay
        // as they are.
        migrationBuilder.Sql("""
            DO $table$
            DECLARE
                wanted record;
            BEGIN
                IF to_regclass('categories') IS NULL THEN
                    CREATE TABLE IF NOT EXISTS categories (
                        id serial NOT NULL,
                        twitch_id character varying NOT NULL,
                        name character varying NOT NULL,
                        box_art_url text,
                        first_seen timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
                        last_seen timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
                        CONSTRAINT categories_pkey PRIMARY KEY (id),
                        CONSTRAINT categories_twitch_id_key UNIQUE (twitch_id)
                    );
                    RETURN;
                END IF;

                -- Columns a release lacks, nullable or with a constant default: catalog only (existing rows read the default).
                IF (SELECT count(*) FROM pg_attribute WHERE attrelid = 'categories'::regclass AND NOT attisdropped
                    AND attname IN ('box_art_url')) < 1 THEN
                    ALTER TABLE categories
                        ADD COLUMN IF NOT EXISTS box_art_url text;
                END IF;

                -- first_seen: added without its default first, so existing rows keep NULL rather than this run's time.
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'categories'::regclass AND attname = 'first_seen' AND NOT attisdropped) THEN
                    ALTER TABLE categories ADD COLUMN first_seen timestamp with time zone, ALTER COLUMN first_seen SET DEFAULT CURRENT_TIMESTAMP;
                END IF;

                -- last_seen: added without its default first, so existing rows keep NULL rather than this run's time.
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'categories'::regclass AND attname = 'last_seen' AND NOT attisdropped) THEN
                    ALTER TABLE categories ADD COLUMN last_seen timestamp with time zone, ALTER COLUMN last_seen SET DEFAULT CURRENT_TIMESTAMP;
                END IF;

                -- twitch_id is NOT NULL without a constant default: only an empty table takes it (the first step named any rows).
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'categories'::regclass AND attname = 'twitch_id' AND NOT attisdropped) THEN
                    IF EXISTS (SELECT 1 FROM categories) THEN
                        RAISE EXCEPTION 'AddTablesOfNewerReleases: categories gained rows while this run added its NOT NULL column twitch_id; run migrate again, which names what to fix';
                    END IF;
                    ALTER TABLE categories ADD COLUMN twitch_id character varying NOT NULL;
                END IF;

                -- name is NOT NULL without a constant default: only an empty table takes it (the first step named any rows).
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'categories'::regclass AND attname = 'name' AND NOT attisdropped) THEN
                    IF EXISTS (SELECT 1 FROM categories) THEN
                        RAISE EXCEPTION 'AddTablesOfNewerReleases: categories gained rows while this run added its NOT NULL column name; run migrate again, which names what to fix';
                    END IF;
                    ALTER TABLE categories ADD COLUMN name character varying NOT NULL;
                END IF;

                -- Older releases left these without a server default; one a release set is kept as it is (catalog only).
                FOR wanted IN
                    SELECT w.column_name, w.expression
                    FROM (VALUES ('first_seen', 'CURRENT_TIMESTAMP'), ('last_seen', 'CURRENT_TIMESTAMP')) AS w (column_name, expression)
                    JOIN pg_attribute a ON a.attrelid = 'categories'::regclass AND a.attname = w.column_name AND NOT a.attisdropped
                    WHERE NOT a.atthasdef
                LOOP
                    EXECUTE format('ALTER TABLE categories ALTER COLUMN %I SET DEFAULT %s', wanted.column_name, wanted.expression);
                END LOOP;
            END
            $table$;
            """);

        // IF NOT EXISTS would keep an INVALID index a failed concurrent build left on categories: such a leftover is
        // dropped first; an index of the same name with another definition is someone else's: stop, naming both.
        migrationBuilder.Sql("""
            DO $prepare$
            DECLARE
                wanted record;
                existing record;
            BEGIN
                FOR wanted IN
                    SELECT * FROM (VALUES
                        ('categories_twitch_id_key', 'categories', true, 'btree (twitch_id)')
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
                        RAISE EXCEPTION 'AddTablesOfNewerReleases: index % exists with another definition: found "%", expected "CREATE %INDEX % ON % USING %"; StreamVault.Data does not replace indexes it did not create: drop or rename it, then run migrate again',
                            wanted.name, existing.definition, CASE WHEN wanted.is_unique THEN 'UNIQUE ' ELSE '' END,
                            wanted.name, wanted.table_name, wanted.method;
                    END IF;
                END LOOP;
            END
            $prepare$;
            """);

        // Built concurrently, outside any transaction, where a release lacks it: categories may be large and written
        // to. Not sent at all where the index exists.
        migrationBuilder.Sql("""
            CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS categories_twitch_id_key ON categories (twitch_id);
            """, suppressTransaction: true);

        // The app's unique constraint takes over the index just built (catalog only); checked first.
        migrationBuilder.Sql("""
            DO $constraint$
            BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'categories'::regclass AND conname = 'categories_twitch_id_key') THEN
                    ALTER TABLE categories ADD CONSTRAINT categories_twitch_id_key UNIQUE USING INDEX categories_twitch_id_key;
                END IF;
            END
            $constraint$;
            """);

        // favorite_categories: users' favourite categories (June 2025 on; v1.0.42/43 kept category_name instead of
        // category_id). Absent, it is created whole (empty, so its indexes are built in place). Present (a release made
        // it), only what it lacks is added, each part checked in the catalog first so a complete table takes no lock;
        // columns and defaults a release set stay as they are.
        migrationBuilder.Sql("""
            DO $table$
            DECLARE
                wanted record;
            BEGIN
                IF to_regclass('favorite_categories') IS NULL THEN
                    CREATE TABLE IF NOT EXISTS favorite_categories (
                        id serial NOT NULL,
                        user_id integer,
                        category_id integer,
                        created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
                        CONSTRAINT favorite_categories_pkey PRIMARY KEY (id),
                        CONSTRAINT favorite_categories_user_id_category_id_key UNIQUE (user_id, category_id),
                        CONSTRAINT favorite_categories_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
                        CONSTRAINT favorite_categories_category_id_fkey FOREIGN KEY (category_id) REFERENCES categories (id) ON DELETE CASCADE
                    );
                    RETURN;
                END IF;

                -- Columns a release lacks, nullable or with a constant default: catalog only (existing rows read the default).
                IF (SELECT count(*) FROM pg_attribute WHERE attrelid = 'favorite_categories'::regclass AND NOT attisdropped
                    AND attname IN ('user_id', 'category_id')) < 2 THEN
                    ALTER TABLE favorite_categories
                        ADD COLUMN IF NOT EXISTS user_id integer,
                        ADD COLUMN IF NOT EXISTS category_id integer;
                END IF;

                -- created_at: added without its default first, so existing rows keep NULL rather than this run's time.
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'favorite_categories'::regclass AND attname = 'created_at' AND NOT attisdropped) THEN
                    ALTER TABLE favorite_categories ADD COLUMN created_at timestamp with time zone, ALTER COLUMN created_at SET DEFAULT CURRENT_TIMESTAMP;
                END IF;

                -- Older releases left these without a server default; one a release set is kept as it is (catalog only).
                FOR wanted IN
                    SELECT w.column_name, w.expression
                    FROM (VALUES ('created_at', 'CURRENT_TIMESTAMP')) AS w (column_name, expression)
                    JOIN pg_attribute a ON a.attrelid = 'favorite_categories'::regclass AND a.attname = w.column_name AND NOT a.attisdropped
                    WHERE NOT a.atthasdef
                LOOP
                    EXECUTE format('ALTER TABLE favorite_categories ALTER COLUMN %I SET DEFAULT %s', wanted.column_name, wanted.expression);
                END LOOP;

                -- category_name: v1.0.42/43 kept the category by name; the newest app never writes it, so its NOT NULL would refuse the app's inserts; dropping it only widens (catalog only).
                IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'favorite_categories'::regclass AND attname = 'category_name' AND attnotnull AND NOT attisdropped) THEN
                    ALTER TABLE favorite_categories ALTER COLUMN category_name DROP NOT NULL;
                END IF;

                -- Where nothing makes (user_id, category_id) unique yet (v1.0.42/43, whose category_id was just added, all NULL):
                -- the constraint is added in place; a favourites table holds a few rows per user. June 2025's uq_user_category covers it.
                IF NOT EXISTS (SELECT 1 FROM pg_index i
                               WHERE i.indrelid = 'favorite_categories'::regclass AND i.indisunique AND i.indisvalid AND i.indpred IS NULL AND i.indexprs IS NULL
                                 AND i.indkey::text = (SELECT string_agg(a.attnum::text, ' ' ORDER BY c.n)
                                                       FROM unnest(ARRAY['user_id', 'category_id']) WITH ORDINALITY AS c (name, n)
                                                       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attname = c.name)) THEN
                    ALTER TABLE favorite_categories ADD CONSTRAINT favorite_categories_user_id_category_id_key UNIQUE (user_id, category_id);
                END IF;
            END
            $table$;
            """);

        // A foreign key the table lacks is added NOT VALID: new rows are checked from now on, existing ones are not
        // scanned while the lock is held. Checked in the catalog first; a release's own (June 2025's without ON DELETE)
        // is kept.
        migrationBuilder.Sql("""
            DO $constraint$
            BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'favorite_categories'::regclass AND conname = 'favorite_categories_user_id_fkey') THEN
                    ALTER TABLE favorite_categories ADD CONSTRAINT favorite_categories_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE NOT VALID;
                END IF;
            END
            $constraint$;
            """);

        // Validated in a transaction of its own: the scan holds only SHARE UPDATE EXCLUSIVE on favorite_categories and
        // ROW SHARE on users. Skipped when already valid (orphans were named by the first step).
        migrationBuilder.Sql("""
            DO $validate$
            BEGIN
                IF EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'favorite_categories'::regclass AND conname = 'favorite_categories_user_id_fkey' AND NOT convalidated) THEN
                    ALTER TABLE favorite_categories VALIDATE CONSTRAINT favorite_categories_user_id_fkey;
                END IF;
            END
            $validate$;
            """, suppressTransaction: true);

        // A foreign key the table lacks is added NOT VALID: new rows are checked from now on, existing ones are not
        // scanned while the lock is held. Checked in the catalog first; a release's own (June 2025's without ON DELETE)
        // is kept.
        migrationBuilder.Sql("""
            DO $constraint$
            BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'favorite_categories'::regclass AND conname = 'favorite_categories_category_id_fkey') THEN
                    ALTER TABLE favorite_categories ADD CONSTRAINT favorite_categories_category_id_fkey FOREIGN KEY (category_id) REFERENCES categories (id) ON DELETE CASCADE NOT VALID;
                END IF;
            END
            $constraint$;
            """);

        // Validated in a transaction of its own: the scan holds only SHARE UPDATE EXCLUSIVE on favorite_categories and
        // ROW SHARE on categories. Skipped when already valid (orphans were named by the first step).
        migrationBuilder.Sql("""
            DO $validate$
            BEGIN
                IF EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'favorite_categories'::regclass AND conname = 'favorite_categories_category_id_fkey' AND NOT convalidated) THEN
                    ALTER TABLE favorite_categories VALIDATE CONSTRAINT favorite_categories_category_id_fkey;
                END IF;
            END
            $validate$;
            """, suppressTransaction: true);

        // notification_settings: per-streamer notification flags (June 2025 on). Absent, it is created whole (empty, so
        // its indexes are built in place). Present (a release made it), only what it lacks is added, each part checked
        // in the catalog first so a complete table takes no lock; columns and defaults a release set stay as they are.
        migrationBuilder.Sql("""
            DO $table$
            DECLARE
                wanted record;
            BEGIN
                IF to_regclass('notification_settings') IS NULL THEN
                    CREATE TABLE IF NOT EXISTS notification_settings (
                        id serial NOT NULL,
                        streamer_id integer NOT NULL,
                        notify_online boolean DEFAULT true,
                        notify_offline boolean DEFAULT true,
                        notify_update boolean DEFAULT true,
                        notify_favorite_category boolean DEFAULT true,
                        created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
                        CONSTRAINT notification_settings_pkey PRIMARY KEY (id),
                        CONSTRAINT notification_settings_streamer_id_key UNIQUE (streamer_id),
                        CONSTRAINT notification_settings_streamer_id_fkey FOREIGN KEY (streamer_id) REFERENCES streamers (id) ON DELETE CASCADE
                    );
                    CREATE INDEX IF NOT EXISTS idx_notification_settings_streamer_id ON notification_settings (streamer_id);
                    RETURN;
                END IF;

                -- Columns a release lacks, nullable or with a constant default: catalog only (existing rows read the default).
                IF (SELECT count(*) FROM pg_attribute WHERE attrelid = 'notification_settings'::regclass AND NOT attisdropped
                    AND attname IN ('notify_online', 'notify_offline', 'notify_update', 'notify_favorite_category')) < 4 THEN
                    ALTER TABLE notification_settings
                        ADD COLUMN IF NOT EXISTS notify_online boolean DEFAULT true,
                        ADD COLUMN IF NOT EXISTS notify_offline boolean DEFAULT true,
                        ADD COLUMN IF NOT EXISTS notify_update boolean DEFAULT true,
                        ADD COLUMN IF NOT EXISTS notify_favorite_category boolean DEFAULT true;
                END IF;

                -- created_at: added without its default first, so existing rows keep NULL rather than this run's time.
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'notification_settings'::regclass AND attname = 'created_at' AND NOT attisdropped) THEN
                    ALTER TABLE notification_settings ADD COLUMN created_at timestamp with time zone, ALTER COLUMN created_at SET DEFAULT CURRENT_TIMESTAMP;
                END IF;

                -- streamer_id is NOT NULL without a constant default: only an empty table takes it (the first step named any rows).
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'notification_settings'::regclass AND attname = 'streamer_id' AND NOT attisdropped) THEN
                    IF EXISTS (SELECT 1 FROM notification_settings) THEN
                        RAISE EXCEPTION 'AddTablesOfNewerReleases: notification_settings gained rows while this run added its NOT NULL column streamer_id; run migrate again, which names what to fix';
                    END IF;
                    ALTER TABLE notification_settings ADD COLUMN streamer_id integer NOT NULL;
                END IF;

                -- Older releases left these without a server default; one a release set is kept as it is (catalog only).
                FOR wanted IN
                    SELECT w.column_name, w.expression
                    FROM (VALUES ('notify_online', 'true'), ('notify_offline', 'true'), ('notify_update', 'true'), ('notify_favorite_category', 'true'), ('created_at', 'CURRENT_TIMESTAMP')) AS w (column_name, expression)
                    JOIN pg_attribute a ON a.attrelid = 'notification_settings'::regclass AND a.attname = w.column_name AND NOT a.attisdropped
                    WHERE NOT a.atthasdef
                LOOP
                    EXECUTE format('ALTER TABLE notification_settings ALTER COLUMN %I SET DEFAULT %s', wanted.column_name, wanted.expression);
                END LOOP;
            END
            $table$;
            """);

        // IF NOT EXISTS would keep an INVALID index a failed concurrent build left on notification_settings: such a
        // leftover is dropped first; an index of the same name with another definition is someone else's: stop, naming
        // both.
        migrationBuilder.Sql("""
            DO $prepare$
            DECLARE
                wanted record;
                existing record;
            BEGIN
                FOR wanted IN
                    SELECT * FROM (VALUES
                        ('notification_settings_streamer_id_key', 'notification_settings', true, 'btree (streamer_id)'),
                        ('idx_notification_settings_streamer_id', 'notification_settings', false, 'btree (streamer_id)')
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
                        RAISE EXCEPTION 'AddTablesOfNewerReleases: index % exists with another definition: found "%", expected "CREATE %INDEX % ON % USING %"; StreamVault.Data does not replace indexes it did not create: drop or rename it, then run migrate again',
                            wanted.name, existing.definition, CASE WHEN wanted.is_unique THEN 'UNIQUE ' ELSE '' END,
                            wanted.name, wanted.table_name, wanted.method;
                    END IF;
                END LOOP;
            END
            $prepare$;
            """);

        // Built concurrently, outside any transaction, where a release lacks it: notification_settings may be large and
        // written to. Not sent at all where the index exists.
        migrationBuilder.Sql("""
            CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS notification_settings_streamer_id_key ON notification_settings (streamer_id);
            """, suppressTransaction: true);

        // Built concurrently, outside any transaction, where a release lacks it: notification_settings may be large and
        // written to. Not sent at all where the index exists.
        migrationBuilder.Sql("""
            CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_notification_settings_streamer_id ON notification_settings (streamer_id);
            """, suppressTransaction: true);

        // The app's unique constraint takes over the index just built (catalog only); checked first.
        migrationBuilder.Sql("""
            DO $constraint$
            BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'notification_settings'::regclass AND conname = 'notification_settings_streamer_id_key') THEN
                    ALTER TABLE notification_settings ADD CONSTRAINT notification_settings_streamer_id_key UNIQUE USING INDEX notification_settings_streamer_id_key;
                END IF;
            END
            $constraint$;
            """);

        // A foreign key the table lacks is added NOT VALID: new rows are checked from now on, existing ones are not
        // scanned while the lock is held. Checked in the catalog first; a release's own (June 2025's without ON DELETE)
        // is kept.
        migrationBuilder.Sql("""
            DO $constraint$
            BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'notification_settings'::regclass AND conname = 'notification_settings_streamer_id_fkey') THEN
                    ALTER TABLE notification_settings ADD CONSTRAINT notification_settings_streamer_id_fkey FOREIGN KEY (streamer_id) REFERENCES streamers (id) ON DELETE CASCADE NOT VALID;
                END IF;
            END
            $constraint$;
            """);

        // Validated in a transaction of its own: the scan holds only SHARE UPDATE EXCLUSIVE on notification_settings
        // and ROW SHARE on streamers. Skipped when already valid (orphans were named by the first step).
        migrationBuilder.Sql("""
            DO $validate$
            BEGIN
                IF EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'notification_settings'::regclass AND conname = 'notification_settings_streamer_id_fkey' AND NOT convalidated) THEN
                    ALTER TABLE notification_settings VALIDATE CONSTRAINT notification_settings_streamer_id_fkey;
                END IF;
            END
            $validate$;
            """, suppressTransaction: true);

        // streamer_recording_settings: per-streamer recording settings (June 2025 on). Absent, it is created whole
        // (empty, so its indexes are built in place). Present (a release made it), only what it lacks is added, each
        // part checked in the catalog first so a complete table takes no lock; columns and defaults a release set stay
        // as they are.
        migrationBuilder.Sql("""
            DO $table$
            DECLARE
                wanted record;
            BEGIN
                IF to_regclass('streamer_recording_settings') IS NULL THEN
                    CREATE TABLE IF NOT EXISTS streamer_recording_settings (
                        id serial NOT NULL,
                        streamer_id integer NOT NULL,
                        enabled boolean DEFAULT true,
                        quality character varying DEFAULT 'best',
                        custom_filename character varying,
                        max_streams integer,
                        cleanup_policy text,
                        created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
                        updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
                        use_global_cleanup_policy boolean NOT NULL DEFAULT true,
                        supported_codecs character varying(255),
                        CONSTRAINT streamer_recording_settings_pkey PRIMARY KEY (id),
                        CONSTRAINT streamer_recording_settings_streamer_id_key UNIQUE (streamer_id),
                        CONSTRAINT streamer_recording_settings_streamer_id_fkey FOREIGN KEY (streamer_id) REFERENCES streamers (id) ON DELETE CASCADE
                    );
                    CREATE INDEX IF NOT EXISTS idx_streamer_recording_settings_streamer_id ON streamer_recording_settings (streamer_id);
                    RETURN;
                END IF;

                -- Columns a release lacks, nullable or with a constant default: catalog only (existing rows read the default).
                IF (SELECT count(*) FROM pg_attribute WHERE attrelid = 'streamer_recording_settings'::regclass AND NOT attisdropped
                    AND attname IN ('enabled', 'quality', 'custom_filename', 'max_streams', 'cleanup_policy', 'use_global_cleanup_policy', 'supported_codecs')) < 7 THEN
                    ALTER TABLE streamer_recording_settings
                        ADD COLUMN IF NOT EXISTS enabled boolean DEFAULT true,
                        ADD COLUMN IF NOT EXISTS quality character varying DEFAULT 'best',
                        ADD COLUMN IF NOT EXISTS custom_filename character varying,
                        ADD COLUMN IF NOT EXISTS max_streams integer,
                        ADD COLUMN IF NOT EXISTS cleanup_policy text,
                        ADD COLUMN IF NOT EXISTS use_global_cleanup_policy boolean NOT NULL DEFAULT true,
                        ADD COLUMN IF NOT EXISTS supported_codecs character varying(255);
                END IF;

                -- created_at: added without its default first, so existing rows keep NULL rather than this run's time.
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'streamer_recording_settings'::regclass AND attname = 'created_at' AND NOT attisdropped) THEN
                    ALTER TABLE streamer_recording_settings ADD COLUMN created_at timestamp with time zone, ALTER COLUMN created_at SET DEFAULT CURRENT_TIMESTAMP;
                END IF;

                -- updated_at: added without its default first, so existing rows keep NULL rather than this run's time.
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'streamer_recording_settings'::regclass AND attname = 'updated_at' AND NOT attisdropped) THEN
                    ALTER TABLE streamer_recording_settings ADD COLUMN updated_at timestamp with time zone, ALTER COLUMN updated_at SET DEFAULT CURRENT_TIMESTAMP;
                END IF;

                -- streamer_id is NOT NULL without a constant default: only an empty table takes it (the first step named any rows).
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'streamer_recording_settings'::regclass AND attname = 'streamer_id' AND NOT attisdropped) THEN
                    IF EXISTS (SELECT 1 FROM streamer_recording_settings) THEN
                        RAISE EXCEPTION 'AddTablesOfNewerReleases: streamer_recording_settings gained rows while this run added its NOT NULL column streamer_id; run migrate again, which names what to fix';
                    END IF;
                    ALTER TABLE streamer_recording_settings ADD COLUMN streamer_id integer NOT NULL;
                END IF;

                -- Older releases left these without a server default; one a release set is kept as it is (catalog only).
                FOR wanted IN
                    SELECT w.column_name, w.expression
                    FROM (VALUES ('enabled', 'true'), ('quality', '''best'''), ('created_at', 'CURRENT_TIMESTAMP'), ('updated_at', 'CURRENT_TIMESTAMP'), ('use_global_cleanup_policy', 'true')) AS w (column_name, expression)
                    JOIN pg_attribute a ON a.attrelid = 'streamer_recording_settings'::regclass AND a.attname = w.column_name AND NOT a.attisdropped
                    WHERE NOT a.atthasdef
                LOOP
                    EXECUTE format('ALTER TABLE streamer_recording_settings ALTER COLUMN %I SET DEFAULT %s', wanted.column_name, wanted.expression);
                END LOOP;
            END
            $table$;
            """);

        // IF NOT EXISTS would keep an INVALID index a failed concurrent build left on streamer_recording_settings: such
        // a leftover is dropped first; an index of the same name with another definition is someone else's: stop,
        // naming both.
        migrationBuilder.Sql("""
            DO $prepare$
            DECLARE
                wanted record;
                existing record;
            BEGIN
                FOR wanted IN
                    SELECT * FROM (VALUES
                        ('streamer_recording_settings_streamer_id_key', 'streamer_recording_settings', true, 'btree (streamer_id)'),
                        ('idx_streamer_recording_settings_streamer_id', 'streamer_recording_settings', false, 'btree (streamer_id)')
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
                        RAISE EXCEPTION 'AddTablesOfNewerReleases: index % exists with another definition: found "%", expected "CREATE %INDEX % ON % USING %"; StreamVault.Data does not replace indexes it did not create: drop or rename it, then run migrate again',
                            wanted.name, existing.definition, CASE WHEN wanted.is_unique THEN 'UNIQUE ' ELSE '' END,
                            wanted.name, wanted.table_name, wanted.method;
                    END IF;
                END LOOP;
            END
            $prepare$;
            """);

        // Built concurrently, outside any transaction, where a release lacks it: streamer_recording_settings may be
        // large and written to. Not sent at all where the index exists.
        migrationBuilder.Sql("""
            CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS streamer_recording_settings_streamer_id_key ON streamer_recording_settings (streamer_id);
            """, suppressTransaction: true);

        // Built concurrently, outside any transaction, where a release lacks it: streamer_recording_settings may be
        // large and written to. Not sent at all where the index exists.
        migrationBuilder.Sql("""
            CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_streamer_recording_settings_streamer_id ON streamer_recording_settings (streamer_id);
            """, suppressTransaction: true);

        // The app's unique constraint takes over the index just built (catalog only); checked first.
        migrationBuilder.Sql("""
            DO $constraint$
            BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'streamer_recording_settings'::regclass AND conname = 'streamer_recording_settings_streamer_id_key') THEN
                    ALTER TABLE streamer_recording_settings ADD CONSTRAINT streamer_recording_settings_streamer_id_key UNIQUE USING INDEX streamer_recording_settings_streamer_id_key;
                END IF;
            END
            $constraint$;
            """);

        // A foreign key the table lacks is added NOT VALID: new rows are checked from now on, existing ones are not
        // scanned while the lock is held. Checked in the catalog first; a release's own (June 2025's without ON DELETE)
        // is kept.
        migrationBuilder.Sql("""
            DO $constraint$
            BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'streamer_recording_settings'::regclass AND conname = 'streamer_recording_settings_streamer_id_fkey') THEN
                    ALTER TABLE streamer_recording_settings ADD CONSTRAINT streamer_recording_settings_streamer_id_fkey FOREIGN KEY (streamer_id) REFERENCES streamers (id) ON DELETE CASCADE NOT VALID;
                END IF;
            END
            $constraint$;
            """);

        // Validated in a transaction of its own: the scan holds only SHARE UPDATE EXCLUSIVE on
        // streamer_recording_settings and ROW SHARE on streamers. Skipped when already valid (orphans were named by the
        // first step).
        migrationBuilder.Sql("""
            DO $validate$
            BEGIN
                IF EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'streamer_recording_settings'::regclass AND conname = 'streamer_recording_settings_streamer_id_fkey' AND NOT convalidated) THEN
                    ALTER TABLE streamer_recording_settings VALIDATE CONSTRAINT streamer_recording_settings_streamer_id_fkey;
                END IF;
            END
            $validate$;
            """, suppressTransaction: true);

        // recording_settings: the installation's recording settings (June 2025 on). Absent, it is created whole (empty,
        // so its indexes are built in place). Present (a release made it), only what it lacks is added, each part
        // checked in the catalog first so a complete table takes no lock; columns and defaults a release set stay as
        // they are.
        migrationBuilder.Sql("""
            DO $table$
            DECLARE
                wanted record;
            BEGIN
                IF to_regclass('recording_settings') IS NULL THEN
                    CREATE TABLE IF NOT EXISTS recording_settings (
                        id serial NOT NULL,
                        enabled boolean DEFAULT true,
                        output_directory character varying DEFAULT '/recordings',
                        filename_template character varying DEFAULT '{streamer}/{date}_{title}_{id}',
                        default_quality character varying DEFAULT 'best',
                        use_chapters boolean DEFAULT true,
                        filename_preset character varying DEFAULT 'default',
                        use_category_as_chapter_title boolean DEFAULT false,
                        max_streams_per_streamer integer DEFAULT 0,
                        cleanup_policy text DEFAULT 'keep_all',
                        enable_proxy boolean NOT NULL DEFAULT true,
                        proxy_health_check_enabled boolean NOT NULL DEFAULT true,
                        proxy_health_check_interval_seconds integer NOT NULL DEFAULT 300,
                        proxy_max_consecutive_failures integer NOT NULL DEFAULT 3,
                        fallback_to_direct_connection boolean NOT NULL DEFAULT true,
                        CONSTRAINT recording_settings_pkey PRIMARY KEY (id)
                    );
                    RETURN;
                END IF;

                -- Columns a release lacks, nullable or with a constant default: catalog only (existing rows read the default).
                IF (SELECT count(*) FROM pg_attribute WHERE attrelid = 'recording_settings'::regclass AND NOT attisdropped
                    AND attname IN ('enabled', 'output_directory', 'filename_template', 'default_quality', 'use_chapters', 'filename_preset', 'use_category_as_chapter_title', 'max_streams_per_streamer', 'cleanup_policy', 'enable_proxy', 'proxy_health_check_enabled', 'proxy_health_check_interval_seconds', 'proxy_max_consecutive_failures', 'fallback_to_direct_connection')) < 14 THEN
                    ALTER TABLE recording_settings
                        ADD COLUMN IF NOT EXISTS enabled boolean DEFAULT true,
                        ADD COLUMN IF NOT EXISTS output_directory character varying DEFAULT '/recordings',
                        ADD COLUMN IF NOT EXISTS filename_template character varying DEFAULT '{streamer}/{date}_{title}_{id}',
                        ADD COLUMN IF NOT EXISTS default_quality character varying DEFAULT 'best',
                        ADD COLUMN IF NOT EXISTS use_chapters boolean DEFAULT true,
                        ADD COLUMN IF NOT EXISTS filename_preset character varying DEFAULT 'default',
                        ADD COLUMN IF NOT EXISTS use_category_as_chapter_title boolean DEFAULT false,
                        ADD COLUMN IF NOT EXISTS max_streams_per_streamer integer DEFAULT 0,
                        ADD COLUMN IF NOT EXISTS cleanup_policy text DEFAULT 'keep_all',
                        ADD COLUMN IF NOT EXISTS enable_proxy boolean NOT NULL DEFAULT true,
                        ADD COLUMN IF NOT EXISTS proxy_health_check_enabled boolean NOT NULL DEFAULT true,
                        ADD COLUMN IF NOT EXISTS proxy_health_check_interval_seconds integer NOT NULL DEFAULT 300,
                        ADD COLUMN IF NOT EXISTS proxy_max_consecutive_failures integer NOT NULL DEFAULT 3,
                        ADD COLUMN IF NOT EXISTS fallback_to_direct_connection boolean NOT NULL DEFAULT true;
                END IF;

                -- Older releases left these without a server default; one a release set is kept as it is (catalog only).
                FOR wanted IN
                    SELECT w.column_name, w.expression
                    FROM (VALUES ('enabled', 'true'), ('output_directory', '''/recordings'''), ('filename_template', '''{streamer}/{date}_{title}_{id}'''), ('default_quality', '''best'''), ('use_chapters', 'true'), ('filename_preset', '''default'''), ('use_category_as_chapter_title', 'false'), ('max_streams_per_streamer', '0'), ('cleanup_policy', '''keep_all'''), ('enable_proxy', 'true'), ('proxy_health_check_enabled', 'true'), ('proxy_health_check_interval_seconds', '300'), ('proxy_max_consecutive_failures', '3'), ('fallback_to_direct_connection', 'true')) AS w (column_name, expression)
                    JOIN pg_attribute a ON a.attrelid = 'recording_settings'::regclass AND a.attname = w.column_name AND NOT a.attisdropped
                    WHERE NOT a.atthasdef
                LOOP
                    EXECUTE format('ALTER TABLE recording_settings ALTER COLUMN %I SET DEFAULT %s', wanted.column_name, wanted.expression);
                END LOOP;
            END
            $table$;
            """);

        // proxy_settings: the proxies recordings may use (2025-11 on). Absent, it is created whole (empty, so its
        // indexes are built in place). Present (a release made it), only what it lacks is added, each part checked in
        // the catalog first so a complete table takes no lock; columns and defaults a release set stay as they are.
        migrationBuilder.Sql("""
            DO $table$
            DECLARE
                wanted record;
            BEGIN
                IF to_regclass('proxy_settings') IS NULL THEN
                    CREATE TABLE IF NOT EXISTS proxy_settings (
                        id serial NOT NULL,
                        proxy_url character varying NOT NULL,
                        priority integer NOT NULL DEFAULT 0,
                        enabled boolean NOT NULL DEFAULT true,
                        last_health_check timestamp with time zone,
                        health_status character varying NOT NULL DEFAULT 'unknown',
                        consecutive_failures integer NOT NULL DEFAULT 0,
                        average_response_time_ms integer,
                        total_recordings integer NOT NULL DEFAULT 0,
                        failed_recordings integer NOT NULL DEFAULT 0,
                        success_rate double precision,
                        created_at timestamp with time zone NOT NULL DEFAULT now(),
                        updated_at timestamp with time zone NOT NULL DEFAULT now(),
                        CONSTRAINT proxy_settings_pkey PRIMARY KEY (id)
                    );
                    CREATE INDEX IF NOT EXISTS idx_proxy_enabled ON proxy_settings (enabled);
                    CREATE INDEX IF NOT EXISTS idx_proxy_health ON proxy_settings (health_status);
                    CREATE INDEX IF NOT EXISTS idx_proxy_priority ON proxy_settings (priority);
                    RETURN;
                END IF;

                -- Columns a release lacks, nullable or with a constant default: catalog only (existing rows read the default).
                IF (SELECT count(*) FROM pg_attribute WHERE attrelid = 'proxy_settings'::regclass AND NOT attisdropped
                    AND attname IN ('priority', 'enabled', 'last_health_check', 'health_status', 'consecutive_failures', 'average_response_time_ms', 'total_recordings', 'failed_recordings', 'success_rate')) < 9 THEN
                    ALTER TABLE proxy_settings
                        ADD COLUMN IF NOT EXISTS priority integer NOT NULL DEFAULT 0,
                        ADD COLUMN IF NOT EXISTS enabled boolean NOT NULL DEFAULT true,
                        ADD COLUMN IF NOT EXISTS last_health_check timestamp with time zone,
                        ADD COLUMN IF NOT EXISTS health_status character varying NOT NULL DEFAULT 'unknown',
                        ADD COLUMN IF NOT EXISTS consecutive_failures integer NOT NULL DEFAULT 0,
                        ADD COLUMN IF NOT EXISTS average_response_time_ms integer,
                        ADD COLUMN IF NOT EXISTS total_recordings integer NOT NULL DEFAULT 0,
                        ADD COLUMN IF NOT EXISTS failed_recordings integer NOT NULL DEFAULT 0,
                        ADD COLUMN IF NOT EXISTS success_rate double precision;
                END IF;

                -- proxy_url is NOT NULL without a constant default: only an empty table takes it (the first step named any rows).
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'proxy_settings'::regclass AND attname = 'proxy_url' AND NOT attisdropped) THEN
                    IF EXISTS (SELECT 1 FROM proxy_settings) THEN
                        RAISE EXCEPTION 'AddTablesOfNewerReleases: proxy_settings gained rows while this run added its NOT NULL column proxy_url; run migrate again, which names what to fix';
                    END IF;
                    ALTER TABLE proxy_settings ADD COLUMN proxy_url character varying NOT NULL;
                END IF;

                -- created_at is NOT NULL without a constant default: only an empty table takes it (the first step named any rows).
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'proxy_settings'::regclass AND attname = 'created_at' AND NOT attisdropped) THEN
                    IF EXISTS (SELECT 1 FROM proxy_settings) THEN
                        RAISE EXCEPTION 'AddTablesOfNewerReleases: proxy_settings gained rows while this run added its NOT NULL column created_at; run migrate again, which names what to fix';
                    END IF;
                    ALTER TABLE proxy_settings ADD COLUMN created_at timestamp with time zone NOT NULL, ALTER COLUMN created_at SET DEFAULT now();
                END IF;

                -- updated_at is NOT NULL without a constant default: only an empty table takes it (the first step named any rows).
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'proxy_settings'::regclass AND attname = 'updated_at' AND NOT attisdropped) THEN
                    IF EXISTS (SELECT 1 FROM proxy_settings) THEN
                        RAISE EXCEPTION 'AddTablesOfNewerReleases: proxy_settings gained rows while this run added its NOT NULL column updated_at; run migrate again, which names what to fix';
                    END IF;
                    ALTER TABLE proxy_settings ADD COLUMN updated_at timestamp with time zone NOT NULL, ALTER COLUMN updated_at SET DEFAULT now();
                END IF;

                -- Older releases left these without a server default; one a release set is kept as it is (catalog only).
                FOR wanted IN
                    SELECT w.column_name, w.expression
                    FROM (VALUES ('priority', '0'), ('enabled', 'true'), ('health_status', '''unknown'''), ('consecutive_failures', '0'), ('total_recordings', '0'), ('failed_recordings', '0'), ('created_at', 'now()'), ('updated_at', 'now()')) AS w (column_name, expression)
                    JOIN pg_attribute a ON a.attrelid = 'proxy_settings'::regclass AND a.attname = w.column_name AND NOT a.attisdropped
                    WHERE NOT a.atthasdef
                LOOP
                    EXECUTE format('ALTER TABLE proxy_settings ALTER COLUMN %I SET DEFAULT %s', wanted.column_name, wanted.expression);
                END LOOP;
            END
            $table$;
            """);

        // IF NOT EXISTS would keep an INVALID index a failed concurrent build left on proxy_settings: such a leftover
        // is dropped first; an index of the same name with another definition is someone else's: stop, naming both.
        migrationBuilder.Sql("""
            DO $prepare$
            DECLARE
                wanted record;
                existing record;
            BEGIN
                FOR wanted IN
                    SELECT * FROM (VALUES
                        ('idx_proxy_enabled', 'proxy_settings', false, 'btree (enabled)'),
                        ('idx_proxy_health', 'proxy_settings', false, 'btree (health_status)'),
                        ('idx_proxy_priority', 'proxy_settings', false, 'btree (priority)')
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
                        RAISE EXCEPTION 'AddTablesOfNewerReleases: index % exists with another definition: found "%", expected "CREATE %INDEX % ON % USING %"; StreamVault.Data does not replace indexes it did not create: drop or rename it, then run migrate again',
                            wanted.name, existing.definition, CASE WHEN wanted.is_unique THEN 'UNIQUE ' ELSE '' END,
                            wanted.name, wanted.table_name, wanted.method;
                    END IF;
                END LOOP;
            END
            $prepare$;
            """);

        // Built concurrently, outside any transaction, where a release lacks it: proxy_settings may be large and
        // written to. Not sent at all where the index exists.
        migrationBuilder.Sql("""
            CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_proxy_enabled ON proxy_settings (enabled);
            """, suppressTransaction: true);

        // Built concurrently, outside any transaction, where a release lacks it: proxy_settings may be large and
        // written to. Not sent at all where the index exists.
        migrationBuilder.Sql("""
            CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_proxy_health ON proxy_settings (health_status);
            """, suppressTransaction: true);

        // Built concurrently, outside any transaction, where a release lacks it: proxy_settings may be large and
        // written to. Not sent at all where the index exists.
        migrationBuilder.Sql("""
            CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_proxy_priority ON proxy_settings (priority);
            """, suppressTransaction: true);

        // system_state: the installation's one-row UI state (2026-05 on). Its row is the app's to seed. Absent, it is
        // created whole (empty, so its indexes are built in place). Present (a release made it), only what it lacks is
        // added, each part checked in the catalog first so a complete table takes no lock; columns and defaults a
        // release set stay as they are.
        migrationBuilder.Sql("""
            DO $table$
            DECLARE
                wanted record;
            BEGIN
                IF to_regclass('system_state') IS NULL THEN
                    CREATE TABLE IF NOT EXISTS system_state (
                        id integer NOT NULL DEFAULT 1,
                        welcome_completed boolean NOT NULL DEFAULT false,
                        welcome_completed_at timestamp with time zone,
                        updated_at timestamp with time zone DEFAULT now(),
                        CONSTRAINT system_state_pkey PRIMARY KEY (id),
                        CONSTRAINT system_state_singleton CHECK (id = 1)
                    );
                    RETURN;
                END IF;

                -- Columns a release lacks, nullable or with a constant default: catalog only (existing rows read the default).
                IF (SELECT count(*) FROM pg_attribute WHERE attrelid = 'system_state'::regclass AND NOT attisdropped
                    AND attname IN ('id', 'welcome_completed', 'welcome_completed_at')) < 3 THEN
                    ALTER TABLE system_state
                        ADD COLUMN IF NOT EXISTS id integer NOT NULL DEFAULT 1,
                        ADD COLUMN IF NOT EXISTS welcome_completed boolean NOT NULL DEFAULT false,
                        ADD COLUMN IF NOT EXISTS welcome_completed_at timestamp with time zone;
                END IF;

                -- updated_at: added without its default first, so existing rows keep NULL rather than this run's time.
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'system_state'::regclass AND attname = 'updated_at' AND NOT attisdropped) THEN
                    ALTER TABLE system_state ADD COLUMN updated_at timestamp with time zone, ALTER COLUMN updated_at SET DEFAULT now();
                END IF;

                -- Older releases left these without a server default; one a release set is kept as it is (catalog only).
                FOR wanted IN
                    SELECT w.column_name, w.expression
                    FROM (VALUES ('id', '1'), ('welcome_completed', 'false'), ('updated_at', 'now()')) AS w (column_name, expression)
                    JOIN pg_attribute a ON a.attrelid = 'system_state'::regclass AND a.attname = w.column_name AND NOT a.attisdropped
                    WHERE NOT a.atthasdef
                LOOP
                    EXECUTE format('ALTER TABLE system_state ALTER COLUMN %I SET DEFAULT %s', wanted.column_name, wanted.expression);
                END LOOP;

                IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'system_state'::regclass AND conname = 'system_state_singleton') THEN
                    ALTER TABLE system_state ADD CONSTRAINT system_state_singleton CHECK (id = 1) NOT VALID;
                END IF;
            END
            $table$;
            """);

        // Validated in a transaction of its own: the scan holds only SHARE UPDATE EXCLUSIVE on system_state. Skipped
        // when already valid.
        migrationBuilder.Sql("""
            DO $validate$
            BEGIN
                IF EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'system_state'::regclass AND conname = 'system_state_singleton' AND NOT convalidated) THEN
                    ALTER TABLE system_state VALIDATE CONSTRAINT system_state_singleton;
                END IF;
            END
            $validate$;
            """, suppressTransaction: true);

        // recordings: one row per recording of a stream (2025-07 on). Absent, it is created whole (empty, so its
        // indexes are built in place). Present (a release made it), only what it lacks is added, each part checked in
        // the catalog first so a complete table takes no lock; columns and defaults a release set stay as they are.
        migrationBuilder.Sql("""
            DO $table$
            DECLARE
                wanted record;
            BEGIN
                IF to_regclass('recordings') IS NULL THEN
                    CREATE TABLE IF NOT EXISTS recordings (
                        id serial NOT NULL,
                        stream_id integer NOT NULL,
                        start_time timestamp with time zone NOT NULL,
                        end_time timestamp with time zone,
                        status character varying(50) NOT NULL,
                        duration integer,
                        path character varying(1024),
                        created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
                        error_message text,
                        failure_reason character varying(255),
                        failure_timestamp timestamp with time zone,
                        CONSTRAINT recordings_pkey PRIMARY KEY (id),
                        CONSTRAINT recordings_stream_id_fkey FOREIGN KEY (stream_id) REFERENCES streams (id) ON DELETE CASCADE
                    );
                    CREATE INDEX IF NOT EXISTS idx_recordings_start_time ON recordings (start_time);
                    CREATE INDEX IF NOT EXISTS idx_recordings_status ON recordings (status);
                    CREATE INDEX IF NOT EXISTS idx_recordings_status_time ON recordings (status, start_time);
                    CREATE INDEX IF NOT EXISTS idx_recordings_stream_id ON recordings (stream_id);
                    CREATE INDEX IF NOT EXISTS idx_recordings_stream_status ON recordings (stream_id, status);
                    RETURN;
                END IF;

                -- Columns a release lacks, nullable or with a constant default: catalog only (existing rows read the default).
                IF (SELECT count(*) FROM pg_attribute WHERE attrelid = 'recordings'::regclass AND NOT attisdropped
                    AND attname IN ('end_time', 'duration', 'path', 'error_message', 'failure_reason', 'failure_timestamp')) < 6 THEN
                    ALTER TABLE recordings
                        ADD COLUMN IF NOT EXISTS end_time timestamp with time zone,
                        ADD COLUMN IF NOT EXISTS duration integer,
                        ADD COLUMN IF NOT EXISTS path character varying(1024),
                        ADD COLUMN IF NOT EXISTS error_message text,
                        ADD COLUMN IF NOT EXISTS failure_reason character varying(255),
                        ADD COLUMN IF NOT EXISTS failure_timestamp timestamp with time zone;
                END IF;

                -- created_at: added without its default first, so existing rows keep NULL rather than this run's time.
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'recordings'::regclass AND attname = 'created_at' AND NOT attisdropped) THEN
                    ALTER TABLE recordings ADD COLUMN created_at timestamp with time zone, ALTER COLUMN created_at SET DEFAULT CURRENT_TIMESTAMP;
                END IF;

                -- stream_id is NOT NULL without a constant default: only an empty table takes it (the first step named any rows).
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'recordings'::regclass AND attname = 'stream_id' AND NOT attisdropped) THEN
                    IF EXISTS (SELECT 1 FROM recordings) THEN
                        RAISE EXCEPTION 'AddTablesOfNewerReleases: recordings gained rows while this run added its NOT NULL column stream_id; run migrate again, which names what to fix';
                    END IF;
                    ALTER TABLE recordings ADD COLUMN stream_id integer NOT NULL;
                END IF;

                -- start_time is NOT NULL without a constant default: only an empty table takes it (the first step named any rows).
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'recordings'::regclass AND attname = 'start_time' AND NOT attisdropped) THEN
                    IF EXISTS (SELECT 1 FROM recordings) THEN
                        RAISE EXCEPTION 'AddTablesOfNewerReleases: recordings gained rows while this run added its NOT NULL column start_time; run migrate again, which names what to fix';
                    END IF;
                    ALTER TABLE recordings ADD COLUMN start_time timestamp with time zone NOT NULL;
                END IF;

                -- status is NOT NULL without a constant default: only an empty table takes it (the first step named any rows).
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'recordings'::regclass AND attname = 'status' AND NOT attisdropped) THEN
                    IF EXISTS (SELECT 1 FROM recordings) THEN
                        RAISE EXCEPTION 'AddTablesOfNewerReleases: recordings gained rows while this run added its NOT NULL column status; run migrate again, which names what to fix';
                    END IF;
                    ALTER TABLE recordings ADD COLUMN status character varying(50) NOT NULL;
                END IF;

                -- Older releases left these without a server default; one a release set is kept as it is (catalog only).
                FOR wanted IN
                    SELECT w.column_name, w.expression
                    FROM (VALUES ('created_at', 'CURRENT_TIMESTAMP')) AS w (column_name, expression)
                    JOIN pg_attribute a ON a.attrelid = 'recordings'::regclass AND a.attname = w.column_name AND NOT a.attisdropped
                    WHERE NOT a.atthasdef
                LOOP
                    EXECUTE format('ALTER TABLE recordings ALTER COLUMN %I SET DEFAULT %s', wanted.column_name, wanted.expression);
                END LOOP;
            END
            $table$;
            """);

        // IF NOT EXISTS would keep an INVALID index a failed concurrent build left on recordings: such a leftover is
        // dropped first; an index of the same name with another definition is someone else's: stop, naming both.
        migrationBuilder.Sql("""
            DO $prepare$
            DECLARE
                wanted record;
                existing record;
            BEGIN
                FOR wanted IN
                    SELECT * FROM (VALUES
                        ('idx_recordings_start_time', 'recordings', false, 'btree (start_time)'),
                        ('idx_recordings_status', 'recordings', false, 'btree (status)'),
                        ('idx_recordings_status_time', 'recordings', false, 'btree (status, start_time)'),
                        ('idx_recordings_stream_id', 'recordings', false, 'btree (stream_id)'),
                        ('idx_recordings_stream_status', 'recordings', false, 'btree (stream_id, status)')
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
                        RAISE EXCEPTION 'AddTablesOfNewerReleases: index % exists with another definition: found "%", expected "CREATE %INDEX % ON % USING %"; StreamVault.Data does not replace indexes it did not create: drop or rename it, then run migrate again',
                            wanted.name, existing.definition, CASE WHEN wanted.is_unique THEN 'UNIQUE ' ELSE '' END,
                            wanted.name, wanted.table_name, wanted.method;
                    END IF;
                END LOOP;
            END
            $prepare$;
            """);

        // Built concurrently, outside any transaction, where a release lacks it: recordings may be large and written
        // to. Not sent at all where the index exists.
        migrationBuilder.Sql("""
            CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_recordings_start_time ON recordings (start_time);
            """, suppressTransaction: true);

        // Built concurrently, outside any transaction, where a release lacks it: recordings may be large and written
        // to. Not sent at all where the index exists.
        migrationBuilder.Sql("""
            CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_recordings_status ON recordings (status);
            """, suppressTransaction: true);

        // Built concurrently, outside any transaction, where a release lacks it: recordings may be large and written
        // to. Not sent at all where the index exists.
        migrationBuilder.Sql("""
            CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_recordings_status_time ON recordings (status, start_time);
            """, suppressTransaction: true);

        // Built concurrently, outside any transaction, where a release lacks it: recordings may be large and written
        // to. Not sent at all where the index exists.
        migrationBuilder.Sql("""
            CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_recordings_stream_id ON recordings (stream_id);
            """, suppressTransaction: true);

        // Built concurrently, outside any transaction, where a release lacks it: recordings may be large and written
        // to. Not sent at all where the index exists.
        migrationBuilder.Sql("""
            CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_recordings_stream_status ON recordings (stream_id, status);
            """, suppressTransaction: true);

        // A foreign key the table lacks is added NOT VALID: new rows are checked from now on, existing ones are not
        // scanned while the lock is held. Checked in the catalog first; a release's own (June 2025's without ON DELETE)
        // is kept.
        migrationBuilder.Sql("""
            DO $constraint$
            BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'recordings'::regclass AND conname = 'recordings_stream_id_fkey') THEN
                    ALTER TABLE recordings ADD CONSTRAINT recordings_stream_id_fkey FOREIGN KEY (stream_id) REFERENCES streams (id) ON DELETE CASCADE NOT VALID;
                END IF;
            END
            $constraint$;
            """);

        // Validated in a transaction of its own: the scan holds only SHARE UPDATE EXCLUSIVE on recordings and ROW SHARE
        // on streams. Skipped when already valid (orphans were named by the first step).
        migrationBuilder.Sql("""
            DO $validate$
            BEGIN
                IF EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'recordings'::regclass AND conname = 'recordings_stream_id_fkey' AND NOT convalidated) THEN
                    ALTER TABLE recordings VALIDATE CONSTRAINT recordings_stream_id_fkey;
                END IF;
            END
            $validate$;
            """, suppressTransaction: true);

        // active_recordings_state: recordings in progress (2025-07 on). Absent, it is created whole (empty, so its
        // indexes are built in place). Present (a release made it), only what it lacks is added, each part checked in
        // the catalog first so a complete table takes no lock; columns and defaults a release set stay as they are.
        migrationBuilder.Sql("""
            DO $table$
            DECLARE
                wanted record;
            BEGIN
                IF to_regclass('active_recordings_state') IS NULL THEN
                    CREATE TABLE IF NOT EXISTS active_recordings_state (
                        id serial NOT NULL,
                        stream_id integer NOT NULL,
                        recording_id integer NOT NULL,
                        process_id integer NOT NULL,
                        process_identifier character varying(100) NOT NULL,
                        streamer_name character varying(100) NOT NULL,
                        started_at timestamp with time zone NOT NULL,
                        ts_output_path character varying(500) NOT NULL,
                        force_mode boolean DEFAULT false,
                        quality character varying(50) DEFAULT 'best',
                        status character varying(50) DEFAULT 'recording',
                        last_heartbeat timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
                        config_json text,
                        created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
                        updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
                        CONSTRAINT active_recordings_state_pkey PRIMARY KEY (id),
                        CONSTRAINT active_recordings_state_stream_id_key UNIQUE (stream_id),
                        CONSTRAINT active_recordings_state_stream_id_fkey FOREIGN KEY (stream_id) REFERENCES streams (id) ON DELETE CASCADE,
                        CONSTRAINT active_recordings_state_recording_id_fkey FOREIGN KEY (recording_id) REFERENCES recordings (id) ON DELETE CASCADE
                    );
                    CREATE INDEX IF NOT EXISTS idx_active_recordings_heartbeat ON active_recordings_state (last_heartbeat);
                    CREATE INDEX IF NOT EXISTS idx_active_recordings_process_id ON active_recordings_state (process_id);
                    CREATE INDEX IF NOT EXISTS idx_active_recordings_status ON active_recordings_state (status);
                    RETURN;
                END IF;

                -- Columns a release lacks, nullable or with a constant default: catalog only (existing rows read the default).
                IF (SELECT count(*) FROM pg_attribute WHERE attrelid = 'active_recordings_state'::regclass AND NOT attisdropped
                    AND attname IN ('force_mode', 'quality', 'status', 'config_json')) < 4 THEN
                    ALTER TABLE active_recordings_state
                        ADD COLUMN IF NOT EXISTS force_mode boolean DEFAULT false,
                        ADD COLUMN IF NOT EXISTS quality character varying(50) DEFAULT 'best',
                        ADD COLUMN IF NOT EXISTS status character varying(50) DEFAULT 'recording',
                        ADD COLUMN IF NOT EXISTS config_json text;
                END IF;

                -- last_heartbeat: added without its default first, so existing rows keep NULL rather than this run's time.
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'active_recordings_state'::regclass AND attname = 'last_heartbeat' AND NOT attisdropped) THEN
                    ALTER TABLE active_recordings_state ADD COLUMN last_heartbeat timestamp with time zone, ALTER COLUMN last_heartbeat SET DEFAULT CURRENT_TIMESTAMP;
                END IF;

                -- created_at: added without its default first, so existing rows keep NULL rather than this run's time.
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'active_recordings_state'::regclass AND attname = 'created_at' AND NOT attisdropped) THEN
                    ALTER TABLE active_recordings_state ADD COLUMN created_at timestamp with time zone, ALTER COLUMN created_at SET DEFAULT CURRENT_TIMESTAMP;
                END IF;

                -- updated_at: added without its default first, so existing rows keep NULL rather than this run's time.
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'active_recordings_state'::regclass AND attname = 'updated_at' AND NOT attisdropped) THEN
                    ALTER TABLE active_recordings_state ADD COLUMN updated_at timestamp with time zone, ALTER COLUMN updated_at SET DEFAULT CURRENT_TIMESTAMP;
                END IF;

                -- stream_id is NOT NULL without a constant default: only an empty table takes it (the first step named any rows).
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'active_recordings_state'::regclass AND attname = 'stream_id' AND NOT attisdropped) THEN
                    IF EXISTS (SELECT 1 FROM active_recordings_state) THEN
                        RAISE EXCEPTION 'AddTablesOfNewerReleases: active_recordings_state gained rows while this run added its NOT NULL column stream_id; run migrate again, which names what to fix';
                    END IF;
                    ALTER TABLE active_recordings_state ADD COLUMN stream_id integer NOT NULL;
                END IF;

                -- recording_id is NOT NULL without a constant default: only an empty table takes it (the first step named any rows).
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'active_recordings_state'::regclass AND attname = 'recording_id' AND NOT attisdropped) THEN
                    IF EXISTS (SELECT 1 FROM active_recordings_state) THEN
                        RAISE EXCEPTION 'AddTablesOfNewerReleases: active_recordings_state gained rows while this run added its NOT NULL column recording_id; run migrate again, which names what to fix';
                    END IF;
                    ALTER TABLE active_recordings_state ADD COLUMN recording_id integer NOT NULL;
                END IF;

                -- process_id is NOT NULL without a constant default: only an empty table takes it (the first step named any rows).
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'active_recordings_state'::regclass AND attname = 'process_id' AND NOT attisdropped) THEN
                    IF EXISTS (SELECT 1 FROM active_recordings_state) THEN
                        RAISE EXCEPTION 'AddTablesOfNewerReleases: active_recordings_state gained rows while this run added its NOT NULL column process_id; run migrate again, which names what to fix';
                    END IF;
                    ALTER TABLE active_recordings_state ADD COLUMN process_id integer NOT NULL;
                END IF;

                -- process_identifier is NOT NULL without a constant default: only an empty table takes it (the first step named any rows).
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'active_recordings_state'::regclass AND attname = 'process_identifier' AND NOT attisdropped) THEN
                    IF EXISTS (SELECT 1 FROM active_recordings_state) THEN
                        RAISE EXCEPTION 'AddTablesOfNewerReleases: active_recordings_state gained rows while this run added its NOT NULL column process_identifier; run migrate again, which names what to fix';
                    END IF;
                    ALTER TABLE active_recordings_state ADD COLUMN process_identifier character varying(100) NOT NULL;
                END IF;

                -- streamer_name is NOT NULL without a constant default: only an empty table takes it (the first step named any rows).
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'active_recordings_state'::regclass AND attname = 'streamer_name' AND NOT attisdropped) THEN
                    IF EXISTS (SELECT 1 FROM active_recordings_state) THEN
                        RAISE EXCEPTION 'AddTablesOfNewerReleases: active_recordings_state gained rows while this run added its NOT NULL column streamer_name; run migrate again, which names what to fix';
                    END IF;
                    ALTER TABLE active_recordings_state ADD COLUMN streamer_name character varying(100) NOT NULL;
                END IF;

                -- started_at is NOT NULL without a constant default: only an empty table takes it (the first step named any rows).
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'active_recordings_state'::regclass AND attname = 'started_at' AND NOT attisdropped) THEN
                    IF EXISTS (SELECT 1 FROM active_recordings_state) THEN
                        RAISE EXCEPTION 'AddTablesOfNewerReleases: active_recordings_state gained rows while this run added its NOT NULL column started_at; run migrate again, which names what to fix';
                    END IF;
                    ALTER TABLE active_recordings_state ADD COLUMN started_at timestamp with time zone NOT NULL;
                END IF;

                -- ts_output_path is NOT NULL without a constant default: only an empty table takes it (the first step named any rows).
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'active_recordings_state'::regclass AND attname = 'ts_output_path' AND NOT attisdropped) THEN
                    IF EXISTS (SELECT 1 FROM active_recordings_state) THEN
                        RAISE EXCEPTION 'AddTablesOfNewerReleases: active_recordings_state gained rows while this run added its NOT NULL column ts_output_path; run migrate again, which names what to fix';
                    END IF;
                    ALTER TABLE active_recordings_state ADD COLUMN ts_output_path character varying(500) NOT NULL;
                END IF;

                -- Older releases left these without a server default; one a release set is kept as it is (catalog only).
                FOR wanted IN
                    SELECT w.column_name, w.expression
                    FROM (VALUES ('force_mode', 'false'), ('quality', '''best'''), ('status', '''recording'''), ('last_heartbeat', 'CURRENT_TIMESTAMP'), ('created_at', 'CURRENT_TIMESTAMP'), ('updated_at', 'CURRENT_TIMESTAMP')) AS w (column_name, expression)
                    JOIN pg_attribute a ON a.attrelid = 'active_recordings_state'::regclass AND a.attname = w.column_name AND NOT a.attisdropped
                    WHERE NOT a.atthasdef
                LOOP
                    EXECUTE format('ALTER TABLE active_recordings_state ALTER COLUMN %I SET DEFAULT %s', wanted.column_name, wanted.expression);
                END LOOP;
            END
            $table$;
            """);

        // IF NOT EXISTS would keep an INVALID index a failed concurrent build left on active_recordings_state: such a
        // leftover is dropped first; an index of the same name with another definition is someone else's: stop, naming
        // both.
        migrationBuilder.Sql("""
            DO $prepare$
            DECLARE
                wanted record;
                existing record;
            BEGIN
                FOR wanted IN
                    SELECT * FROM (VALUES
                        ('active_recordings_state_stream_id_key', 'active_recordings_state', true, 'btree (stream_id)'),
                        ('idx_active_recordings_heartbeat', 'active_recordings_state', false, 'btree (last_heartbeat)'),
                        ('idx_active_recordings_process_id', 'active_recordings_state', false, 'btree (process_id)'),
                        ('idx_active_recordings_status', 'active_recordings_state', false, 'btree (status)')
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
                        RAISE EXCEPTION 'AddTablesOfNewerReleases: index % exists with another definition: found "%", expected "CREATE %INDEX % ON % USING %"; StreamVault.Data does not replace indexes it did not create: drop or rename it, then run migrate again',
                            wanted.name, existing.definition, CASE WHEN wanted.is_unique THEN 'UNIQUE ' ELSE '' END,
                            wanted.name, wanted.table_name, wanted.method;
                    END IF;
                END LOOP;
            END
            $prepare$;
            """);

        // Built concurrently, outside any transaction, where a release lacks it: active_recordings_state may be large
        // and written to. Not sent at all where the index exists.
        migrationBuilder.Sql("""
            CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS active_recordings_state_stream_id_key ON active_recordings_state (stream_id);
            """, suppressTransaction: true);

        // Built concurrently, outside any transaction, where a release lacks it: active_recordings_state may be large
        // and written to. Not sent at all where the index exists.
        migrationBuilder.Sql("""
            CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_active_recordings_heartbeat ON active_recordings_state (last_heartbeat);
            """, suppressTransaction: true);

        // Built concurrently, outside any transaction, where a release lacks it: active_recordings_state may be large
        // and written to. Not sent at all where the index exists.
        migrationBuilder.Sql("""
            CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_active_recordings_process_id ON active_recordings_state (process_id);
            """, suppressTransaction: true);

        // Built concurrently, outside any transaction, where a release lacks it: active_recordings_state may be large
        // and written to. Not sent at all where the index exists.
        migrationBuilder.Sql("""
            CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_active_recordings_status ON active_recordings_state (status);
            """, suppressTransaction: true);

        // The app's unique constraint takes over the index just built (catalog only); checked first.
        migrationBuilder.Sql("""
            DO $constraint$
            BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'active_recordings_state'::regclass AND conname = 'active_recordings_state_stream_id_key') THEN
                    ALTER TABLE active_recordings_state ADD CONSTRAINT active_recordings_state_stream_id_key UNIQUE USING INDEX active_recordings_state_stream_id_key;
                END IF;
            END
            $constraint$;
            """);

        // A foreign key the table lacks is added NOT VALID: new rows are checked from now on, existing ones are not
        // scanned while the lock is held. Checked in the catalog first; a release's own (June 2025's without ON DELETE)
        // is kept.
        migrationBuilder.Sql("""
            DO $constraint$
            BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'active_recordings_state'::regclass AND conname = 'active_recordings_state_stream_id_fkey') THEN
                    ALTER TABLE active_recordings_state ADD CONSTRAINT active_recordings_state_stream_id_fkey FOREIGN KEY (stream_id) REFERENCES streams (id) ON DELETE CASCADE NOT VALID;
                END IF;
            END
            $constraint$;
            """);

        // Validated in a transaction of its own: the scan holds only SHARE UPDATE EXCLUSIVE on active_recordings_state
        // and ROW SHARE on streams. Skipped when already valid (orphans were named by the first step).
        migrationBuilder.Sql("""
            DO $validate$
            BEGIN
                IF EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'active_recordings_state'::regclass AND conname = 'active_recordings_state_stream_id_fkey' AND NOT convalidated) THEN
                    ALTER TABLE active_recordings_state VALIDATE CONSTRAINT active_recordings_state_stream_id_fkey;
                END IF;
            END
            $validate$;
            """, suppressTransaction: true);

        // A foreign key the table lacks is added NOT VALID: new rows are checked from now on, existing ones are not
        // scanned while the lock is held. Checked in the catalog first; a release's own (June 2025's without ON DELETE)
        // is kept.
        migrationBuilder.Sql("""
            DO $constraint$
            BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'active_recordings_state'::regclass AND conname = 'active_recordings_state_recording_id_fkey') THEN
                    ALTER TABLE active_recordings_state ADD CONSTRAINT active_recordings_state_recording_id_fkey FOREIGN KEY (recording_id) REFERENCES recordings (id) ON DELETE CASCADE NOT VALID;
                END IF;
            END
            $constraint$;
            """);

        // Validated in a transaction of its own: the scan holds only SHARE UPDATE EXCLUSIVE on active_recordings_state
        // and ROW SHARE on recordings. Skipped when already valid (orphans were named by the first step).
        migrationBuilder.Sql("""
            DO $validate$
            BEGIN
                IF EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'active_recordings_state'::regclass AND conname = 'active_recordings_state_recording_id_fkey' AND NOT convalidated) THEN
                    ALTER TABLE active_recordings_state VALIDATE CONSTRAINT active_recordings_state_recording_id_fkey;
                END IF;
            END
            $validate$;
            """, suppressTransaction: true);

        // recording_processing_state: post-processing progress per recording (2025-09 on; no foreign keys in the app's
        // database). Absent, it is created whole (empty, so its indexes are built in place). Present (a release made
        // it), only what it lacks is added, each part checked in the catalog first so a complete table takes no lock;
        // columns and defaults a release set stay as they are.
        migrationBuilder.Sql("""
            DO $table$
            DECLARE
                wanted record;
            BEGIN
                IF to_regclass('recording_processing_state') IS NULL THEN
                    CREATE TABLE IF NOT EXISTS recording_processing_state (
                        id serial NOT NULL,
                        recording_id integer NOT NULL,
                        stream_id integer NOT NULL,
                        streamer_id integer NOT NULL,
                        metadata_status character varying(20) NOT NULL DEFAULT 'pending',
                        chapters_status character varying(20) NOT NULL DEFAULT 'pending',
                        mp4_remux_status character varying(20) NOT NULL DEFAULT 'pending',
                        mp4_validation_status character varying(20) NOT NULL DEFAULT 'pending',
                        thumbnail_status character varying(20) NOT NULL DEFAULT 'pending',
                        cleanup_status character varying(20) NOT NULL DEFAULT 'pending',
                        last_error text,
                        task_ids_json text,
                        created_at timestamp with time zone DEFAULT now(),
                        updated_at timestamp with time zone DEFAULT now(),
                        CONSTRAINT recording_processing_state_pkey PRIMARY KEY (id)
                    );
                    CREATE UNIQUE INDEX IF NOT EXISTS ix_rps_recording_id ON recording_processing_state (recording_id);
                    CREATE INDEX IF NOT EXISTS ix_rps_stream_id ON recording_processing_state (stream_id);
                    CREATE INDEX IF NOT EXISTS ix_rps_updated_at ON recording_processing_state (updated_at);
                    CREATE TRIGGER update_recording_processing_state_updated_at BEFORE UPDATE ON recording_processing_state FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
                    RETURN;
                END IF;

                -- Columns a release lacks, nullable or with a constant default: catalog only (existing rows read the default).
                IF (SELECT count(*) FROM pg_attribute WHERE attrelid = 'recording_processing_state'::regclass AND NOT attisdropped
                    AND attname IN ('metadata_status', 'chapters_status', 'mp4_remux_status', 'mp4_validation_status', 'thumbnail_status', 'cleanup_status', 'last_error', 'task_ids_json')) < 8 THEN
                    ALTER TABLE recording_processing_state
                        ADD COLUMN IF NOT EXISTS metadata_status character varying(20) NOT NULL DEFAULT 'pending',
                        ADD COLUMN IF NOT EXISTS chapters_status character varying(20) NOT NULL DEFAULT 'pending',
                        ADD COLUMN IF NOT EXISTS mp4_remux_status character varying(20) NOT NULL DEFAULT 'pending',
                        ADD COLUMN IF NOT EXISTS mp4_validation_status character varying(20) NOT NULL DEFAULT 'pending',
                        ADD COLUMN IF NOT EXISTS thumbnail_status character varying(20) NOT NULL DEFAULT 'pending',
                        ADD COLUMN IF NOT EXISTS cleanup_status character varying(20) NOT NULL DEFAULT 'pending',
                        ADD COLUMN IF NOT EXISTS last_error text,
                        ADD COLUMN IF NOT EXISTS task_ids_json text;
                END IF;

                -- created_at: added without its default first, so existing rows keep NULL rather than this run's time.
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'recording_processing_state'::regclass AND attname = 'created_at' AND NOT attisdropped) THEN
                    ALTER TABLE recording_processing_state ADD COLUMN created_at timestamp with time zone, ALTER COLUMN created_at SET DEFAULT now();
                END IF;

                -- updated_at: added without its default first, so existing rows keep NULL rather than this run's time.
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'recording_processing_state'::regclass AND attname = 'updated_at' AND NOT attisdropped) THEN
                    ALTER TABLE recording_processing_state ADD COLUMN updated_at timestamp with time zone, ALTER COLUMN updated_at SET DEFAULT now();
                END IF;

                -- recording_id is NOT NULL without a constant default: only an empty table takes it (the first step named any rows).
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'recording_processing_state'::regclass AND attname = 'recording_id' AND NOT attisdropped) THEN
                    IF EXISTS (SELECT 1 FROM recording_processing_state) THEN
                        RAISE EXCEPTION 'AddTablesOfNewerReleases: recording_processing_state gained rows while this run added its NOT NULL column recording_id; run migrate again, which names what to fix';
                    END IF;
                    ALTER TABLE recording_processing_state ADD COLUMN recording_id integer NOT NULL;
                END IF;

                -- stream_id is NOT NULL without a constant default: only an empty table takes it (the first step named any rows).
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'recording_processing_state'::regclass AND attname = 'stream_id' AND NOT attisdropped) THEN
                    IF EXISTS (SELECT 1 FROM recording_processing_state) THEN
                        RAISE EXCEPTION 'AddTablesOfNewerReleases: recording_processing_state gained rows while this run added its NOT NULL column stream_id; run migrate again, which names what to fix';
                    END IF;
                    ALTER TABLE recording_processing_state ADD COLUMN stream_id integer NOT NULL;
                END IF;

                -- streamer_id is NOT NULL without a constant default: only an empty table takes it (the first step named any rows).
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'recording_processing_state'::regclass AND attname = 'streamer_id' AND NOT attisdropped) THEN
                    IF EXISTS (SELECT 1 FROM recording_processing_state) THEN
                        RAISE EXCEPTION 'AddTablesOfNewerReleases: recording_processing_state gained rows while this run added its NOT NULL column streamer_id; run migrate again, which names what to fix';
                    END IF;
                    ALTER TABLE recording_processing_state ADD COLUMN streamer_id integer NOT NULL;
                END IF;

                -- Older releases left these without a server default; one a release set is kept as it is (catalog only).
                FOR wanted IN
                    SELECT w.column_name, w.expression
                    FROM (VALUES ('metadata_status', '''pending'''), ('chapters_status', '''pending'''), ('mp4_remux_status', '''pending'''), ('mp4_validation_status', '''pending'''), ('thumbnail_status', '''pending'''), ('cleanup_status', '''pending'''), ('created_at', 'now()'), ('updated_at', 'now()')) AS w (column_name, expression)
                    JOIN pg_attribute a ON a.attrelid = 'recording_processing_state'::regclass AND a.attname = w.column_name AND NOT a.attisdropped
                    WHERE NOT a.atthasdef
                LOOP
                    EXECUTE format('ALTER TABLE recording_processing_state ALTER COLUMN %I SET DEFAULT %s', wanted.column_name, wanted.expression);
                END LOOP;

                IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = 'recording_processing_state'::regclass AND tgname = 'update_recording_processing_state_updated_at') THEN
                    CREATE TRIGGER update_recording_processing_state_updated_at BEFORE UPDATE ON recording_processing_state FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
                END IF;
            END
            $table$;
            """);

        // IF NOT EXISTS would keep an INVALID index a failed concurrent build left on recording_processing_state: such
        // a leftover is dropped first; an index of the same name with another definition is someone else's: stop,
        // naming both.
        migrationBuilder.Sql("""
            DO $prepare$
            DECLARE
                wanted record;
                existing record;
            BEGIN
                FOR wanted IN
                    SELECT * FROM (VALUES
                        ('ix_rps_recording_id', 'recording_processing_state', true, 'btree (recording_id)'),
                        ('ix_rps_stream_id', 'recording_processing_state', false, 'btree (stream_id)'),
                        ('ix_rps_updated_at', 'recording_processing_state', false, 'btree (updated_at)')
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
                        RAISE EXCEPTION 'AddTablesOfNewerReleases: index % exists with another definition: found "%", expected "CREATE %INDEX % ON % USING %"; StreamVault.Data does not replace indexes it did not create: drop or rename it, then run migrate again',
                            wanted.name, existing.definition, CASE WHEN wanted.is_unique THEN 'UNIQUE ' ELSE '' END,
                            wanted.name, wanted.table_name, wanted.method;
                    END IF;
                END LOOP;
            END
            $prepare$;
            """);

        // Built concurrently, outside any transaction, where a release lacks it: recording_processing_state may be
        // large and written to. Not sent at all where the index exists.
        migrationBuilder.Sql("""
            CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ix_rps_recording_id ON recording_processing_state (recording_id);
            """, suppressTransaction: true);

        // Built concurrently, outside any transaction, where a release lacks it: recording_processing_state may be
        // large and written to. Not sent at all where the index exists.
        migrationBuilder.Sql("""
            CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_rps_stream_id ON recording_processing_state (stream_id);
            """, suppressTransaction: true);

        // Built concurrently, outside any transaction, where a release lacks it: recording_processing_state may be
        // large and written to. Not sent at all where the index exists.
        migrationBuilder.Sql("""
            CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_rps_updated_at ON recording_processing_state (updated_at);
            """, suppressTransaction: true);

        // share_tokens: links sharing one stream's recording (2025-07 on; no foreign key in the app's database).
        // Absent, it is created whole (empty, so its indexes are built in place). Present (a release made it), only
        // what it lacks is added, each part checked in the catalog first so a complete table takes no lock; columns and
        // defaults a release set stay as they are.
        migrationBuilder.Sql("""
            DO $table$
            DECLARE
                wanted record;
            BEGIN
                IF to_regclass('share_tokens') IS NULL THEN
                    CREATE TABLE IF NOT EXISTS share_tokens (
                        id serial NOT NULL,
                        token character varying(255) NOT NULL,
                        stream_id integer NOT NULL,
                        expires_at timestamp with time zone NOT NULL,
                        created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
                        CONSTRAINT share_tokens_pkey PRIMARY KEY (id),
                        CONSTRAINT share_tokens_token_key UNIQUE (token)
                    );
                    CREATE INDEX IF NOT EXISTS idx_share_tokens_expires ON share_tokens (expires_at);
                    CREATE INDEX IF NOT EXISTS idx_share_tokens_stream_id ON share_tokens (stream_id);
                    CREATE INDEX IF NOT EXISTS idx_share_tokens_token ON share_tokens (token);
                    RETURN;
                END IF;

                -- created_at: added without its default first, so existing rows keep NULL rather than this run's time.
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'share_tokens'::regclass AND attname = 'created_at' AND NOT attisdropped) THEN
                    ALTER TABLE share_tokens ADD COLUMN created_at timestamp with time zone, ALTER COLUMN created_at SET DEFAULT CURRENT_TIMESTAMP;
                END IF;

                -- token is NOT NULL without a constant default: only an empty table takes it (the first step named any rows).
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'share_tokens'::regclass AND attname = 'token' AND NOT attisdropped) THEN
                    IF EXISTS (SELECT 1 FROM share_tokens) THEN
                        RAISE EXCEPTION 'AddTablesOfNewerReleases: share_tokens gained rows while this run added its NOT NULL column token; run migrate again, which names what to fix';
                    END IF;
                    ALTER TABLE share_tokens ADD COLUMN token character varying(255) NOT NULL;
                END IF;

                -- stream_id is NOT NULL without a constant default: only an empty table takes it (the first step named any rows).
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'share_tokens'::regclass AND attname = 'stream_id' AND NOT attisdropped) THEN
                    IF EXISTS (SELECT 1 FROM share_tokens) THEN
                        RAISE EXCEPTION 'AddTablesOfNewerReleases: share_tokens gained rows while this run added its NOT NULL column stream_id; run migrate again, which names what to fix';
                    END IF;
                    ALTER TABLE share_tokens ADD COLUMN stream_id integer NOT NULL;
                END IF;

                -- expires_at is NOT NULL without a constant default: only an empty table takes it (the first step named any rows).
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'share_tokens'::regclass AND attname = 'expires_at' AND NOT attisdropped) THEN
                    IF EXISTS (SELECT 1 FROM share_tokens) THEN
                        RAISE EXCEPTION 'AddTablesOfNewerReleases: share_tokens gained rows while this run added its NOT NULL column expires_at; run migrate again, which names what to fix';
                    END IF;
                    ALTER TABLE share_tokens ADD COLUMN expires_at timestamp with time zone NOT NULL;
                END IF;

                -- Older releases left these without a server default; one a release set is kept as it is (catalog only).
                FOR wanted IN
                    SELECT w.column_name, w.expression
                    FROM (VALUES ('created_at', 'CURRENT_TIMESTAMP')) AS w (column_name, expression)
                    JOIN pg_attribute a ON a.attrelid = 'share_tokens'::regclass AND a.attname = w.column_name AND NOT a.attisdropped
                    WHERE NOT a.atthasdef
                LOOP
                    EXECUTE format('ALTER TABLE share_tokens ALTER COLUMN %I SET DEFAULT %s', wanted.column_name, wanted.expression);
                END LOOP;
            END
            $table$;
            """);

        // IF NOT EXISTS would keep an INVALID index a failed concurrent build left on share_tokens: such a leftover is
        // dropped first; an index of the same name with another definition is someone else's: stop, naming both.
        migrationBuilder.Sql("""
            DO $prepare$
            DECLARE
                wanted record;
                existing record;
            BEGIN
                FOR wanted IN
                    SELECT * FROM (VALUES
                        ('share_tokens_token_key', 'share_tokens', true, 'btree (token)'),
                        ('idx_share_tokens_expires', 'share_tokens', false, 'btree (expires_at)'),
                        ('idx_share_tokens_stream_id', 'share_tokens', false, 'btree (stream_id)'),
                        ('idx_share_tokens_token', 'share_tokens', false, 'btree (token)')
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
                        RAISE EXCEPTION 'AddTablesOfNewerReleases: index % exists with another definition: found "%", expected "CREATE %INDEX % ON % USING %"; StreamVault.Data does not replace indexes it did not create: drop or rename it, then run migrate again',
                            wanted.name, existing.definition, CASE WHEN wanted.is_unique THEN 'UNIQUE ' ELSE '' END,
                            wanted.name, wanted.table_name, wanted.method;
                    END IF;
                END LOOP;
            END
            $prepare$;
            """);

        // Built concurrently, outside any transaction, where a release lacks it: share_tokens may be large and written
        // to. Not sent at all where the index exists.
        migrationBuilder.Sql("""
            CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS share_tokens_token_key ON share_tokens (token);
            """, suppressTransaction: true);

        // Built concurrently, outside any transaction, where a release lacks it: share_tokens may be large and written
        // to. Not sent at all where the index exists.
        migrationBuilder.Sql("""
            CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_share_tokens_expires ON share_tokens (expires_at);
            """, suppressTransaction: true);

        // Built concurrently, outside any transaction, where a release lacks it: share_tokens may be large and written
        // to. Not sent at all where the index exists.
        migrationBuilder.Sql("""
            CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_share_tokens_stream_id ON share_tokens (stream_id);
            """, suppressTransaction: true);

        // Built concurrently, outside any transaction, where a release lacks it: share_tokens may be large and written
        // to. Not sent at all where the index exists.
        migrationBuilder.Sql("""
            CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_share_tokens_token ON share_tokens (token);
            """, suppressTransaction: true);

        // The app's unique constraint takes over the index just built (catalog only); checked first.
        migrationBuilder.Sql("""
            DO $constraint$
            BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'share_tokens'::regclass AND conname = 'share_tokens_token_key') THEN
                    ALTER TABLE share_tokens ADD CONSTRAINT share_tokens_token_key UNIQUE USING INDEX share_tokens_token_key;
                END IF;
            END
            $constraint$;
            """);

        // stream_events: Twitch events of each stream (June 2025 on). Absent, it is created whole (empty, so its
        // indexes are built in place). Present (a release made it), only what it lacks is added, each part checked in
        // the catalog first so a complete table takes no lock; columns and defaults a release set stay as they are.
        migrationBuilder.Sql("""
            DO $table$
            DECLARE
                wanted record;
            BEGIN
                IF to_regclass('stream_events') IS NULL THEN
                    CREATE TABLE IF NOT EXISTS stream_events (
                        id serial NOT NULL,
                        stream_id integer,
                        event_type character varying NOT NULL,
                        title character varying,
                        category_name character varying,
                        language character varying,
                        "timestamp" timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
                        CONSTRAINT stream_events_pkey PRIMARY KEY (id),
                        CONSTRAINT stream_events_stream_id_fkey FOREIGN KEY (stream_id) REFERENCES streams (id) ON DELETE CASCADE
                    );
                    CREATE INDEX IF NOT EXISTS idx_stream_events_event_type ON stream_events (event_type);
                    CREATE INDEX IF NOT EXISTS idx_stream_events_stream_id ON stream_events (stream_id);
                    CREATE INDEX IF NOT EXISTS idx_stream_events_stream_time ON stream_events (stream_id, "timestamp");
                    CREATE INDEX IF NOT EXISTS idx_stream_events_stream_type ON stream_events (stream_id, event_type);
                    CREATE INDEX IF NOT EXISTS idx_stream_events_timestamp ON stream_events ("timestamp");
                    CREATE INDEX IF NOT EXISTS idx_stream_events_type_time ON stream_events (event_type, "timestamp");
                    RETURN;
                END IF;

                -- Columns a release lacks, nullable or with a constant default: catalog only (existing rows read the default).
                IF (SELECT count(*) FROM pg_attribute WHERE attrelid = 'stream_events'::regclass AND NOT attisdropped
                    AND attname IN ('stream_id', 'title', 'category_name', 'language')) < 4 THEN
                    ALTER TABLE stream_events
                        ADD COLUMN IF NOT EXISTS stream_id integer,
                        ADD COLUMN IF NOT EXISTS title character varying,
                        ADD COLUMN IF NOT EXISTS category_name character varying,
                        ADD COLUMN IF NOT EXISTS language character varying;
                END IF;

                -- timestamp: added without its default first, so existing rows keep NULL rather than this run's time.
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'stream_events'::regclass AND attname = 'timestamp' AND NOT attisdropped) THEN
                    ALTER TABLE stream_events ADD COLUMN "timestamp" timestamp with time zone, ALTER COLUMN "timestamp" SET DEFAULT CURRENT_TIMESTAMP;
                END IF;

                -- event_type is NOT NULL without a constant default: only an empty table takes it (the first step named any rows).
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'stream_events'::regclass AND attname = 'event_type' AND NOT attisdropped) THEN
                    IF EXISTS (SELECT 1 FROM stream_events) THEN
                        RAISE EXCEPTION 'AddTablesOfNewerReleases: stream_events gained rows while this run added its NOT NULL column event_type; run migrate again, which names what to fix';
                    END IF;
                    ALTER TABLE stream_events ADD COLUMN event_type character varying NOT NULL;
                END IF;

                -- Older releases left these without a server default; one a release set is kept as it is (catalog only).
                FOR wanted IN
                    SELECT w.column_name, w.expression
                    FROM (VALUES ('timestamp', 'CURRENT_TIMESTAMP')) AS w (column_name, expression)
                    JOIN pg_attribute a ON a.attrelid = 'stream_events'::regclass AND a.attname = w.column_name AND NOT a.attisdropped
                    WHERE NOT a.atthasdef
                LOOP
                    EXECUTE format('ALTER TABLE stream_events ALTER COLUMN %I SET DEFAULT %s', wanted.column_name, wanted.expression);
                END LOOP;
            END
            $table$;
            """);

        // IF NOT EXISTS would keep an INVALID index a failed concurrent build left on stream_events: such a leftover is
        // dropped first; an index of the same name with another definition is someone else's: stop, naming both.
        migrationBuilder.Sql("""
            DO $prepare$
            DECLARE
                wanted record;
                existing record;
            BEGIN
                FOR wanted IN
                    SELECT * FROM (VALUES
                        ('idx_stream_events_event_type', 'stream_events', false, 'btree (event_type)'),
                        ('idx_stream_events_stream_id', 'stream_events', false, 'btree (stream_id)'),
                        ('idx_stream_events_stream_time', 'stream_events', false, 'btree (stream_id, "timestamp")'),
                        ('idx_stream_events_stream_type', 'stream_events', false, 'btree (stream_id, event_type)'),
                        ('idx_stream_events_timestamp', 'stream_events', false, 'btree ("timestamp")'),
                        ('idx_stream_events_type_time', 'stream_events', false, 'btree (event_type, "timestamp")')
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
                        RAISE EXCEPTION 'AddTablesOfNewerReleases: index % exists with another definition: found "%", expected "CREATE %INDEX % ON % USING %"; StreamVault.Data does not replace indexes it did not create: drop or rename it, then run migrate again',
                            wanted.name, existing.definition, CASE WHEN wanted.is_unique THEN 'UNIQUE ' ELSE '' END,
                            wanted.name, wanted.table_name, wanted.method;
                    END IF;
                END LOOP;
            END
            $prepare$;
            """);

        // Built concurrently, outside any transaction, where a release lacks it: stream_events may be large and written
        // to. Not sent at all where the index exists.
        migrationBuilder.Sql("""
            CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_stream_events_event_type ON stream_events (event_type);
            """, suppressTransaction: true);

        // Built concurrently, outside any transaction, where a release lacks it: stream_events may be large and written
        // to. Not sent at all where the index exists.
        migrationBuilder.Sql("""
            CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_stream_events_stream_id ON stream_events (stream_id);
            """, suppressTransaction: true);

        // Built concurrently, outside any transaction, where a release lacks it: stream_events may be large and written
        // to. Not sent at all where the index exists.
        migrationBuilder.Sql("""
            CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_stream_events_stream_time ON stream_events (stream_id, "timestamp");
            """, suppressTransaction: true);

        // Built concurrently, outside any transaction, where a release lacks it: stream_events may be large and written
        // to. Not sent at all where the index exists.
        migrationBuilder.Sql("""
            CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_stream_events_stream_type ON stream_events (stream_id, event_type);
            """, suppressTransaction: true);

        // Built concurrently, outside any transaction, where a release lacks it: stream_events may be large and written
        // to. Not sent at all where the index exists.
        migrationBuilder.Sql("""
            CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_stream_events_timestamp ON stream_events ("timestamp");
            """, suppressTransaction: true);

        // Built concurrently, outside any transaction, where a release lacks it: stream_events may be large and written
        // to. Not sent at all where the index exists.
        migrationBuilder.Sql("""
            CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_stream_events_type_time ON stream_events (event_type, "timestamp");
            """, suppressTransaction: true);

        // A foreign key the table lacks is added NOT VALID: new rows are checked from now on, existing ones are not
        // scanned while the lock is held. Checked in the catalog first; a release's own (June 2025's without ON DELETE)
        // is kept.
        migrationBuilder.Sql("""
            DO $constraint$
            BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'stream_events'::regclass AND conname = 'stream_events_stream_id_fkey') THEN
                    ALTER TABLE stream_events ADD CONSTRAINT stream_events_stream_id_fkey FOREIGN KEY (stream_id) REFERENCES streams (id) ON DELETE CASCADE NOT VALID;
                END IF;
            END
            $constraint$;
            """);

        // Validated in a transaction of its own: the scan holds only SHARE UPDATE EXCLUSIVE on stream_events and ROW
        // SHARE on streams. Skipped when already valid (orphans were named by the first step).
        migrationBuilder.Sql("""
            DO $validate$
            BEGIN
                IF EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'stream_events'::regclass AND conname = 'stream_events_stream_id_fkey' AND NOT convalidated) THEN
                    ALTER TABLE stream_events VALIDATE CONSTRAINT stream_events_stream_id_fkey;
                END IF;
            END
            $validate$;
            """, suppressTransaction: true);

        // stream_metadata: files and figures of each recorded stream (June 2025 on). Absent, it is created whole
        // (empty, so its indexes are built in place). Present (a release made it), only what it lacks is added, each
        // part checked in the catalog first so a complete table takes no lock; columns and defaults a release set stay
        // as they are.
        migrationBuilder.Sql("""
            DO $table$
            DECLARE
                wanted record;
            BEGIN
                IF to_regclass('stream_metadata') IS NULL THEN
                    CREATE TABLE IF NOT EXISTS stream_metadata (
                        id serial NOT NULL,
                        stream_id integer,
                        thumbnail_path character varying,
                        thumbnail_url character varying,
                        nfo_path character varying,
                        json_path character varying,
                        chapters_vtt_path character varying,
                        chapters_srt_path character varying,
                        chapters_ffmpeg_path character varying,
                        avg_viewers integer,
                        max_viewers integer,
                        follower_count integer,
                        tags text,
                        mature boolean DEFAULT false,
                        original_language character varying(10),
                        original_title character varying(500),
                        original_category character varying(100),
                        created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
                        updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
                        chapters_xml_path text,
                        tvshow_nfo_path text,
                        season_nfo_path text,
                        segments_dir_path character varying(500),
                        segments_removed boolean DEFAULT false,
                        CONSTRAINT stream_metadata_pkey PRIMARY KEY (id),
                        CONSTRAINT stream_metadata_stream_id_key UNIQUE (stream_id),
                        CONSTRAINT stream_metadata_stream_id_fkey FOREIGN KEY (stream_id) REFERENCES streams (id) ON DELETE CASCADE
                    );
                    CREATE INDEX IF NOT EXISTS idx_stream_metadata_stream_id ON stream_metadata (stream_id);
                    RETURN;
                END IF;

                -- Columns a release lacks, nullable or with a constant default: catalog only (existing rows read the default).
                IF (SELECT count(*) FROM pg_attribute WHERE attrelid = 'stream_metadata'::regclass AND NOT attisdropped
                    AND attname IN ('stream_id', 'thumbnail_path', 'thumbnail_url', 'nfo_path', 'json_path', 'chapters_vtt_path', 'chapters_srt_path', 'chapters_ffmpeg_path', 'avg_viewers', 'max_viewers', 'follower_count', 'tags', 'mature', 'original_language', 'original_title', 'original_category', 'chapters_xml_path', 'tvshow_nfo_path', 'season_nfo_path', 'segments_dir_path', 'segments_removed')) < 21 THEN
                    ALTER TABLE stream_metadata
                        ADD COLUMN IF NOT EXISTS stream_id integer,
                        ADD COLUMN IF NOT EXISTS thumbnail_path character varying,
                        ADD COLUMN IF NOT EXISTS thumbnail_url character varying,
                        ADD COLUMN IF NOT EXISTS nfo_path character varying,
                        ADD COLUMN IF NOT EXISTS json_path character varying,
                        ADD COLUMN IF NOT EXISTS chapters_vtt_path character varying,
                        ADD COLUMN IF NOT EXISTS chapters_srt_path character varying,
                        ADD COLUMN IF NOT EXISTS chapters_ffmpeg_path character varying,
                        ADD COLUMN IF NOT EXISTS avg_viewers integer,
                        ADD COLUMN IF NOT EXISTS max_viewers integer,
                        ADD COLUMN IF NOT EXISTS follower_count integer,
                        ADD COLUMN IF NOT EXISTS tags text,
                        ADD COLUMN IF NOT EXISTS mature boolean DEFAULT false,
                        ADD COLUMN IF NOT EXISTS original_language character varying(10),
                        ADD COLUMN IF NOT EXISTS original_title character varying(500),
                        ADD COLUMN IF NOT EXISTS original_category character varying(100),
                        ADD COLUMN IF NOT EXISTS chapters_xml_path text,
                        ADD COLUMN IF NOT EXISTS tvshow_nfo_path text,
                        ADD COLUMN IF NOT EXISTS season_nfo_path text,
                        ADD COLUMN IF NOT EXISTS segments_dir_path character varying(500),
                        ADD COLUMN IF NOT EXISTS segments_removed boolean DEFAULT false;
                END IF;

                -- created_at: added without its default first, so existing rows keep NULL rather than this run's time.
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'stream_metadata'::regclass AND attname = 'created_at' AND NOT attisdropped) THEN
                    ALTER TABLE stream_metadata ADD COLUMN created_at timestamp with time zone, ALTER COLUMN created_at SET DEFAULT CURRENT_TIMESTAMP;
                END IF;

                -- updated_at: added without its default first, so existing rows keep NULL rather than this run's time.
                IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'stream_metadata'::regclass AND attname = 'updated_at' AND NOT attisdropped) THEN
                    ALTER TABLE stream_metadata ADD COLUMN updated_at timestamp with time zone, ALTER COLUMN updated_at SET DEFAULT CURRENT_TIMESTAMP;
                END IF;

                -- Older releases left these without a server default; one a release set is kept as it is (catalog only).
                FOR wanted IN
                    SELECT w.column_name, w.expression
                    FROM (VALUES ('mature', 'false'), ('created_at', 'CURRENT_TIMESTAMP'), ('updated_at', 'CURRENT_TIMESTAMP'), ('segments_removed', 'false')) AS w (column_name, expression)
                    JOIN pg_attribute a ON a.attrelid = 'stream_metadata'::regclass AND a.attname = w.column_name AND NOT a.attisdropped
                    WHERE NOT a.atthasdef
                LOOP
                    EXECUTE format('ALTER TABLE stream_metadata ALTER COLUMN %I SET DEFAULT %s', wanted.column_name, wanted.expression);
                END LOOP;
            END
            $table$;
            """);

        // IF NOT EXISTS would keep an INVALID index a failed concurrent build left on stream_metadata: such a leftover
        // is dropped first; an index of the same name with another definition is someone else's: stop, naming both.
        migrationBuilder.Sql("""
            DO $prepare$
            DECLARE
                wanted record;
                existing record;
            BEGIN
                FOR wanted IN
                    SELECT * FROM (VALUES
                        ('stream_metadata_stream_id_key', 'stream_metadata', true, 'btree (stream_id)'),
                        ('idx_stream_metadata_stream_id', 'stream_metadata', false, 'btree (stream_id)')
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
                        RAISE EXCEPTION 'AddTablesOfNewerReleases: index % exists with another definition: found "%", expected "CREATE %INDEX % ON % USING %"; StreamVault.Data does not replace indexes it did not create: drop or rename it, then run migrate again',
                            wanted.name, existing.definition, CASE WHEN wanted.is_unique THEN 'UNIQUE ' ELSE '' END,
                            wanted.name, wanted.table_name, wanted.method;
                    END IF;
                END LOOP;
            END
            $prepare$;
            """);

        // Built concurrently, outside any transaction, where a release lacks it: stream_metadata may be large and
        // written to. Not sent at all where the index exists.
        migrationBuilder.Sql("""
            CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS stream_metadata_stream_id_key ON stream_metadata (stream_id);
            """, suppressTransaction: true);

        // Built concurrently, outside any transaction, where a release lacks it: stream_metadata may be large and
        // written to. Not sent at all where the index exists.
        migrationBuilder.Sql("""
            CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_stream_metadata_stream_id ON stream_metadata (stream_id);
            """, suppressTransaction: true);

        // The app's unique constraint takes over the index just built (catalog only); checked first.
        migrationBuilder.Sql("""
            DO $constraint$
            BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'stream_metadata'::regclass AND conname = 'stream_metadata_stream_id_key') THEN
                    ALTER TABLE stream_metadata ADD CONSTRAINT stream_metadata_stream_id_key UNIQUE USING INDEX stream_metadata_stream_id_key;
                END IF;
            END
            $constraint$;
            """);

        // A foreign key the table lacks is added NOT VALID: new rows are checked from now on, existing ones are not
        // scanned while the lock is held. Checked in the catalog first; a release's own (June 2025's without ON DELETE)
        // is kept.
        migrationBuilder.Sql("""
            DO $constraint$
            BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'stream_metadata'::regclass AND conname = 'stream_metadata_stream_id_fkey') THEN
                    ALTER TABLE stream_metadata ADD CONSTRAINT stream_metadata_stream_id_fkey FOREIGN KEY (stream_id) REFERENCES streams (id) ON DELETE CASCADE NOT VALID;
                END IF;
            END
            $constraint$;
            """);

        // Validated in a transaction of its own: the scan holds only SHARE UPDATE EXCLUSIVE on stream_metadata and ROW
        // SHARE on streams. Skipped when already valid (orphans were named by the first step).
        migrationBuilder.Sql("""
            DO $validate$
            BEGIN
                IF EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'stream_metadata'::regclass AND conname = 'stream_metadata_stream_id_fkey' AND NOT convalidated) THEN
                    ALTER TABLE stream_metadata VALIDATE CONSTRAINT stream_metadata_stream_id_fkey;
                END IF;
            END
            $validate$;
            """, suppressTransaction: true);

        // push_subscriptions: the app keeps updated_at current with this trigger (2025-07 on); June 2025 and v1.0.42/43
        // lack it. v1.0.42/43 kept the browser keys in p256dh and auth NOT NULL, which the newest app never writes:
        // dropping NOT NULL widens.
        migrationBuilder.Sql("""
            DO $push$
            BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = 'push_subscriptions'::regclass AND tgname = 'update_push_subscriptions_updated_at') THEN
                    CREATE TRIGGER update_push_subscriptions_updated_at BEFORE UPDATE ON push_subscriptions FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
                END IF;
                IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'push_subscriptions'::regclass AND attname = 'p256dh' AND attnotnull AND NOT attisdropped) THEN
                    ALTER TABLE push_subscriptions ALTER COLUMN p256dh DROP NOT NULL;
                END IF;
                IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'push_subscriptions'::regclass AND attname = 'auth' AND attnotnull AND NOT attisdropped) THEN
                    ALTER TABLE push_subscriptions ALTER COLUMN auth DROP NOT NULL;
                END IF;
            END
            $push$;
            """);

        // global_settings: v1.0.42/43 made it without the notification columns every other release has (the five
        // tables' migrations add only later ones). Catalog only: nullable, or constant defaults the existing row reads.
        migrationBuilder.Sql("""
            DO $settings$
            BEGIN
                IF (SELECT count(*) FROM pg_attribute WHERE attrelid = 'global_settings'::regclass AND NOT attisdropped
                    AND attname IN ('notification_url', 'notifications_enabled', 'notify_online_global', 'notify_offline_global',
                                    'notify_update_global', 'notify_favorite_category_global')) < 6 THEN
                    ALTER TABLE global_settings
                        ADD COLUMN IF NOT EXISTS notification_url character varying,
                        ADD COLUMN IF NOT EXISTS notifications_enabled boolean DEFAULT false,
                        ADD COLUMN IF NOT EXISTS notify_online_global boolean DEFAULT true,
                        ADD COLUMN IF NOT EXISTS notify_offline_global boolean DEFAULT true,
                        ADD COLUMN IF NOT EXISTS notify_update_global boolean DEFAULT true,
                        ADD COLUMN IF NOT EXISTS notify_favorite_category_global boolean DEFAULT true;
                END IF;
            END
            $settings$;
            """);

        // push_subscriptions_endpoint_key: v1.0.42/43 made push_subscriptions unique on (endpoint, p256dh, auth)
        // instead. A leftover INVALID build is dropped first; an index of that name with another definition stops the
        // run, naming both.
        migrationBuilder.Sql("""
            DO $prepare$
            DECLARE
                wanted record;
                existing record;
            BEGIN
                FOR wanted IN
                    SELECT * FROM (VALUES
                        ('push_subscriptions_endpoint_key', 'push_subscriptions', true, 'btree (endpoint)')
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
                        RAISE EXCEPTION 'AddTablesOfNewerReleases: index % exists with another definition: found "%", expected "CREATE %INDEX % ON % USING %"; StreamVault.Data does not replace indexes it did not create: drop or rename it, then run migrate again',
                            wanted.name, existing.definition, CASE WHEN wanted.is_unique THEN 'UNIQUE ' ELSE '' END,
                            wanted.name, wanted.table_name, wanted.method;
                    END IF;
                END LOOP;
            END
            $prepare$;
            """);

        // Built concurrently, outside any transaction, where a release lacks it; not sent at all where the index
        // exists.
        migrationBuilder.Sql("""
            CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS push_subscriptions_endpoint_key ON push_subscriptions (endpoint);
            """, suppressTransaction: true);

        // The app's unique constraint takes over the index just built (catalog only); checked first.
        migrationBuilder.Sql("""
            DO $constraint$
            BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'push_subscriptions'::regclass AND conname = 'push_subscriptions_endpoint_key') THEN
                    ALTER TABLE push_subscriptions ADD CONSTRAINT push_subscriptions_endpoint_key UNIQUE USING INDEX push_subscriptions_endpoint_key;
                END IF;
            END
            $constraint$;
            """);

    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);

        // The columns, defaults, indexes and constraints added to tables that stay (the five, and any of these 17 a release
        // made and that holds rows) belong to the app's releases too, and which of them a database had is not recorded:
        // they stay. Only the 17 tables are dropped, each only while it is empty.
        // Reverting never destroys data: refuse while stream_metadata holds rows (RevertGuard's shape, which the revert
        // check reads).
        migrationBuilder.Sql("""
            DO $guard$
            DECLARE
                t text;
                has_rows boolean;
            BEGIN
                FOREACH t IN ARRAY ARRAY['stream_metadata'] LOOP
                    CONTINUE WHEN to_regclass(quote_ident(t)) IS NULL;
                    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I)', t) INTO has_rows;
                    IF has_rows THEN
                        RAISE EXCEPTION 'refusing to revert AddTablesOfNewerReleases: table % holds rows; back it up and empty it first', t;
                    END IF;
                END LOOP;
            END
            $guard$;
            """);

        // stream_metadata holds no rows (checked just before). Never CASCADE: anything else depending on it stops the
        // drop instead of going with it.
        migrationBuilder.Sql("""
            DROP TABLE IF EXISTS stream_metadata;
            """);

        // Reverting never destroys data: refuse while stream_events holds rows (RevertGuard's shape, which the revert
        // check reads).
        migrationBuilder.Sql("""
            DO $guard$
            DECLARE
                t text;
                has_rows boolean;
            BEGIN
                FOREACH t IN ARRAY ARRAY['stream_events'] LOOP
                    CONTINUE WHEN to_regclass(quote_ident(t)) IS NULL;
                    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I)', t) INTO has_rows;
                    IF has_rows THEN
                        RAISE EXCEPTION 'refusing to revert AddTablesOfNewerReleases: table % holds rows; back it up and empty it first', t;
                    END IF;
                END LOOP;
            END
            $guard$;
            """);

        // stream_events holds no rows (checked just before). Never CASCADE: anything else depending on it stops the
        // drop instead of going with it.
        migrationBuilder.Sql("""
            DROP TABLE IF EXISTS stream_events;
            """);

        // Reverting never destroys data: refuse while share_tokens holds rows (RevertGuard's shape, which the revert
        // check reads).
        migrationBuilder.Sql("""
            DO $guard$
            DECLARE
                t text;
                has_rows boolean;
            BEGIN
                FOREACH t IN ARRAY ARRAY['share_tokens'] LOOP
                    CONTINUE WHEN to_regclass(quote_ident(t)) IS NULL;
                    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I)', t) INTO has_rows;
                    IF has_rows THEN
                        RAISE EXCEPTION 'refusing to revert AddTablesOfNewerReleases: table % holds rows; back it up and empty it first', t;
                    END IF;
                END LOOP;
            END
            $guard$;
            """);

        // share_tokens holds no rows (checked just before). Never CASCADE: anything else depending on it stops the drop
        // instead of going with it.
        migrationBuilder.Sql("""
            DROP TABLE IF EXISTS share_tokens;
            """);

        // Reverting never destroys data: refuse while recording_processing_state holds rows (RevertGuard's shape, which
        // the revert check reads).
        migrationBuilder.Sql("""
            DO $guard$
            DECLARE
                t text;
                has_rows boolean;
            BEGIN
                FOREACH t IN ARRAY ARRAY['recording_processing_state'] LOOP
                    CONTINUE WHEN to_regclass(quote_ident(t)) IS NULL;
                    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I)', t) INTO has_rows;
                    IF has_rows THEN
                        RAISE EXCEPTION 'refusing to revert AddTablesOfNewerReleases: table % holds rows; back it up and empty it first', t;
                    END IF;
                END LOOP;
            END
            $guard$;
            """);

        // recording_processing_state holds no rows (checked just before). Never CASCADE: anything else depending on it
        // stops the drop instead of going with it.
        migrationBuilder.Sql("""
            DROP TABLE IF EXISTS recording_processing_state;
            """);

        // Reverting never destroys data: refuse while active_recordings_state holds rows (RevertGuard's shape, which
        // the revert check reads).
        migrationBuilder.Sql("""
            DO $guard$
            DECLARE
                t text;
                has_rows boolean;
            BEGIN
                FOREACH t IN ARRAY ARRAY['active_recordings_state'] LOOP
                    CONTINUE WHEN to_regclass(quote_ident(t)) IS NULL;
                    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I)', t) INTO has_rows;
                    IF has_rows THEN
                        RAISE EXCEPTION 'refusing to revert AddTablesOfNewerReleases: table % holds rows; back it up and empty it first', t;
                    END IF;
                END LOOP;
            END
            $guard$;
            """);

        // active_recordings_state holds no rows (checked just before). Never CASCADE: anything else depending on it
        // stops the drop instead of going with it.
        migrationBuilder.Sql("""
            DROP TABLE IF EXISTS active_recordings_state;
            """);

        // Reverting never destroys data: refuse while recordings holds rows (RevertGuard's shape, which the revert
        // check reads).
        migrationBuilder.Sql("""
            DO $guard$
            DECLARE
                t text;
                has_rows boolean;
            BEGIN
                FOREACH t IN ARRAY ARRAY['recordings'] LOOP
                    CONTINUE WHEN to_regclass(quote_ident(t)) IS NULL;
                    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I)', t) INTO has_rows;
                    IF has_rows THEN
                        RAISE EXCEPTION 'refusing to revert AddTablesOfNewerReleases: table % holds rows; back it up and empty it first', t;
                    END IF;
                END LOOP;
            END
            $guard$;
            """);

        // recordings holds no rows (checked just before). Never CASCADE: anything else depending on it stops the drop
        // instead of going with it.
        migrationBuilder.Sql("""
            DROP TABLE IF EXISTS recordings;
            """);

        // Reverting never destroys data: refuse while system_state holds rows (RevertGuard's shape, which the revert
        // check reads).
        migrationBuilder.Sql("""
            DO $guard$
            DECLARE
                t text;
                has_rows boolean;
            BEGIN
                FOREACH t IN ARRAY ARRAY['system_state'] LOOP
                    CONTINUE WHEN to_regclass(quote_ident(t)) IS NULL;
                    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I)', t) INTO has_rows;
                    IF has_rows THEN
                        RAISE EXCEPTION 'refusing to revert AddTablesOfNewerReleases: table % holds rows; back it up and empty it first', t;
                    END IF;
                END LOOP;
            END
            $guard$;
            """);

        // system_state holds no rows (checked just before). Never CASCADE: anything else depending on it stops the drop
        // instead of going with it.
        migrationBuilder.Sql("""
            DROP TABLE IF EXISTS system_state;
            """);

        // Reverting never destroys data: refuse while proxy_settings holds rows (RevertGuard's shape, which the revert
        // check reads).
        migrationBuilder.Sql("""
            DO $guard$
            DECLARE
                t text;
                has_rows boolean;
            BEGIN
                FOREACH t IN ARRAY ARRAY['proxy_settings'] LOOP
                    CONTINUE WHEN to_regclass(quote_ident(t)) IS NULL;
                    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I)', t) INTO has_rows;
                    IF has_rows THEN
                        RAISE EXCEPTION 'refusing to revert AddTablesOfNewerReleases: table % holds rows; back it up and empty it first', t;
                    END IF;
                END LOOP;
            END
            $guard$;
            """);

        // proxy_settings holds no rows (checked just before). Never CASCADE: anything else depending on it stops the
        // drop instead of going with it.
        migrationBuilder.Sql("""
            DROP TABLE IF EXISTS proxy_settings;
            """);

        // Reverting never destroys data: refuse while recording_settings holds rows (RevertGuard's shape, which the
        // revert check reads).
        migrationBuilder.Sql("""
            DO $guard$
            DECLARE
                t text;
                has_rows boolean;
            BEGIN
                FOREACH t IN ARRAY ARRAY['recording_settings'] LOOP
                    CONTINUE WHEN to_regclass(quote_ident(t)) IS NULL;
                    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I)', t) INTO has_rows;
                    IF has_rows THEN
                        RAISE EXCEPTION 'refusing to revert AddTablesOfNewerReleases: table % holds rows; back it up and empty it first', t;
                    END IF;
                END LOOP;
            END
            $guard$;
            """);

        // recording_settings holds no rows (checked just before). Never CASCADE: anything else depending on it stops
        // the drop instead of going with it.
        migrationBuilder.Sql("""
            DROP TABLE IF EXISTS recording_settings;
            """);

        // Reverting never destroys data: refuse while streamer_recording_settings holds rows (RevertGuard's shape,
        // which the revert check reads).
        migrationBuilder.Sql("""
            DO $guard$
            DECLARE
                t text;
                has_rows boolean;
            BEGIN
                FOREACH t IN ARRAY ARRAY['streamer_recording_settings'] LOOP
                    CONTINUE WHEN to_regclass(quote_ident(t)) IS NULL;
                    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I)', t) INTO has_rows;
                    IF has_rows THEN
                        RAISE EXCEPTION 'refusing to revert AddTablesOfNewerReleases: table % holds rows; back it up and empty it first', t;
                    END IF;
                END LOOP;
            END
            $guard$;
            """);

        // streamer_recording_settings holds no rows (checked just before). Never CASCADE: anything else depending on it
        // stops the drop instead of going with it.
        migrationBuilder.Sql("""
            DROP TABLE IF EXISTS streamer_recording_settings;
            """);

        // Reverting never destroys data: refuse while notification_settings holds rows (RevertGuard's shape, which the
        // revert check reads).
        migrationBuilder.Sql("""
            DO $guard$
            DECLARE
                t text;
                has_rows boolean;
            BEGIN
                FOREACH t IN ARRAY ARRAY['notification_settings'] LOOP
                    CONTINUE WHEN to_regclass(quote_ident(t)) IS NULL;
                    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I)', t) INTO has_rows;
                    IF has_rows THEN
                        RAISE EXCEPTION 'refusing to revert AddTablesOfNewerReleases: table % holds rows; back it up and empty it first', t;
                    END IF;
                END LOOP;
            END
            $guard$;
            """);

        // notification_settings holds no rows (checked just before). Never CASCADE: anything else depending on it stops
        // the drop instead of going with it.
        migrationBuilder.Sql("""
            DROP TABLE IF EXISTS notification_settings;
            """);

        // Reverting never destroys data: refuse while favorite_categories holds rows (RevertGuard's shape, which the
        // revert check reads).
        migrationBuilder.Sql("""
            DO $guard$
            DECLARE
                t text;
                has_rows boolean;
            BEGIN
                FOREACH t IN ARRAY ARRAY['favorite_categories'] LOOP
                    CONTINUE WHEN to_regclass(quote_ident(t)) IS NULL;
                    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I)', t) INTO has_rows;
                    IF has_rows THEN
                        RAISE EXCEPTION 'refusing to revert AddTablesOfNewerReleases: table % holds rows; back it up and empty it first', t;
                    END IF;
                END LOOP;
            END
            $guard$;
            """);

        // favorite_categories holds no rows (checked just before). Never CASCADE: anything else depending on it stops
        // the drop instead of going with it.
        migrationBuilder.Sql("""
            DROP TABLE IF EXISTS favorite_categories;
            """);

        // Reverting never destroys data: refuse while categories holds rows (RevertGuard's shape, which the revert
        // check reads).
        migrationBuilder.Sql("""
            DO $guard$
            DECLARE
                t text;
                has_rows boolean;
            BEGIN
                FOREACH t IN ARRAY ARRAY['categories'] LOOP
                    CONTINUE WHEN to_regclass(quote_ident(t)) IS NULL;
                    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I)', t) INTO has_rows;
                    IF has_rows THEN
                        RAISE EXCEPTION 'refusing to revert AddTablesOfNewerReleases: table % holds rows; back it up and empty it first', t;
                    END IF;
                END LOOP;
            END
            $guard$;
            """);

        // categories holds no rows (checked just before). Never CASCADE: anything else depending on it stops the drop
        // instead of going with it.
        migrationBuilder.Sql("""
            DROP TABLE IF EXISTS categories;
            """);

        // Reverting never destroys data: refuse while notification_state holds rows (RevertGuard's shape, which the
        // revert check reads).
        migrationBuilder.Sql("""
            DO $guard$
            DECLARE
                t text;
                has_rows boolean;
            BEGIN
                FOREACH t IN ARRAY ARRAY['notification_state'] LOOP
                    CONTINUE WHEN to_regclass(quote_ident(t)) IS NULL;
                    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I)', t) INTO has_rows;
                    IF has_rows THEN
                        RAISE EXCEPTION 'refusing to revert AddTablesOfNewerReleases: table % holds rows; back it up and empty it first', t;
                    END IF;
                END LOOP;
            END
            $guard$;
            """);

        // notification_state holds no rows (checked just before). Never CASCADE: anything else depending on it stops
        // the drop instead of going with it.
        migrationBuilder.Sql("""
            DROP TABLE IF EXISTS notification_state;
            """);

        // Reverting never destroys data: refuse while api_keys holds rows (RevertGuard's shape, which the revert check
        // reads).
        migrationBuilder.Sql("""
            DO $guard$
            DECLARE
                t text;
                has_rows boolean;
            BEGIN
                FOREACH t IN ARRAY ARRAY['api_keys'] LOOP
                    CONTINUE WHEN to_regclass(quote_ident(t)) IS NULL;
                    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I)', t) INTO has_rows;
                    IF has_rows THEN
                        RAISE EXCEPTION 'refusing to revert AddTablesOfNewerReleases: table % holds rows; back it up and empty it first', t;
                    END IF;
                END LOOP;
            END
            $guard$;
            """);

        // api_keys holds no rows (checked just before). Never CASCADE: anything else depending on it stops the drop
        // instead of going with it.
        migrationBuilder.Sql("""
            DROP TABLE IF EXISTS api_keys;
            """);

        // Reverting never destroys data: refuse while sessions holds rows (RevertGuard's shape, which the revert check
        // reads).
        migrationBuilder.Sql("""
            DO $guard$
            DECLARE
                t text;
                has_rows boolean;
            BEGIN
                FOREACH t IN ARRAY ARRAY['sessions'] LOOP
                    CONTINUE WHEN to_regclass(quote_ident(t)) IS NULL;
                    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I)', t) INTO has_rows;
                    IF has_rows THEN
                        RAISE EXCEPTION 'refusing to revert AddTablesOfNewerReleases: table % holds rows; back it up and empty it first', t;
                    END IF;
                END LOOP;
            END
            $guard$;
            """);

        // sessions holds no rows (checked just before). Never CASCADE: anything else depending on it stops the drop
        // instead of going with it.
        migrationBuilder.Sql("""
            DROP TABLE IF EXISTS sessions;
            """);

        // Reverting never destroys data: refuse while users holds rows (RevertGuard's shape, which the revert check
        // reads).
        migrationBuilder.Sql("""
            DO $guard$
            DECLARE
                t text;
                has_rows boolean;
            BEGIN
                FOREACH t IN ARRAY ARRAY['users'] LOOP
                    CONTINUE WHEN to_regclass(quote_ident(t)) IS NULL;
                    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I)', t) INTO has_rows;
                    IF has_rows THEN
                        RAISE EXCEPTION 'refusing to revert AddTablesOfNewerReleases: table % holds rows; back it up and empty it first', t;
                    END IF;
                END LOOP;
            END
            $guard$;
            """);

        // users holds no rows (checked just before). Never CASCADE: anything else depending on it stops the drop
        // instead of going with it.
        migrationBuilder.Sql("""
            DROP TABLE IF EXISTS users;
            """);
    }
}

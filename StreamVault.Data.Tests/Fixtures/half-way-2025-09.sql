-- Fixture INCREMENT: load june-2025.sql first, then this file. Together they give
-- a June 2025 StreamVault database that the Python app then upgraded through its
-- numbered migrations 001..014 and used until September 2025:
--   2025-07-24  v1.0.42 ran 001..004 (the v1.0.42/43 versions; their 002 and 004
--               succeed on a June base, the v1.0.44+ ones would not),
--   2025-07-27  v1.0.44 ran 005..014.
-- Derived from /tmp/research/app-history.md (sections 1, 2, 4.1 "H2", 5), the
-- June+001..013 simulation next to it, and the migration sources of
-- Serph91P/StreamVault at tags v1.0.42 and v1.0.44. Only statements that change
-- something on the June base are repeated here; the skipped ones are listed in
-- comments. June types stay as they were (unbounded varchar, is_live without a
-- default, system_config.value NOT NULL, push is_active NOT NULL without a
-- default, recording_path unbounded); streams.created_at never appears. The
-- `migrations` ledger keeps June's shape (a) and gains 14 rows;
-- applied_migrations keeps its 5 June rows untouched.
--
-- Row counts after june-2025.sql + this file: streamers 52 (+53 and 55; 54 is a
-- gap), streams 3039 (+3101..3140 except 3131; episode_number set on the 39 new
-- ones except every sixth, and on June ids 3041..3060), push_subscriptions 5 (+6),
-- recordings 34 (new table; 29 completed, 4 failed, 1 recording), active_recordings_state 1 (new table),
-- stream_events 90 (+10), migrations 19 (+14); everything else as in June
-- (global_settings 1, system_config 4, users 2, sessions 3, applied_migrations 5, ...).
-- Streamers 2, 5, 14, 22 and 53 are favourites, 2, 3, 22, 47 and 55 auto-record,
-- streamer 7 has both flags NULL, all others FALSE (the ADD COLUMN default).
-- Non-NULL streams.twitch_stream_id values are unique (migration 039 later
-- builds a UNIQUE index on it).
--
-- Timestamps carry explicit offsets (the ledger's applied_at is naive, as in
-- June); nothing relies on a clock default and no UPDATE fires the
-- push_subscriptions trigger. Backslashes only appear in E'' strings.
SET client_encoding = 'UTF8';

-- ------------------------------------------- 001..004, v1.0.42 (2025-07-24)
-- 001 (users, categories, global_settings, recording_settings, system_config,
-- push_subscriptions) and 002 (streamers, streams, sessions) only run
-- CREATE TABLE IF NOT EXISTS: every one of those tables exists in June, so the
-- June shapes stay. 003 finds stream_events, notification_settings,
-- favorite_categories, streamer_recording_settings and stream_metadata, and
-- creates the two tables June does not have:
CREATE TABLE IF NOT EXISTS recordings (
                id SERIAL PRIMARY KEY,
                stream_id INTEGER NOT NULL REFERENCES streams(id) ON DELETE CASCADE,
                start_time TIMESTAMP WITH TIME ZONE NOT NULL,
                end_time TIMESTAMP WITH TIME ZONE,
                status VARCHAR(50) NOT NULL,
                duration INTEGER,
                path VARCHAR(1024),
                created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP
            );
CREATE TABLE IF NOT EXISTS active_recordings_state (
                id SERIAL PRIMARY KEY,
                stream_id INTEGER NOT NULL REFERENCES streams(id) ON DELETE CASCADE,
                recording_id INTEGER NOT NULL REFERENCES recordings(id) ON DELETE CASCADE,
                process_id INTEGER NOT NULL,
                process_identifier VARCHAR(100) NOT NULL,
                streamer_name VARCHAR(100) NOT NULL,
                started_at TIMESTAMP WITH TIME ZONE NOT NULL,
                ts_output_path VARCHAR(500) NOT NULL,
                force_mode BOOLEAN DEFAULT FALSE,
                quality VARCHAR(50) DEFAULT 'best',
                status VARCHAR(50) DEFAULT 'recording',
                UNIQUE(stream_id)
            );

-- 004 (v1.0.42/43 version; idx_streams_streamer_id and idx_streams_started_at
-- already exist from June's safe migrations and are skipped):
CREATE INDEX IF NOT EXISTS idx_streamers_twitch_id ON streamers (twitch_id);
CREATE INDEX IF NOT EXISTS idx_streamers_username ON streamers (username);
CREATE INDEX IF NOT EXISTS idx_streamers_is_live ON streamers (is_live);
CREATE INDEX IF NOT EXISTS idx_streamers_category_name ON streamers (category_name);
CREATE INDEX IF NOT EXISTS idx_streams_ended_at ON streams (ended_at);
CREATE INDEX IF NOT EXISTS idx_streams_category_name ON streams (category_name);
CREATE INDEX IF NOT EXISTS idx_streams_twitch_stream_id ON streams (twitch_stream_id);
CREATE INDEX IF NOT EXISTS idx_streams_streamer_active ON streams (streamer_id, ended_at);
CREATE INDEX IF NOT EXISTS idx_streams_streamer_recent ON streams (streamer_id, started_at);
CREATE INDEX IF NOT EXISTS idx_streams_category_recent ON streams (category_name, started_at);
CREATE INDEX IF NOT EXISTS idx_streams_time_range ON streams (started_at, ended_at);
CREATE INDEX IF NOT EXISTS idx_recordings_stream_id ON recordings (stream_id);
CREATE INDEX IF NOT EXISTS idx_recordings_start_time ON recordings (start_time);
CREATE INDEX IF NOT EXISTS idx_recordings_status ON recordings (status);
CREATE INDEX IF NOT EXISTS idx_recordings_stream_status ON recordings (stream_id, status);
CREATE INDEX IF NOT EXISTS idx_recordings_status_time ON recordings (status, start_time);
CREATE INDEX IF NOT EXISTS idx_stream_events_stream_id ON stream_events (stream_id);
CREATE INDEX IF NOT EXISTS idx_stream_events_event_type ON stream_events (event_type);
CREATE INDEX IF NOT EXISTS idx_stream_events_timestamp ON stream_events (timestamp);
CREATE INDEX IF NOT EXISTS idx_stream_events_stream_type ON stream_events (stream_id, event_type);
CREATE INDEX IF NOT EXISTS idx_stream_events_stream_time ON stream_events (stream_id, timestamp);
CREATE INDEX IF NOT EXISTS idx_stream_events_type_time ON stream_events (event_type, timestamp);

-- ------------------------------------------- 005..014, v1.0.44 (2025-07-27)
-- 005 (max_streams*), 006 (cleanup_policy) and 007 (http_proxy/https_proxy):
-- ADD COLUMN IF NOT EXISTS of columns June already has, nothing changes.
-- 008:
ALTER TABLE active_recordings_state ADD COLUMN IF NOT EXISTS last_heartbeat TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP;
ALTER TABLE active_recordings_state ADD COLUMN IF NOT EXISTS config_json TEXT;
ALTER TABLE active_recordings_state ADD COLUMN IF NOT EXISTS created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP;
ALTER TABLE active_recordings_state ADD COLUMN IF NOT EXISTS updated_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP;
CREATE INDEX IF NOT EXISTS idx_active_recordings_heartbeat ON active_recordings_state (last_heartbeat);
CREATE INDEX IF NOT EXISTS idx_active_recordings_status ON active_recordings_state (status);
-- 009 re-creates the two active_recordings_state FKs under the same names, with the same CASCADE:
ALTER TABLE active_recordings_state DROP CONSTRAINT IF EXISTS active_recordings_state_stream_id_fkey;
ALTER TABLE active_recordings_state ADD CONSTRAINT active_recordings_state_stream_id_fkey FOREIGN KEY (stream_id) REFERENCES streams(id) ON DELETE CASCADE;
ALTER TABLE active_recordings_state DROP CONSTRAINT IF EXISTS active_recordings_state_recording_id_fkey;
ALTER TABLE active_recordings_state ADD CONSTRAINT active_recordings_state_recording_id_fkey FOREIGN KEY (recording_id) REFERENCES recordings(id) ON DELETE CASCADE;
-- 010 only touches the file system. 011 skips (streams.recording_path exists,
-- unbounded VARCHAR from June). 012 skips (recordings.created_at came with 003).
-- 013:
ALTER TABLE streams ADD COLUMN episode_number INTEGER;
-- 014 (user_agent, is_active and the three idx_stream_events_* exist already):
ALTER TABLE streamers ADD COLUMN IF NOT EXISTS is_favorite BOOLEAN DEFAULT FALSE;
ALTER TABLE streamers ADD COLUMN IF NOT EXISTS auto_record BOOLEAN DEFAULT FALSE;
ALTER TABLE push_subscriptions ADD COLUMN IF NOT EXISTS p256dh_key TEXT;
ALTER TABLE push_subscriptions ADD COLUMN IF NOT EXISTS auth_key TEXT;
ALTER TABLE push_subscriptions ADD COLUMN IF NOT EXISTS last_used TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP;
-- The ALTER stamped the existing rows with the migration's clock; pin that
-- moment (fixture-only step, done before the trigger exists).
UPDATE push_subscriptions SET last_used = '2025-07-27 07:20:35.118402+00';
CREATE INDEX IF NOT EXISTS idx_streamers_is_favorite ON streamers(is_favorite);
CREATE INDEX IF NOT EXISTS idx_streamers_auto_record ON streamers(auto_record);
CREATE INDEX IF NOT EXISTS idx_notification_settings_streamer_id ON notification_settings(streamer_id);
CREATE INDEX IF NOT EXISTS idx_stream_metadata_stream_id ON stream_metadata(stream_id);
CREATE INDEX IF NOT EXISTS idx_streamer_recording_settings_streamer_id ON streamer_recording_settings(streamer_id);
CREATE INDEX IF NOT EXISTS idx_active_recordings_process_id ON active_recordings_state(process_id);
CREATE OR REPLACE FUNCTION update_updated_at_column()
                RETURNS TRIGGER AS $$
                BEGIN
                    NEW.updated_at = CURRENT_TIMESTAMP;
                    RETURN NEW;
                END;
                $$ language 'plpgsql';
-- (014's DROP TRIGGER IF EXISTS finds nothing on a June base.)
CREATE TRIGGER update_push_subscriptions_updated_at
                    BEFORE UPDATE ON push_subscriptions
                    FOR EACH ROW
                    EXECUTE FUNCTION update_updated_at_column();

-- The unified runner writes one row per file into the June-shaped ledger
-- (INSERT ... VALUES (:name, NOW(), :success) ON CONFLICT (script_name) DO UPDATE).
-- (v1.0.44 also ships 015_add_default_settings.py, a no-op on this base since
-- recording_settings already has a row; this fixture stops the ledger at 014.)
INSERT INTO migrations (script_name, applied_at, success) VALUES
	('001_create_base_tables.py', '2025-07-24 07:41:52.318877', TRUE),
	('002_create_main_entities.py', '2025-07-24 07:41:52.402156', TRUE),
	('003_create_dependent_tables.py', '2025-07-24 07:41:52.517340', TRUE),
	('004_add_database_indexes.py', '2025-07-24 07:41:52.860091', TRUE),
	('005_add_max_streams_columns.py', '2025-07-27 07:20:33.904512', TRUE),
	('006_add_cleanup_policy_columns.py', '2025-07-27 07:20:33.951207', TRUE),
	('007_add_proxy_settings.py', '2025-07-27 07:20:34.002719', TRUE),
	('008_add_active_recording_fields.py', '2025-07-27 07:20:34.086330', TRUE),
	('009_add_cascade_constraints.py', '2025-07-27 07:20:34.163948', TRUE),
	('010_setup_category_images.py', '2025-07-27 07:20:34.371205', TRUE),
	('011_add_recording_path_to_streams.py', '2025-07-27 07:20:34.420876', TRUE),
	('012_add_created_at_to_recordings.py', '2025-07-27 07:20:34.466013', TRUE),
	('013_add_episode_number_to_streams.py', '2025-07-27 07:20:34.517652', TRUE),
	('014_add_streamer_preferences.py', '2025-07-27 07:20:35.204117', TRUE);

-- ---------------------------------------------------------------- fixture data
-- Preferences set through the UI after the upgrade (the ADD COLUMN gave every row FALSE).
UPDATE streamers SET is_favorite = TRUE WHERE id IN (2, 5, 14, 22);
UPDATE streamers SET auto_record = TRUE WHERE id IN (2, 3, 22, 47);
UPDATE streamers SET is_favorite = NULL, auto_record = NULL WHERE id = 7;

-- Two streamers added after the upgrade (54 was added and deleted again).
INSERT INTO streamers (id, twitch_id, username, is_live, title, category_name, language, last_updated, profile_image_url, original_profile_image_url, created_at, is_favorite, auto_record) VALUES
	(53, '700000053', 'neuer_Streamer_ÄÖÜ', FALSE, 'Erster Stream nach dem Update 🚀', 'Just Chatting', 'de', '2025-09-20 22:00:00+02', '/recordings/.media/profile_images/700000053.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/700000053-profile_image-300x300.png', '2025-08-01 12:00:00+02', TRUE, FALSE),
	(55, '700000055', E'quote''n\\slash', TRUE, E'It''s a \\"test\\"', NULL, NULL, '2025-09-26 20:00:00+00', NULL, NULL, '2025-08-15 00:00:00+00', FALSE, TRUE);

-- Episode numbers: a block of old June streams got them by hand, the app numbers new ones.
UPDATE streams SET episode_number = id - 3040 WHERE id BETWEEN 3041 AND 3060;

-- 39 streams recorded after the upgrade (ids 3101..3140 except 3131), the last one still live.
INSERT INTO streams (id, streamer_id, title, category_name, language, started_at, ended_at, twitch_stream_id, recording_path, episode_number)
SELECT n.g, n.sid,
	CASE WHEN n.g % 11 = 0 THEN NULL WHEN n.g % 4 = 0 THEN 'Folge ' || n.ep || ': „Anführungszeichen“ & ''quotes''' ELSE 'Stream #' || n.g || ' with ' || s.username END,
	CASE n.g % 3 WHEN 0 THEN NULL WHEN 1 THEN 'Just Chatting' ELSE 'ポケモン 🐉' END,
	CASE n.g % 4 WHEN 0 THEN NULL WHEN 1 THEN 'en' WHEN 2 THEN 'de' ELSE 'ja' END,
	to_timestamp(1753700000 + (n.g - 3100) * 130000),
	CASE WHEN n.g = 3140 THEN NULL ELSE to_timestamp(1753700000 + (n.g - 3100) * 130000 + 3600 + (n.g % 50) * 120) END,
	CASE WHEN n.g % 7 = 0 THEN NULL ELSE (41000000000 + n.g * 7)::text END,
	CASE WHEN n.g % 8 = 0 THEN NULL
		ELSE '/recordings/' || s.username || '/Season 2025-' || to_char(to_timestamp(1753700000 + (n.g - 3100) * 130000) AT TIME ZONE 'UTC', 'MM')
			|| '/' || s.username || ' - E' || lpad(n.ep::text, 2, '0') || '.mp4'
	END,
	CASE WHEN n.g % 6 = 0 THEN NULL ELSE n.ep END
FROM (
	SELECT g, sid, row_number() OVER (PARTITION BY sid ORDER BY g) AS ep
	FROM (SELECT g, CASE WHEN g % 5 = 0 THEN 53 WHEN g % 7 = 0 THEN 55 ELSE (ARRAY[5, 14, 22, 1, 3, 8])[g % 7] END AS sid
		FROM generate_series(3101, 3140) AS g WHERE g % 31 <> 0) AS a
) AS n
JOIN streamers AS s ON s.id = n.sid;

INSERT INTO stream_events (id, stream_id, event_type, title, category_name, language, timestamp)
SELECT 200 + (st.id - 3100) * 2 - 1, st.id, 'stream.online', st.title, st.category_name, st.language, st.started_at
FROM streams AS st WHERE st.id BETWEEN 3101 AND 3105
UNION ALL
SELECT 200 + (st.id - 3100) * 2, st.id, 'stream.offline', NULL, st.category_name, st.language, st.ended_at
FROM streams AS st WHERE st.id BETWEEN 3101 AND 3105;

-- Recordings (table from 003) for the new streams that have a recording_path; 3140 is recording now.
INSERT INTO recordings (id, stream_id, start_time, end_time, status, duration, path, created_at)
SELECT st.id - 3100, st.id, st.started_at, st.ended_at,
	CASE WHEN st.ended_at IS NULL THEN 'recording' WHEN st.id % 9 = 0 THEN 'failed' ELSE 'completed' END,
	CASE WHEN st.ended_at IS NULL OR st.id % 9 = 0 THEN NULL ELSE extract(epoch FROM st.ended_at - st.started_at)::int END,
	CASE WHEN st.id % 9 = 0 THEN NULL ELSE st.recording_path END,
	st.started_at
FROM streams AS st WHERE st.id > 3100 AND st.recording_path IS NOT NULL;

INSERT INTO active_recordings_state (id, stream_id, recording_id, process_id, process_identifier, streamer_name, started_at, ts_output_path, force_mode, quality, status, last_heartbeat, config_json, created_at, updated_at)
SELECT 1, r.stream_id, r.id, 31337, 'streamlink_31337_' || r.stream_id, s.username, r.start_time,
	'/recordings/' || s.username || '/live_' || r.stream_id || '.ts', FALSE, 'best', 'recording',
	r.start_time + interval '2 hours', '{"quality":"best","proxy":null}', r.start_time, r.start_time + interval '2 hours'
FROM recordings AS r JOIN streams AS st ON st.id = r.stream_id JOIN streamers AS s ON s.id = st.streamer_id
WHERE r.status = 'recording';

-- A subscription made after the upgrade: 014's key columns filled, unicode user agent.
INSERT INTO push_subscriptions (id, endpoint, subscription_data, user_agent, is_active, created_at, updated_at, p256dh_key, auth_key, last_used) VALUES
	(6, 'https://fcm.googleapis.com/fcm/send/c2VwdGVtYmVyLTIwMjU', '{"endpoint":"https://fcm.googleapis.com/fcm/send/c2VwdGVtYmVyLTIwMjU","keys":{"p256dh":"BKd0FOnmkngVtRSlahb4G0SXW5Tr9jJX3EP3mzJtoA9u3jNn7bByTq2ZTJnXKvZ5ZjY8QwYcB-6BQyb3zQ1xCBs","auth":"Zt8Fo4vHkqRvsBk5jw2k1g"}}', 'Mozilla/5.0 (Android 15; Mobile) Firefox/142.0 — Ünïcødé 📱', TRUE, '2025-09-02 18:30:00+00', '2025-09-02 18:30:00+00', 'BKd0FOnmkngVtRSlahb4G0SXW5Tr9jJX3EP3mzJtoA9u3jNn7bByTq2ZTJnXKvZ5ZjY8QwYcB-6BQyb3zQ1xCBs', 'Zt8Fo4vHkqRvsBk5jw2k1g', '2025-09-28 21:04:11.5+00');

-- Explicit ids bypass the sequences; move them past max(id) as a live database would be.
SELECT setval(pg_get_serial_sequence('streamers', 'id'), COALESCE(max(id), 1), max(id) IS NOT NULL) FROM streamers;
SELECT setval(pg_get_serial_sequence('streams', 'id'), COALESCE(max(id), 1), max(id) IS NOT NULL) FROM streams;
SELECT setval(pg_get_serial_sequence('stream_events', 'id'), COALESCE(max(id), 1), max(id) IS NOT NULL) FROM stream_events;
SELECT setval(pg_get_serial_sequence('recordings', 'id'), COALESCE(max(id), 1), max(id) IS NOT NULL) FROM recordings;
SELECT setval(pg_get_serial_sequence('active_recordings_state', 'id'), COALESCE(max(id), 1), max(id) IS NOT NULL) FROM active_recordings_state;
SELECT setval(pg_get_serial_sequence('push_subscriptions', 'id'), COALESCE(max(id), 1), max(id) IS NOT NULL) FROM push_subscriptions;

-- Fixture: a StreamVault database as the Python app left it in June 2025.
-- Schema below the header is verbatim from the June 2025 reference schema
-- (create_all + the five "safe" migrations + both tracking tables); the data
-- section at the end adds varied, deterministic rows.
--
-- Row counts: streamers 50 (ids 1..52, 30 and 41 missing; 48..52 have no
-- streams), streams 3000
-- (ids 1..3099 except multiples of 31), global_settings 1, push_subscriptions 4
-- (3 active), system_config 4, users 2, sessions 3, categories 5,
-- favorite_categories 3, notification_settings 10, streamer_recording_settings 6,
-- recording_settings 1, stream_events 80, stream_metadata 25,
-- applied_migrations 5, migrations 5.
--
-- Timestamps carry explicit offsets or come from to_timestamp(epoch) so the
-- stored values do not depend on the session TimeZone; backslashes only appear
-- in E'' strings so standard_conforming_strings does not matter either.
SET client_encoding = 'UTF8';

-- ---------------------------------------------------------------- create_all
CREATE TABLE streamers (
	id SERIAL NOT NULL,
	twitch_id VARCHAR NOT NULL,
	username VARCHAR NOT NULL,
	is_live BOOLEAN,
	title VARCHAR,
	category_name VARCHAR,
	language VARCHAR,
	last_updated TIMESTAMP WITH TIME ZONE,
	profile_image_url VARCHAR,
	original_profile_image_url VARCHAR,
	created_at TIMESTAMP WITH TIME ZONE DEFAULT now(),
	PRIMARY KEY (id),
	UNIQUE (twitch_id)
);
CREATE INDEX ix_streamers_id ON streamers (id);

CREATE TABLE users (
	id SERIAL NOT NULL,
	username VARCHAR NOT NULL,
	password VARCHAR NOT NULL,
	is_admin BOOLEAN,
	created_at TIMESTAMP WITH TIME ZONE DEFAULT now(),
	PRIMARY KEY (id),
	UNIQUE (username)
);

CREATE TABLE categories (
	id SERIAL NOT NULL,
	twitch_id VARCHAR NOT NULL,
	name VARCHAR NOT NULL,
	box_art_url VARCHAR,
	first_seen TIMESTAMP WITH TIME ZONE DEFAULT now(),
	last_seen TIMESTAMP WITH TIME ZONE DEFAULT now(),
	PRIMARY KEY (id),
	UNIQUE (twitch_id)
);

CREATE TABLE global_settings (
	id SERIAL NOT NULL,
	notification_url VARCHAR,
	notifications_enabled BOOLEAN,
	notify_online_global BOOLEAN,
	notify_offline_global BOOLEAN,
	notify_update_global BOOLEAN,
	notify_favorite_category_global BOOLEAN,
	http_proxy VARCHAR,
	https_proxy VARCHAR,
	PRIMARY KEY (id)
);

CREATE TABLE recording_settings (
	id SERIAL NOT NULL,
	enabled BOOLEAN,
	output_directory VARCHAR,
	filename_template VARCHAR,
	default_quality VARCHAR,
	use_chapters BOOLEAN,
	filename_preset VARCHAR,
	use_category_as_chapter_title BOOLEAN,
	max_streams_per_streamer INTEGER,
	cleanup_policy VARCHAR,
	PRIMARY KEY (id)
);

CREATE TABLE push_subscriptions (
	id SERIAL NOT NULL,
	endpoint VARCHAR NOT NULL,
	subscription_data TEXT NOT NULL,
	user_agent VARCHAR,
	is_active BOOLEAN NOT NULL,
	created_at TIMESTAMP WITH TIME ZONE DEFAULT now(),
	updated_at TIMESTAMP WITH TIME ZONE DEFAULT now(),
	PRIMARY KEY (id),
	UNIQUE (endpoint)
);

CREATE TABLE system_config (
	id SERIAL NOT NULL,
	key VARCHAR NOT NULL,
	value TEXT NOT NULL,
	description VARCHAR,
	created_at TIMESTAMP WITH TIME ZONE DEFAULT now(),
	updated_at TIMESTAMP WITH TIME ZONE DEFAULT now(),
	PRIMARY KEY (id),
	UNIQUE (key)
);

CREATE TABLE streams (
	id SERIAL NOT NULL,
	streamer_id INTEGER NOT NULL,
	title VARCHAR,
	category_name VARCHAR,
	language VARCHAR,
	started_at TIMESTAMP WITH TIME ZONE,
	ended_at TIMESTAMP WITH TIME ZONE,
	twitch_stream_id VARCHAR,
	recording_path VARCHAR,
	PRIMARY KEY (id),
	FOREIGN KEY(streamer_id) REFERENCES streamers (id) ON DELETE CASCADE
);

CREATE TABLE sessions (
	id SERIAL NOT NULL,
	user_id INTEGER,
	token VARCHAR NOT NULL,
	created_at TIMESTAMP WITH TIME ZONE DEFAULT now(),
	PRIMARY KEY (id),
	FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE,
	UNIQUE (token)
);

CREATE TABLE notification_settings (
	id SERIAL NOT NULL,
	streamer_id INTEGER NOT NULL,
	notify_online BOOLEAN,
	notify_offline BOOLEAN,
	notify_update BOOLEAN,
	notify_favorite_category BOOLEAN,
	PRIMARY KEY (id),
	FOREIGN KEY(streamer_id) REFERENCES streamers (id) ON DELETE CASCADE
);
CREATE INDEX ix_notification_settings_id ON notification_settings (id);

CREATE TABLE favorite_categories (
	id SERIAL NOT NULL,
	user_id INTEGER,
	category_id INTEGER,
	created_at TIMESTAMP WITH TIME ZONE DEFAULT now(),
	PRIMARY KEY (id),
	CONSTRAINT uq_user_category UNIQUE (user_id, category_id),
	FOREIGN KEY(user_id) REFERENCES users (id),
	FOREIGN KEY(category_id) REFERENCES categories (id)
);

CREATE TABLE streamer_recording_settings (
	id SERIAL NOT NULL,
	streamer_id INTEGER NOT NULL,
	enabled BOOLEAN,
	quality VARCHAR,
	custom_filename VARCHAR,
	max_streams INTEGER,
	cleanup_policy VARCHAR,
	PRIMARY KEY (id),
	FOREIGN KEY(streamer_id) REFERENCES streamers (id) ON DELETE CASCADE
);

CREATE TABLE stream_events (
	id SERIAL NOT NULL,
	stream_id INTEGER,
	event_type VARCHAR NOT NULL,
	title VARCHAR,
	category_name VARCHAR,
	language VARCHAR,
	timestamp TIMESTAMP WITH TIME ZONE DEFAULT now(),
	PRIMARY KEY (id),
	FOREIGN KEY(stream_id) REFERENCES streams (id) ON DELETE CASCADE
);

CREATE TABLE stream_metadata (
	id SERIAL NOT NULL,
	stream_id INTEGER,
	thumbnail_path VARCHAR,
	thumbnail_url VARCHAR,
	nfo_path VARCHAR,
	json_path VARCHAR,
	chat_path VARCHAR,
	chat_srt_path VARCHAR,
	chapters_path VARCHAR,
	chapters_vtt_path VARCHAR,
	chapters_srt_path VARCHAR,
	chapters_ffmpeg_path VARCHAR,
	avg_viewers INTEGER,
	max_viewers INTEGER,
	follower_count INTEGER,
	PRIMARY KEY (id),
	FOREIGN KEY(stream_id) REFERENCES streams (id) ON DELETE CASCADE
);

-- ------------------------------------------ MigrationService.run_safe_migrations
CREATE INDEX IF NOT EXISTS idx_streams_streamer_id ON streams (streamer_id);
CREATE INDEX IF NOT EXISTS idx_streams_started_at ON streams (started_at);
CREATE INDEX IF NOT EXISTS idx_streams_title ON streams (title);
CREATE INDEX IF NOT EXISTS ix_push_subscriptions_endpoint ON push_subscriptions (endpoint);
CREATE INDEX IF NOT EXISTS ix_push_subscriptions_is_active ON push_subscriptions (is_active);
CREATE INDEX IF NOT EXISTS idx_system_config_key ON system_config(key);

-- tracking table of the "safe" migration system (June 2025)
CREATE TABLE IF NOT EXISTS applied_migrations (
	id SERIAL PRIMARY KEY,
	migration_name VARCHAR(255) UNIQUE NOT NULL,
	applied_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
	success BOOLEAN DEFAULT TRUE
);
INSERT INTO applied_migrations (migration_name, success, applied_at) VALUES
	('20250522_add_stream_indices', TRUE, '2025-06-23 09:01:12.118+00'),
	('20250609_add_recording_path', TRUE, '2025-06-23 09:01:12.204+00'),
	('20250617_add_proxy_settings', TRUE, '2025-06-23 09:01:12.297+00'),
	('20250620_add_push_subscriptions', TRUE, '2025-06-23 09:01:12.371+00'),
	('20250620_add_system_config', TRUE, '2025-06-23 09:01:12.440+00');

-- tracking table of the older file-based system (run_pending_migrations)
CREATE TABLE migrations (
	script_name VARCHAR NOT NULL,
	applied_at TIMESTAMP WITHOUT TIME ZONE,
	success BOOLEAN,
	PRIMARY KEY (script_name)
);
INSERT INTO migrations (script_name, applied_at, success) VALUES
	('20250522_add_stream_indices.py', '2025-05-22 18:40:03.5521', TRUE),
	('add_max_streams.py', '2025-05-22 18:40:03.7012', TRUE),
	('add_cleanup_policy.py', '2025-05-25 11:02:44.9034', TRUE),
	('20250609160908_add_recording_path_to_streams.py', '2025-06-09 16:20:17.0110', TRUE),
	('20250617_add_proxy_settings.py', '2025-06-17 20:11:52.3349', TRUE);

-- ---------------------------------------------------------------- fixture data
INSERT INTO users (id, username, password, is_admin, created_at) VALUES
	(1, 'admin', '$2b$12$KIXQJzE6yK1Jm3n0cW4nVeZk3c1mHcQyq0lq8n6O1t2b3c4d5e6f7', TRUE, '2024-01-01 08:00:00+00'),
	(2, 'zoë', '$2b$12$AbCdEfGhIjKlMnOpQrStUuVwXyZ0123456789abcdefghijklmnopq', NULL, NULL);

INSERT INTO sessions (id, user_id, token, created_at) VALUES
	(1, 1, 'tok_0f9e8d7c6b5a4938271605f4e3d2c1b0', '2025-06-20 10:00:00+00'),
	(2, 2, 'tok_with''quote', '2025-06-21 11:30:00+02'),
	(4, NULL, 'tok_orphan', NULL);

INSERT INTO categories (id, twitch_id, name, box_art_url, first_seen, last_seen) VALUES
	(1, '509658', 'Just Chatting', 'https://static-cdn.jtvnw.net/ttv-boxart/509658-{width}x{height}.jpg', '2024-01-01 00:00:00+00', '2025-06-22 23:59:59+00'),
	(2, '27471', 'Minecraft', NULL, '2024-01-02 12:00:00+00', '2025-06-01 00:00:00+00'),
	(3, '512953', 'Elden Ring', NULL, '2024-02-29 23:59:59.999999+00', NULL),
	(4, '1469308723', 'Software and Game Development', NULL, NULL, NULL),
	(5, '490100', 'ポケモン 🐉', NULL, '2024-05-05 05:05:05+09', '2024-05-05 05:05:05+09');

INSERT INTO favorite_categories (id, user_id, category_id, created_at) VALUES
	(1, 1, 1, '2024-03-01 00:00:00+00'),
	(2, 1, 5, '2024-03-02 00:00:00+00'),
	(3, 2, 3, NULL);

-- Hand-picked awkward values first (ids 1..15), generated ordinary ones after.
INSERT INTO streamers (id, twitch_id, username, is_live, title, category_name, language, last_updated, profile_image_url, original_profile_image_url, created_at) VALUES
	(1, '12826', 'twitch', FALSE, 'Twitch Dev Stream', 'Software and Game Development', 'en', '2025-06-22 18:00:00+00', 'https://static-cdn.jtvnw.net/jtv_user_pictures/twitch-profile_image-300x300.png', 'https://static-cdn.jtvnw.net/jtv_user_pictures/twitch-profile_image-300x300.png', '2024-01-01 00:00:00+00'),
	(2, '44322889', 'ストリーマー', TRUE, '今日もまったり配信 ☕', 'Just Chatting', 'ja', '2025-06-22 21:15:30.123456+09', '/recordings/.media/profile_images/44322889.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/44322889-profile_image-300x300.png', '2024-01-02 03:04:05+00'),
	(3, '500000001', 'O''Brien', FALSE, 'Sláinte! It''s "quote" night', 'Music', 'en', '2025-01-01 00:00:00+00', NULL, NULL, '2024-01-03 00:00:00+00'),
	(4, '500000002', E'back\\slash', FALSE, E'C:\\Users\\stream\\title \\n is not a newline', NULL, NULL, NULL, NULL, NULL, '2024-01-04 00:00:00+00'),
	(5, '500000003', '🎮 GamerGirl 🎮', TRUE, 'Road to 🏆 — day 42 👩🏽‍💻', 'Fortnite', 'en', '2025-06-22 20:00:00+00', NULL, NULL, '2024-01-05 00:00:00+00'),
	(6, '500000004', 'Müller_Zoë', FALSE, 'Grüße aus Köln – ß ẞ', 'Minecraft', 'de', '2025-03-30 01:30:00+01', NULL, NULL, '2024-01-06 00:00:00+00'),
	(7, '500000005', 'Дмитрий', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
	(8, '500000006', '한국어방송', TRUE, '안녕하세요 여러분', 'Just Chatting', 'ko', '2025-06-22 12:00:00+00', NULL, NULL, '2024-01-08 00:00:00+00'),
	(9, '500000007', 'العربية', FALSE, 'بث مباشر', NULL, 'ar', '2025-02-02 02:02:02+00', NULL, NULL, '2024-01-09 00:00:00+00'),
	(10, '500000008', 'x', FALSE, '', '', '', '1970-01-01 00:00:00+00', '', '', '1970-01-01 00:00:00+00'),
	(11, '500000009', 'a_rather_long_username_that_keeps_going_and_going_for_testing', FALSE, 'Café', NULL, 'fr', NULL, NULL, NULL, '2024-01-11 00:00:00+00'),
	(12, '500000010', '100%_legit', FALSE, 'LIKE wildcards % and _ in text', NULL, 'en', NULL, NULL, NULL, '2024-01-12 00:00:00+00'),
	(13, '500000011', 'semi;colon -- not a comment', FALSE, '/* not a comment */ ; DROP TABLE streams; --', NULL, 'en', NULL, NULL, NULL, '2024-01-13 00:00:00+00'),
	(14, '500000012', 'Tab Newline', TRUE, E'line one\nline two\ttabbed', NULL, 'en', '2025-06-22 23:59:59.999999+00', NULL, NULL, '2024-01-14 00:00:00+00'),
	(15, '500000013', 'dollar$$quote', FALSE, 'costs $5 or $1 and $$ signs', NULL, 'en', NULL, NULL, NULL, '2024-01-15 00:00:00+00');

-- ids 16..52 minus 30 and 41 (deleted streamers leave gaps in the sequence).
INSERT INTO streamers (id, twitch_id, username, is_live, title, category_name, language, last_updated, profile_image_url, original_profile_image_url, created_at)
SELECT g,
	(600000000 + g)::text,
	'streamer_' || lpad(g::text, 3, '0'),
	CASE WHEN g % 7 = 0 THEN NULL ELSE g % 4 = 0 END,
	CASE WHEN g % 5 = 0 THEN NULL ELSE 'Stream title no. ' || g END,
	CASE g % 4 WHEN 0 THEN NULL WHEN 1 THEN 'Just Chatting' WHEN 2 THEN 'Elden Ring' ELSE 'ポケモン 🐉' END,
	CASE g % 3 WHEN 0 THEN NULL WHEN 1 THEN 'en' ELSE 'de' END,
	CASE WHEN g % 6 = 0 THEN NULL ELSE to_timestamp(1750000000 + g * 3600) END,
	CASE WHEN g % 6 = 0 THEN NULL ELSE '/recordings/.media/profile_images/' || (600000000 + g) || '.jpg' END,
	CASE WHEN g % 6 = 0 THEN NULL ELSE 'https://static-cdn.jtvnw.net/jtv_user_pictures/' || (600000000 + g) || '-profile_image-300x300.png' END,
	to_timestamp(1704067200 + g * 86400)
FROM generate_series(16, 52) AS g
WHERE g NOT IN (30, 41);

INSERT INTO notification_settings (id, streamer_id, notify_online, notify_offline, notify_update, notify_favorite_category)
SELECT g, g, TRUE, g % 2 = 0, CASE WHEN g % 3 = 0 THEN NULL ELSE TRUE END, FALSE
FROM generate_series(1, 10) AS g;

INSERT INTO streamer_recording_settings (id, streamer_id, enabled, quality, custom_filename, max_streams, cleanup_policy) VALUES
	(1, 1, TRUE, 'best', NULL, 0, NULL),
	(2, 2, TRUE, '1080p60', '{streamer}/{year}-{month}-{day}_{title}', 10, '{"type":"count","threshold":10,"preserve_favorites":true}'),
	(3, 3, FALSE, NULL, NULL, NULL, NULL),
	(4, 5, TRUE, 'audio_only', E'C:\\rec\\{streamer}', 3, NULL),
	(5, 14, TRUE, '720p', NULL, 5, '{"type":"age","threshold":30}'),
	(6, 52, NULL, NULL, NULL, NULL, NULL);

INSERT INTO recording_settings (id, enabled, output_directory, filename_template, default_quality, use_chapters, filename_preset, use_category_as_chapter_title, max_streams_per_streamer, cleanup_policy) VALUES
	(1, TRUE, '/recordings', '{streamer}/{streamer}_{year}-{month}-{day}_{hour}-{minute}_{title}_{game}', 'best', TRUE, 'default', FALSE, 0, '{"type":"count","threshold":20}');

-- 3000 streams spread over 45 of the streamers (the last five by id have none).
INSERT INTO streams (id, streamer_id, title, category_name, language, started_at, ended_at, twitch_stream_id, recording_path)
SELECT g,
	s.id,
	CASE
		WHEN g = 1234 THEN repeat('very long title ', 40)
		WHEN g % 97 = 0 THEN NULL
		WHEN g % 11 = 0 THEN 'ゲーム配信 第' || g || '回 🎮'
		WHEN g % 7 = 0 THEN 'Let''s play "Dark Souls" – part ' || g
		WHEN g % 13 = 0 THEN E'Windows path C:\\games\\' || g
		WHEN g % 17 = 0 THEN 'Ünïcödé stream ' || g || ' 😀👍🏽'
		ELSE 'Stream #' || g || ' with ' || s.username
	END,
	CASE g % 6 WHEN 0 THEN NULL WHEN 1 THEN 'Just Chatting' WHEN 2 THEN 'Minecraft' WHEN 3 THEN 'Elden Ring' WHEN 4 THEN 'ポケモン 🐉' ELSE 'Software and Game Development' END,
	CASE g % 4 WHEN 0 THEN NULL WHEN 1 THEN 'en' WHEN 2 THEN 'de' ELSE 'ja' END,
	CASE WHEN g % 89 = 0 THEN NULL ELSE to_timestamp(1704067200 + g * 11820) END,
	CASE WHEN g % 89 = 0 OR g % 53 = 0 OR g > 3090 THEN NULL ELSE to_timestamp(1704067200 + g * 11820 + 1800 + (g % 240) * 60) END,
	CASE WHEN g % 19 = 0 THEN NULL ELSE (40000000000 + g * 137)::text END,
	CASE WHEN g % 5 = 0 OR g % 89 = 0 THEN NULL
		ELSE '/recordings/' || s.username || '/' || s.username || '_'
			|| to_char(to_timestamp(1704067200 + g * 11820) AT TIME ZONE 'UTC', 'YYYY-MM-DD_HH24-MI') || '_' || g || '.mp4'
	END
FROM generate_series(1, 3100) AS g
JOIN (SELECT id, username, row_number() OVER (ORDER BY id) AS rn FROM streamers) AS s ON s.rn = 1 + (g * 7) % 45
WHERE g % 31 <> 0;

INSERT INTO stream_events (id, stream_id, event_type, title, category_name, language, timestamp)
SELECT st.id * 2 - 1, st.id, 'stream.online', st.title, st.category_name, st.language, st.started_at
FROM streams AS st WHERE st.id <= 41
UNION ALL
SELECT st.id * 2, st.id, CASE WHEN st.id % 3 = 0 THEN 'channel.update' ELSE 'stream.offline' END,
	CASE WHEN st.id % 3 = 0 THEN 'Renamed: ' || st.title END, st.category_name, st.language, st.ended_at
FROM streams AS st WHERE st.id <= 41;

INSERT INTO stream_metadata (id, stream_id, thumbnail_path, thumbnail_url, nfo_path, json_path, chat_path, chat_srt_path, chapters_path, chapters_vtt_path, chapters_srt_path, chapters_ffmpeg_path, avg_viewers, max_viewers, follower_count)
SELECT st.id, st.id,
	'/recordings/meta/' || st.id || '/thumb.jpg',
	CASE WHEN st.id % 2 = 0 THEN 'https://static-cdn.jtvnw.net/previews-ttv/live_user_' || st.id || '-1920x1080.jpg' END,
	'/recordings/meta/' || st.id || '/stream.nfo',
	'/recordings/meta/' || st.id || '/stream.json',
	CASE WHEN st.id % 4 <> 0 THEN '/recordings/meta/' || st.id || '/chat.json' END,
	NULL,
	'/recordings/meta/' || st.id || '/chapters.xml',
	'/recordings/meta/' || st.id || '/chapters.vtt',
	NULL,
	'/recordings/meta/' || st.id || '/chapters.ffmpeg',
	st.id * 10, st.id * 25, CASE WHEN st.id % 5 = 0 THEN NULL ELSE 1000 + st.id END
FROM streams AS st WHERE st.id <= 25;

INSERT INTO global_settings (id, notification_url, notifications_enabled, notify_online_global, notify_offline_global, notify_update_global, notify_favorite_category_global, http_proxy, https_proxy) VALUES
	(1, 'ntfy://ntfy.sh/streamvault-test?priority=high&tags=tv', TRUE, TRUE, FALSE, TRUE, NULL, 'http://proxy.internal:3128', 'http://user:p%40ss@proxy.internal:3129');

INSERT INTO push_subscriptions (id, endpoint, subscription_data, user_agent, is_active, created_at, updated_at) VALUES
	(1, 'https://fcm.googleapis.com/fcm/send/dGVzdC1lbmRwb2ludC0x', '{"endpoint":"https://fcm.googleapis.com/fcm/send/dGVzdC1lbmRwb2ludC0x","keys":{"p256dh":"BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM","auth":"tBHItJI5svbpez7KI4CCXg"}}', 'Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0', TRUE, '2025-06-21 08:00:00+00', '2025-06-21 08:00:00+00'),
	(2, 'https://updates.push.services.mozilla.com/wpush/v2/gAAAAABmZ', '{"endpoint":"https://updates.push.services.mozilla.com/wpush/v2/gAAAAABmZ","keys":{"p256dh":"BAbc","auth":"xyz"}}', 'Mozilla/5.0 (Windows NT 10.0; rv:127.0) Gecko/20100101 Firefox/127.0', TRUE, '2025-06-21 09:30:00+00', '2025-06-22 10:00:00+00'),
	(3, 'https://web.push.apple.com/QGV4YW1wbGU', '{"endpoint":"https://web.push.apple.com/QGV4YW1wbGU","keys":{"p256dh":"BDef","auth":"uvw"}}', NULL, FALSE, '2025-06-20 12:00:00+00', '2025-06-22 12:00:00+00'),
	(5, 'https://fcm.googleapis.com/fcm/send/ünïcode-and-''quote''', '{"note":"it''s fine"}', 'Safari/17.5 😀', TRUE, NULL, NULL);

INSERT INTO system_config (id, key, value, description, created_at, updated_at) VALUES
	(1, 'vapid_public_key', 'BEl62iUYgUivxIkv69yViEuiBIa-Ib9-SkvMeAtA3LFgDzkrxZJjSgSnfckjBJuBkr3qBUYIHBQFLXYp5Nksh8U', 'VAPID public key for web push', '2025-06-20 18:00:00+00', '2025-06-20 18:00:00+00'),
	(2, 'vapid_private_key', E'-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n', 'VAPID private key for web push', '2025-06-20 18:00:00+00', '2025-06-20 18:00:00+00'),
	(3, 'vapid_claims_email', 'mailto:admin@streamvault.local', NULL, '2025-06-20 18:00:01+00', NULL),
	(4, 'motd', E'It''s "quoted", has a backslash \\ and unicode ✓', 'value with quotes', NULL, NULL);

-- Explicit ids bypass the sequences; move them past max(id) as a live database would be.
SELECT setval(pg_get_serial_sequence('users', 'id'), COALESCE(max(id), 1), max(id) IS NOT NULL) FROM users;
SELECT setval(pg_get_serial_sequence('sessions', 'id'), COALESCE(max(id), 1), max(id) IS NOT NULL) FROM sessions;
SELECT setval(pg_get_serial_sequence('categories', 'id'), COALESCE(max(id), 1), max(id) IS NOT NULL) FROM categories;
SELECT setval(pg_get_serial_sequence('favorite_categories', 'id'), COALESCE(max(id), 1), max(id) IS NOT NULL) FROM favorite_categories;
SELECT setval(pg_get_serial_sequence('streamers', 'id'), COALESCE(max(id), 1), max(id) IS NOT NULL) FROM streamers;
SELECT setval(pg_get_serial_sequence('notification_settings', 'id'), COALESCE(max(id), 1), max(id) IS NOT NULL) FROM notification_settings;
SELECT setval(pg_get_serial_sequence('streamer_recording_settings', 'id'), COALESCE(max(id), 1), max(id) IS NOT NULL) FROM streamer_recording_settings;
SELECT setval(pg_get_serial_sequence('recording_settings', 'id'), COALESCE(max(id), 1), max(id) IS NOT NULL) FROM recording_settings;
SELECT setval(pg_get_serial_sequence('global_settings', 'id'), COALESCE(max(id), 1), max(id) IS NOT NULL) FROM global_settings;
SELECT setval(pg_get_serial_sequence('streams', 'id'), COALESCE(max(id), 1), max(id) IS NOT NULL) FROM streams;
SELECT setval(pg_get_serial_sequence('stream_events', 'id'), COALESCE(max(id), 1), max(id) IS NOT NULL) FROM stream_events;
SELECT setval(pg_get_serial_sequence('stream_metadata', 'id'), COALESCE(max(id), 1), max(id) IS NOT NULL) FROM stream_metadata;
SELECT setval(pg_get_serial_sequence('push_subscriptions', 'id'), COALESCE(max(id), 1), max(id) IS NOT NULL) FROM push_subscriptions;
SELECT setval(pg_get_serial_sequence('system_config', 'id'), COALESCE(max(id), 1), max(id) IS NOT NULL) FROM system_config;
SELECT setval(pg_get_serial_sequence('applied_migrations', 'id'), COALESCE(max(id), 1), max(id) IS NOT NULL) FROM applied_migrations;

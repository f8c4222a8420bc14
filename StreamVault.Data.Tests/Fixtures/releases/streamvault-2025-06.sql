-- Fixture: a StreamVault database as release v1.0.17 (Serph91P/StreamVault c4687d40,
-- 2025-06-30) leaves it after a fresh install and some use. Monthly release for 2025-06.
-- No reference dump exists for this release: the schema below is pg_dump --schema-only of an
-- empty PostgreSQL 15 database after that release's own startup ran on it (create_all, then its safe migrations),
-- with pg_dump's comment blocks, session SETs and OWNER statements removed (CREATE SEQUENCE options
-- joined onto one line). The same procedure reproduces the 2025-07/09, 2026-01/05/08 reference
-- dumps exactly. Ledger rows are the ones that startup wrote; applied_at is set to the release day.
-- v1.0.17's startup runs Base.metadata.create_all() at import time (app/main.py), then
-- MigrationService.run_safe_migrations() (app/services/migration_service.py): the five hard-coded
-- "safe" migrations, tracked in applied_migrations. The legacy file-based runner (and so the
-- `migrations` table) only runs if a safe migration fails, which it does not on a fresh install:
-- unlike the June reference (streamvault-python-2025-06.sql, a database born under v1.0.0..v1.0.9)
-- this fresh install has NO `migrations` table. Everything else equals that reference.
-- Fresh-install rows: applied_migrations 5; no seeded settings rows.
--
-- Row counts after the data section: applied_migrations 5, categories 4, favorite_categories 3,
-- global_settings 1, notification_settings 9, push_subscriptions 4, recording_settings 1, sessions 3,
-- stream_events 52, stream_metadata 18, streamer_recording_settings 6, streamers 26, streams 187,
-- system_config 5, users 2.
-- Streamers 1..28 without 17 and 25 (26 rows); 7, 11, 23, 24, 26, 27 and 28 have no streams; streamer 7
-- has every nullable column NULL. Streams 1..180 minus multiples of 29 plus 201..205 and 210..217:
-- 171..180 and every 53rd are live (ended_at NULL); streamer 1's two newest ended streams (201, 202)
-- end at the same instant (a tie for the 023 backfill's ORDER BY ended_at DESC LIMIT 1); streamer 2's
-- newest ended stream (203) has NULL title and category and a newer live one (204); streamer 8's
-- newest stream (205) is live. Max-length values: streamers 10 (username, title), stream 12 (title),
-- stream 14 (recording_path), categories 5 (name), system_config 6 (key, description), push 5 (endpoint).
-- DUPLICATES: streams.twitch_stream_id is not unique in this release (only migration 039, v2.12.2+,
-- makes it UNIQUE after merging duplicates), so the data holds duplicate groups: 42000000001 (211
-- survives: has a recording); 42000000002 (213 survives: has events; 212/214 deleted); 42000000003
-- (215 survives: lowest id; across streamers 9 and 10); '' (15 and 217; 15 survives). share_tokens 2
-- points at stream 212 (no FK: 039 leaves it dangling).
-- This shape has no UNIQUE on those columns, so: notification_settings 9 is a second row for streamer 1; streamer_recording_settings 7 a second row for streamer 1; stream_metadata 60 a second row for stream 1 and 61 has stream_id NULL; sessions 4 and favorite_categories 3 have a NULL user_id.
-- Streamers 3, 6, 9, 12, 15, 18, 21, 24 and 27 carry the old profile-image URLs that migration 019
-- (019_update_twitch_profile_urls) rewrites when a v1.0.44+ release upgrades this database.
-- global_settings.http_proxy is set: migration 025 copies it into proxy_settings on upgrade.
--
-- Timestamps carry explicit offsets (naive columns get naive literals); no column default that reads
-- the clock is relied on for data rows, and no UPDATE touches a table with an updated_at trigger.
-- Backslashes only appear in E'' strings.
SET client_encoding = 'UTF8';

-- ------------------------------------------------- schema (pg_dump after v1.0.17 startup)
CREATE TABLE public.applied_migrations (
    id integer NOT NULL,
    migration_name character varying(255) NOT NULL,
    applied_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    success boolean DEFAULT true
);

CREATE SEQUENCE public.applied_migrations_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE public.applied_migrations_id_seq OWNED BY public.applied_migrations.id;

CREATE TABLE public.categories (
    id integer NOT NULL,
    twitch_id character varying NOT NULL,
    name character varying NOT NULL,
    box_art_url character varying,
    first_seen timestamp with time zone DEFAULT now(),
    last_seen timestamp with time zone DEFAULT now()
);

CREATE SEQUENCE public.categories_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE public.categories_id_seq OWNED BY public.categories.id;

CREATE TABLE public.favorite_categories (
    id integer NOT NULL,
    user_id integer,
    category_id integer,
    created_at timestamp with time zone DEFAULT now()
);

CREATE SEQUENCE public.favorite_categories_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE public.favorite_categories_id_seq OWNED BY public.favorite_categories.id;

CREATE TABLE public.global_settings (
    id integer NOT NULL,
    notification_url character varying,
    notifications_enabled boolean,
    notify_online_global boolean,
    notify_offline_global boolean,
    notify_update_global boolean,
    notify_favorite_category_global boolean,
    http_proxy character varying,
    https_proxy character varying
);

CREATE SEQUENCE public.global_settings_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE public.global_settings_id_seq OWNED BY public.global_settings.id;

CREATE TABLE public.notification_settings (
    id integer NOT NULL,
    streamer_id integer NOT NULL,
    notify_online boolean,
    notify_offline boolean,
    notify_update boolean,
    notify_favorite_category boolean
);

CREATE SEQUENCE public.notification_settings_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE public.notification_settings_id_seq OWNED BY public.notification_settings.id;

CREATE TABLE public.push_subscriptions (
    id integer NOT NULL,
    endpoint character varying NOT NULL,
    subscription_data text NOT NULL,
    user_agent character varying,
    is_active boolean NOT NULL,
    created_at timestamp with time zone DEFAULT now(),
    updated_at timestamp with time zone DEFAULT now()
);

CREATE SEQUENCE public.push_subscriptions_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE public.push_subscriptions_id_seq OWNED BY public.push_subscriptions.id;

CREATE TABLE public.recording_settings (
    id integer NOT NULL,
    enabled boolean,
    output_directory character varying,
    filename_template character varying,
    default_quality character varying,
    use_chapters boolean,
    filename_preset character varying,
    use_category_as_chapter_title boolean,
    max_streams_per_streamer integer,
    cleanup_policy character varying
);

CREATE SEQUENCE public.recording_settings_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE public.recording_settings_id_seq OWNED BY public.recording_settings.id;

CREATE TABLE public.sessions (
    id integer NOT NULL,
    user_id integer,
    token character varying NOT NULL,
    created_at timestamp with time zone DEFAULT now()
);

CREATE SEQUENCE public.sessions_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE public.sessions_id_seq OWNED BY public.sessions.id;

CREATE TABLE public.stream_events (
    id integer NOT NULL,
    stream_id integer,
    event_type character varying NOT NULL,
    title character varying,
    category_name character varying,
    language character varying,
    "timestamp" timestamp with time zone DEFAULT now()
);

CREATE SEQUENCE public.stream_events_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE public.stream_events_id_seq OWNED BY public.stream_events.id;

CREATE TABLE public.stream_metadata (
    id integer NOT NULL,
    stream_id integer,
    thumbnail_path character varying,
    thumbnail_url character varying,
    nfo_path character varying,
    json_path character varying,
    chat_path character varying,
    chat_srt_path character varying,
    chapters_path character varying,
    chapters_vtt_path character varying,
    chapters_srt_path character varying,
    chapters_ffmpeg_path character varying,
    avg_viewers integer,
    max_viewers integer,
    follower_count integer
);

CREATE SEQUENCE public.stream_metadata_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE public.stream_metadata_id_seq OWNED BY public.stream_metadata.id;

CREATE TABLE public.streamer_recording_settings (
    id integer NOT NULL,
    streamer_id integer NOT NULL,
    enabled boolean,
    quality character varying,
    custom_filename character varying,
    max_streams integer,
    cleanup_policy character varying
);

CREATE SEQUENCE public.streamer_recording_settings_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE public.streamer_recording_settings_id_seq OWNED BY public.streamer_recording_settings.id;

CREATE TABLE public.streamers (
    id integer NOT NULL,
    twitch_id character varying NOT NULL,
    username character varying NOT NULL,
    is_live boolean,
    title character varying,
    category_name character varying,
    language character varying,
    last_updated timestamp with time zone,
    profile_image_url character varying,
    original_profile_image_url character varying,
    created_at timestamp with time zone DEFAULT now()
);

CREATE SEQUENCE public.streamers_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE public.streamers_id_seq OWNED BY public.streamers.id;

CREATE TABLE public.streams (
    id integer NOT NULL,
    streamer_id integer NOT NULL,
    title character varying,
    category_name character varying,
    language character varying,
    started_at timestamp with time zone,
    ended_at timestamp with time zone,
    twitch_stream_id character varying,
    recording_path character varying
);

CREATE SEQUENCE public.streams_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE public.streams_id_seq OWNED BY public.streams.id;

CREATE TABLE public.system_config (
    id integer NOT NULL,
    key character varying NOT NULL,
    value text NOT NULL,
    description character varying,
    created_at timestamp with time zone DEFAULT now(),
    updated_at timestamp with time zone DEFAULT now()
);

CREATE SEQUENCE public.system_config_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE public.system_config_id_seq OWNED BY public.system_config.id;

CREATE TABLE public.users (
    id integer NOT NULL,
    username character varying NOT NULL,
    password character varying NOT NULL,
    is_admin boolean,
    created_at timestamp with time zone DEFAULT now()
);

CREATE SEQUENCE public.users_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE public.users_id_seq OWNED BY public.users.id;

ALTER TABLE ONLY public.applied_migrations ALTER COLUMN id SET DEFAULT nextval('public.applied_migrations_id_seq'::regclass);
ALTER TABLE ONLY public.categories ALTER COLUMN id SET DEFAULT nextval('public.categories_id_seq'::regclass);
ALTER TABLE ONLY public.favorite_categories ALTER COLUMN id SET DEFAULT nextval('public.favorite_categories_id_seq'::regclass);
ALTER TABLE ONLY public.global_settings ALTER COLUMN id SET DEFAULT nextval('public.global_settings_id_seq'::regclass);
ALTER TABLE ONLY public.notification_settings ALTER COLUMN id SET DEFAULT nextval('public.notification_settings_id_seq'::regclass);
ALTER TABLE ONLY public.push_subscriptions ALTER COLUMN id SET DEFAULT nextval('public.push_subscriptions_id_seq'::regclass);
ALTER TABLE ONLY public.recording_settings ALTER COLUMN id SET DEFAULT nextval('public.recording_settings_id_seq'::regclass);
ALTER TABLE ONLY public.sessions ALTER COLUMN id SET DEFAULT nextval('public.sessions_id_seq'::regclass);
ALTER TABLE ONLY public.stream_events ALTER COLUMN id SET DEFAULT nextval('public.stream_events_id_seq'::regclass);
ALTER TABLE ONLY public.stream_metadata ALTER COLUMN id SET DEFAULT nextval('public.stream_metadata_id_seq'::regclass);
ALTER TABLE ONLY public.streamer_recording_settings ALTER COLUMN id SET DEFAULT nextval('public.streamer_recording_settings_id_seq'::regclass);
ALTER TABLE ONLY public.streamers ALTER COLUMN id SET DEFAULT nextval('public.streamers_id_seq'::regclass);
ALTER TABLE ONLY public.streams ALTER COLUMN id SET DEFAULT nextval('public.streams_id_seq'::regclass);
ALTER TABLE ONLY public.system_config ALTER COLUMN id SET DEFAULT nextval('public.system_config_id_seq'::regclass);
ALTER TABLE ONLY public.users ALTER COLUMN id SET DEFAULT nextval('public.users_id_seq'::regclass);

ALTER TABLE ONLY public.applied_migrations
    ADD CONSTRAINT applied_migrations_migration_name_key UNIQUE (migration_name);

ALTER TABLE ONLY public.applied_migrations
    ADD CONSTRAINT applied_migrations_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.categories
    ADD CONSTRAINT categories_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.categories
    ADD CONSTRAINT categories_twitch_id_key UNIQUE (twitch_id);

ALTER TABLE ONLY public.favorite_categories
    ADD CONSTRAINT favorite_categories_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.global_settings
    ADD CONSTRAINT global_settings_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.notification_settings
    ADD CONSTRAINT notification_settings_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.push_subscriptions
    ADD CONSTRAINT push_subscriptions_endpoint_key UNIQUE (endpoint);

ALTER TABLE ONLY public.push_subscriptions
    ADD CONSTRAINT push_subscriptions_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.recording_settings
    ADD CONSTRAINT recording_settings_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.sessions
    ADD CONSTRAINT sessions_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.sessions
    ADD CONSTRAINT sessions_token_key UNIQUE (token);

ALTER TABLE ONLY public.stream_events
    ADD CONSTRAINT stream_events_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.stream_metadata
    ADD CONSTRAINT stream_metadata_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.streamer_recording_settings
    ADD CONSTRAINT streamer_recording_settings_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.streamers
    ADD CONSTRAINT streamers_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.streamers
    ADD CONSTRAINT streamers_twitch_id_key UNIQUE (twitch_id);

ALTER TABLE ONLY public.streams
    ADD CONSTRAINT streams_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.system_config
    ADD CONSTRAINT system_config_key_key UNIQUE (key);

ALTER TABLE ONLY public.system_config
    ADD CONSTRAINT system_config_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.favorite_categories
    ADD CONSTRAINT uq_user_category UNIQUE (user_id, category_id);

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_username_key UNIQUE (username);

CREATE INDEX idx_streams_started_at ON public.streams USING btree (started_at);
CREATE INDEX idx_streams_streamer_id ON public.streams USING btree (streamer_id);
CREATE INDEX idx_streams_title ON public.streams USING btree (title);
CREATE INDEX idx_system_config_key ON public.system_config USING btree (key);
CREATE INDEX ix_notification_settings_id ON public.notification_settings USING btree (id);
CREATE INDEX ix_push_subscriptions_endpoint ON public.push_subscriptions USING btree (endpoint);
CREATE INDEX ix_push_subscriptions_is_active ON public.push_subscriptions USING btree (is_active);
CREATE INDEX ix_streamers_id ON public.streamers USING btree (id);

ALTER TABLE ONLY public.favorite_categories
    ADD CONSTRAINT favorite_categories_category_id_fkey FOREIGN KEY (category_id) REFERENCES public.categories(id);

ALTER TABLE ONLY public.favorite_categories
    ADD CONSTRAINT favorite_categories_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id);

ALTER TABLE ONLY public.notification_settings
    ADD CONSTRAINT notification_settings_streamer_id_fkey FOREIGN KEY (streamer_id) REFERENCES public.streamers(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.sessions
    ADD CONSTRAINT sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.stream_events
    ADD CONSTRAINT stream_events_stream_id_fkey FOREIGN KEY (stream_id) REFERENCES public.streams(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.stream_metadata
    ADD CONSTRAINT stream_metadata_stream_id_fkey FOREIGN KEY (stream_id) REFERENCES public.streams(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.streamer_recording_settings
    ADD CONSTRAINT streamer_recording_settings_streamer_id_fkey FOREIGN KEY (streamer_id) REFERENCES public.streamers(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.streams
    ADD CONSTRAINT streams_streamer_id_fkey FOREIGN KEY (streamer_id) REFERENCES public.streamers(id) ON DELETE CASCADE;

-- ------------------------------------------- rows a fresh install writes (migration ledger)
INSERT INTO public.applied_migrations (id, migration_name, applied_at, success) VALUES
	(1, '20250522_add_stream_indices', '2025-06-30 17:00:00.191+00', true),
	(2, '20250609_add_recording_path', '2025-06-30 17:00:00.264+00', true),
	(3, '20250617_add_proxy_settings', '2025-06-30 17:00:00.337+00', true),
	(4, '20250620_add_push_subscriptions', '2025-06-30 17:00:00.410+00', true),
	(5, '20250620_add_system_config', '2025-06-30 17:00:00.483+00', true);
SELECT pg_catalog.setval('public.applied_migrations_id_seq', 5, true);

-- ---------------------------------------------------------------- fixture data
INSERT INTO public.users (id, username, password, is_admin, created_at) VALUES
	(1, 'admin', '$2b$12$KIXQJzE6yK1Jm3n0cW4nVeZk3c1mHcQyq0lq8n6O1t2b3c4d5e6f7', TRUE, '2024-09-03 08:00:00+00'),
	(3, 'Zoë O''Neil', '$2b$12$AbCdEfGhIjKlMnOpQrStUuVwXyZ0123456789abcdefghijklmnopq', NULL, NULL);

-- session 2 is older than 30 days: migration 018 deletes such rows when it runs
INSERT INTO public.sessions (id, user_id, token, created_at) VALUES
	(1, 1, 'tok_0f9e8d7c6b5a4938271605f4e3d2c1b0', '2025-06-30 08:00:00+00'),
	(2, 3, 'tok_with''quote', '2025-05-21 10:00:00+02'),
	(4, NULL, 'tok_orphan_session', NULL);

INSERT INTO public.categories (id, twitch_id, name, box_art_url, first_seen, last_seen) VALUES
	(1, '509658', 'Just Chatting', 'https://static-cdn.jtvnw.net/ttv-boxart/509658-{width}x{height}.jpg', '2024-12-12 08:00:00+00', '2025-06-30 07:59:59+00'),
	(2, '512953', 'Elden Ring', NULL, '2024-02-29 23:59:59.999999+00', NULL),
	(4, '490100', 'ポケモン 🐉', '', NULL, NULL),
	(5, '1469308723', 'Software and Game Development – Software and Game Development – Software and Game Development – Software and Game Development – Software and Game Development – Software and Game Development – Software and Game Development – Software and Game Development – Software and Game Development – Software and', NULL, '2025-06-25 08:00:00+00', '2025-06-25 08:00:00+00');

INSERT INTO public.favorite_categories (id, user_id, category_id, created_at) VALUES
	(1, 1, 1, '2025-03-22 08:00:00+00'),
	(2, 3, 4, NULL),
	(3, NULL, 2, '2025-05-11 08:00:00+00');

-- hand-picked awkward rows (1..12) then generated ones; 7, 11, 23, 24, 26, 27 and 28 have no streams
INSERT INTO public.streamers (id, twitch_id, username, is_live, title, category_name, language, last_updated, profile_image_url, original_profile_image_url, created_at) VALUES
	(1, '12826', 'twitch', FALSE, 'Twitch Dev Stream', 'Software and Game Development', 'en', '2025-06-30 07:00:00+00', '/recordings/.media/profile_images/12826.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/12826-profile_image-300x300.png', '2024-09-04 08:00:00+00'),
	(2, '44322889', 'ストリーマー', TRUE, '今日もまったり配信 ☕', 'Just Chatting', 'ja', '2025-06-30 15:00:00+09', '/recordings/.media/profile_images/44322889.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/44322889-profile_image-300x300.png', '2024-09-05 08:00:00+00'),
	(3, '500000001', 'O''Brien', FALSE, 'Sláinte! It''s "quote" night', 'Music', 'en', '2025-06-30 05:00:00+00', '/data/images/profiles/profile_avatar_500000001.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/500000001-profile_image-70x70.png', '2024-09-06 08:00:00+00'),
	(4, '500000002', E'back\\slash', FALSE, E'C:\\Users\\stream\\title \\n is not a newline', NULL, NULL, '2025-06-30 04:00:00+00', NULL, NULL, '2024-09-07 08:00:00+00'),
	(5, '500000003', '🎮 GamerGirl 🎮', TRUE, 'Road to 🏆 — day 42 👩🏽‍💻', 'Fortnite', 'en', '2025-06-30 03:00:00+00', '/recordings/.media/profile_images/500000003.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/500000003-profile_image-300x300.png', '2024-09-08 08:00:00+00'),
	(6, '500000004', 'Müller_Zoë', FALSE, 'Grüße aus Köln – ß ẞ', 'Minecraft', 'de', '2025-06-30 02:00:00+00', '/data/images/profiles/profile_avatar_500000004.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/500000004-profile_image-70x70.png', '2024-09-09 08:00:00+00'),
	(7, '500000005', 'Дмитрий', NULL, NULL, NULL, NULL, NULL, '/recordings/.media/profile_images/500000005.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/500000005-profile_image-300x300.png', NULL),
	(8, '500000006', '한국어방송', TRUE, '안녕하세요 여러분', 'Just Chatting', 'ko', '2025-06-30 00:00:00+00', NULL, NULL, '2024-09-11 08:00:00+00'),
	(9, '500000008', 'x', FALSE, '', '', '', '2025-06-29 23:00:00+00', '/data/images/profiles/profile_avatar_500000008.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/500000008-profile_image-70x70.png', '1970-01-01 00:00:00+00'),
	(10, '500000009', 'a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_username_a', FALSE, 'a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_username_a', NULL, 'fr', '2025-06-29 22:00:00+00', '/recordings/.media/profile_images/500000009.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/500000009-profile_image-300x300.png', '2024-09-13 08:00:00+00'),
	(11, '500000010', '100%_legit', FALSE, 'LIKE wildcards % and _ in text', NULL, 'en', '2025-06-29 21:00:00+00', '/recordings/.media/profile_images/500000010.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/500000010-profile_image-300x300.png', '2024-09-14 08:00:00+00'),
	(12, '500000012', 'Tab Newline', TRUE, E'line one\nline two\ttabbed', NULL, 'en', '2025-06-29 20:00:00+00', '/data/images/profiles/profile_avatar_500000012.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/500000012-profile_image-70x70.png', '2024-09-15 08:00:00+00'),
	(13, '600000013', 'streamer_013', FALSE, 'Stream title no. 13', 'Just Chatting', 'en', '2025-06-29 19:00:00+00', '/recordings/.media/profile_images/600000013.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/600000013-profile_image-300x300.png', '2024-11-05 08:00:00+00'),
	(14, '600000014', 'streamer_014', NULL, 'Stream title no. 14', 'Elden Ring', 'de', '2025-06-29 18:00:00+00', '/recordings/.media/profile_images/600000014.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/600000014-profile_image-300x300.png', '2024-11-06 08:00:00+00'),
	(15, '600000015', 'streamer_015', FALSE, NULL, 'ポケモン 🐉', NULL, '2025-06-29 17:00:00+00', '/data/images/profiles/profile_avatar_600000015.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/600000015-profile_image-70x70.png', '2024-11-07 08:00:00+00'),
	(16, '600000016', 'streamer_016', TRUE, 'Stream title no. 16', NULL, 'en', '2025-06-29 16:00:00+00', NULL, NULL, '2024-11-08 08:00:00+00'),
	(18, '600000018', 'streamer_018', FALSE, 'Stream title no. 18', 'Elden Ring', NULL, NULL, '/data/images/profiles/profile_avatar_600000018.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/600000018-profile_image-70x70.png', '2024-11-10 08:00:00+00'),
	(19, '600000019', 'streamer_019', FALSE, 'Stream title no. 19', 'ポケモン 🐉', 'en', '2025-06-29 13:00:00+00', '/recordings/.media/profile_images/600000019.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/600000019-profile_image-300x300.png', '2024-11-11 08:00:00+00'),
	(20, '600000020', 'streamer_020', TRUE, NULL, NULL, 'de', '2025-06-29 12:00:00+00', NULL, NULL, '2024-11-12 08:00:00+00'),
	(21, '600000021', 'streamer_021', NULL, 'Stream title no. 21', 'Just Chatting', NULL, '2025-06-29 11:00:00+00', '/data/images/profiles/profile_avatar_600000021.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/600000021-profile_image-70x70.png', '2024-11-13 08:00:00+00'),
	(22, '600000022', 'streamer_022', FALSE, 'Stream title no. 22', 'Elden Ring', 'en', '2025-06-29 10:00:00+00', '/recordings/.media/profile_images/600000022.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/600000022-profile_image-300x300.png', '2024-11-14 08:00:00+00'),
	(23, '600000023', 'streamer_023', FALSE, 'Stream title no. 23', 'ポケモン 🐉', 'de', '2025-06-29 09:00:00+00', '/recordings/.media/profile_images/600000023.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/600000023-profile_image-300x300.png', '2024-11-15 08:00:00+00'),
	(24, '600000024', 'streamer_024', TRUE, 'Stream title no. 24', NULL, NULL, NULL, '/data/images/profiles/profile_avatar_600000024.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/600000024-profile_image-70x70.png', '2024-11-16 08:00:00+00'),
	(26, '600000026', 'streamer_026', FALSE, 'Stream title no. 26', 'Elden Ring', 'de', '2025-06-29 06:00:00+00', '/recordings/.media/profile_images/600000026.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/600000026-profile_image-300x300.png', '2024-11-18 08:00:00+00'),
	(27, '600000027', 'streamer_027', FALSE, 'Stream title no. 27', 'ポケモン 🐉', NULL, '2025-06-29 05:00:00+00', '/data/images/profiles/profile_avatar_600000027.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/600000027-profile_image-70x70.png', '2024-11-19 08:00:00+00'),
	(28, '600000028', 'streamer_028', NULL, 'Stream title no. 28', NULL, 'en', '2025-06-29 04:00:00+00', NULL, NULL, '2024-11-20 08:00:00+00');

INSERT INTO public.streams (id, streamer_id, title, category_name, language, started_at, ended_at, twitch_stream_id, recording_path) VALUES
	(1, 2, 'Stream #1', 'Minecraft', 'en', '2024-12-12 15:13:20+00', '2024-12-12 16:14:20+00', '40000000137', '/recordings/streamer_002/streamer_002_0001.mp4'),
	(2, 3, 'Stream #2', 'Elden Ring', 'de', '2024-12-12 22:26:40+00', '2024-12-12 23:28:40+00', '40000000274', '/recordings/streamer_003/streamer_003_0002.mp4'),
	(3, 4, 'Stream #3', 'ポケモン 🐉', 'ja', '2024-12-13 05:40:00+00', '2024-12-13 06:43:00+00', '40000000411', '/recordings/streamer_004/streamer_004_0003.mp4'),
	(4, 5, 'Stream #4', 'Software and Game Development', NULL, '2024-12-13 12:53:20+00', '2024-12-13 13:57:20+00', '40000000548', '/recordings/streamer_005/streamer_005_0004.mp4'),
	(5, 6, 'Stream #5', NULL, 'en', '2024-12-13 20:06:40+00', '2024-12-13 21:11:40+00', '40000000685', NULL),
	(6, 8, 'Stream #6', 'Just Chatting', 'de', '2024-12-14 03:20:00+00', '2024-12-14 04:26:00+00', NULL, '/recordings/streamer_008/streamer_008_0006.mp4'),
	(7, 9, 'Let''s play "Dark Souls" – part 7', 'Minecraft', 'ja', '2024-12-14 10:33:20+00', '2024-12-14 11:40:20+00', '40000000959', '/recordings/streamer_009/streamer_009_0007.mp4'),
	(8, 10, 'Stream #8', 'Elden Ring', NULL, '2024-12-14 17:46:40+00', '2024-12-14 18:54:40+00', '40000001096', '/recordings/streamer_010/streamer_010_0008.mp4'),
	(9, 12, 'Stream #9', 'ポケモン 🐉', 'en', '2024-12-15 01:00:00+00', '2024-12-15 02:09:00+00', '40000001233', '/recordings/streamer_012/streamer_012_0009.mp4'),
	(10, 13, 'Stream #10', 'Software and Game Development', 'de', '2024-12-15 08:13:20+00', '2024-12-15 09:23:20+00', '40000001370', NULL),
	(11, 14, 'ゲーム配信 第11回 🎮', NULL, 'ja', '2024-12-15 15:26:40+00', '2024-12-15 16:37:40+00', '40000001507', '/recordings/streamer_014/streamer_014_0011.mp4'),
	(12, 15, 'very long title very long title very long title very long title very long title very long title very long title very long title very long title very long title very long title very long title very long title very long title very long title very long title very long title very long title very long ti', 'Just Chatting', NULL, '2024-12-15 22:40:00+00', '2024-12-15 23:52:00+00', NULL, '/recordings/streamer_015/streamer_015_0012.mp4'),
	(13, 16, E'Windows path C:\\games\\13', 'Minecraft', 'en', '2024-12-16 05:53:20+00', '2024-12-16 07:06:20+00', '40000001781', '/recordings/streamer_016/streamer_016_0013.mp4'),
	(14, 18, 'Let''s play "Dark Souls" – part 14', 'Elden Ring', 'de', '2024-12-16 13:06:40+00', '2024-12-16 14:20:40+00', '40000001918', '/recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nes'),
	(15, 19, 'Stream #15', 'ポケモン 🐉', 'ja', '2024-12-16 20:20:00+00', '2024-12-16 21:35:00+00', '', NULL),
	(16, 20, 'Stream #16', 'Software and Game Development', NULL, '2024-12-17 03:33:20+00', '2024-12-17 04:49:20+00', '40000002192', '/recordings/streamer_020/streamer_020_0016.mp4'),
	(17, 21, 'Stream #17', NULL, 'en', '2024-12-17 10:46:40+00', '2024-12-17 12:03:40+00', '40000002329', '/recordings/streamer_021/streamer_021_0017.mp4'),
	(18, 22, 'Stream #18', 'Just Chatting', 'de', '2024-12-17 18:00:00+00', '2024-12-17 19:18:00+00', NULL, '/recordings/streamer_022/streamer_022_0018.mp4'),
	(19, 1, 'Stream #19', 'Minecraft', 'ja', '2024-12-18 01:13:20+00', '2024-12-18 02:32:20+00', '40000002603', '/recordings/streamer_001/streamer_001_0019.mp4'),
	(20, 2, 'Stream #20', 'Elden Ring', NULL, '2024-12-18 08:26:40+00', '2024-12-18 09:46:40+00', '40000002740', NULL),
	(21, 3, 'Let''s play "Dark Souls" – part 21', 'ポケモン 🐉', 'en', '2024-12-18 15:40:00+00', '2024-12-18 17:01:00+00', '40000002877', '/recordings/streamer_003/streamer_003_0021.mp4'),
	(22, 4, 'ゲーム配信 第22回 🎮', 'Software and Game Development', 'de', '2024-12-18 22:53:20+00', '2024-12-19 00:15:20+00', '40000003014', '/recordings/streamer_004/streamer_004_0022.mp4'),
	(23, 5, 'Stream #23', NULL, 'ja', '2024-12-19 06:06:40+00', '2024-12-19 07:29:40+00', '40000003151', '/recordings/streamer_005/streamer_005_0023.mp4'),
	(24, 6, 'Stream #24', 'Just Chatting', NULL, '2024-12-19 13:20:00+00', '2024-12-19 14:44:00+00', NULL, '/recordings/streamer_006/streamer_006_0024.mp4'),
	(25, 8, 'Stream #25', 'Minecraft', 'en', '2024-12-19 20:33:20+00', '2024-12-19 21:58:20+00', '40000003425', NULL),
	(26, 9, E'Windows path C:\\games\\26', 'Elden Ring', 'de', '2024-12-20 03:46:40+00', '2024-12-20 05:12:40+00', '40000003562', '/recordings/streamer_009/streamer_009_0026.mp4'),
	(27, 10, 'Stream #27', 'ポケモン 🐉', 'ja', '2024-12-20 11:00:00+00', '2024-12-20 12:27:00+00', '40000003699', '/recordings/streamer_010/streamer_010_0027.mp4'),
	(28, 12, 'Let''s play "Dark Souls" – part 28', 'Software and Game Development', NULL, '2024-12-20 18:13:20+00', '2024-12-20 19:41:20+00', '40000003836', '/recordings/streamer_012/streamer_012_0028.mp4'),
	(30, 14, 'Stream #30', 'Just Chatting', 'de', '2024-12-21 08:40:00+00', '2024-12-21 10:10:00+00', NULL, NULL),
	(31, 15, 'Stream #31', 'Minecraft', 'ja', '2024-12-21 15:53:20+00', '2024-12-21 17:24:20+00', '40000004247', '/recordings/streamer_015/streamer_015_0031.mp4'),
	(32, 16, 'Stream #32', 'Elden Ring', NULL, '2024-12-21 23:06:40+00', '2024-12-22 00:38:40+00', '40000004384', '/recordings/streamer_016/streamer_016_0032.mp4'),
	(33, 18, 'ゲーム配信 第33回 🎮', 'ポケモン 🐉', 'en', '2024-12-22 06:20:00+00', '2024-12-22 07:53:00+00', '40000004521', '/recordings/streamer_018/streamer_018_0033.mp4'),
	(34, 19, 'Stream #34', 'Software and Game Development', 'de', '2024-12-22 13:33:20+00', '2024-12-22 15:07:20+00', '40000004658', '/recordings/streamer_019/streamer_019_0034.mp4'),
	(35, 20, 'Let''s play "Dark Souls" – part 35', NULL, 'ja', '2024-12-22 20:46:40+00', '2024-12-22 22:21:40+00', '40000004795', NULL),
	(36, 21, 'Stream #36', 'Just Chatting', NULL, '2024-12-23 04:00:00+00', '2024-12-23 05:36:00+00', NULL, '/recordings/streamer_021/streamer_021_0036.mp4'),
	(37, 22, 'Stream #37', 'Minecraft', 'en', '2024-12-23 11:13:20+00', '2024-12-23 12:50:20+00', '40000005069', '/recordings/streamer_022/streamer_022_0037.mp4'),
	(38, 1, 'Stream #38', 'Elden Ring', 'de', '2024-12-23 18:26:40+00', '2024-12-23 20:04:40+00', '40000005206', '/recordings/streamer_001/streamer_001_0038.mp4'),
	(39, 2, E'Windows path C:\\games\\39', 'ポケモン 🐉', 'ja', '2024-12-24 01:40:00+00', '2024-12-24 03:19:00+00', '40000005343', '/recordings/streamer_002/streamer_002_0039.mp4'),
	(40, 3, 'Stream #40', 'Software and Game Development', NULL, '2024-12-24 08:53:20+00', '2024-12-24 10:33:20+00', '40000005480', NULL),
	(41, 4, NULL, NULL, 'en', '2024-12-24 16:06:40+00', '2024-12-24 17:47:40+00', '40000005617', '/recordings/streamer_004/streamer_004_0041.mp4'),
	(42, 5, 'Let''s play "Dark Souls" – part 42', 'Just Chatting', 'de', '2024-12-24 23:20:00+00', '2024-12-25 01:02:00+00', NULL, '/recordings/streamer_005/streamer_005_0042.mp4'),
	(43, 6, '', 'Minecraft', 'ja', '2024-12-25 06:33:20+00', '2024-12-25 08:16:20+00', '40000005891', '/recordings/streamer_006/streamer_006_0043.mp4'),
	(44, 8, 'ゲーム配信 第44回 🎮', 'Elden Ring', NULL, '2024-12-25 13:46:40+00', '2024-12-25 15:30:40+00', '40000006028', '/recordings/streamer_008/streamer_008_0044.mp4'),
	(45, 9, 'Stream #45', 'ポケモン 🐉', 'en', '2024-12-25 21:00:00+00', '2024-12-25 22:45:00+00', '40000006165', NULL),
	(46, 10, 'Stream #46', 'Software and Game Development', 'de', '2024-12-26 04:13:20+00', '2024-12-26 05:59:20+00', '40000006302', '/recordings/streamer_010/streamer_010_0046.mp4'),
	(47, 12, 'Stream #47', NULL, 'ja', '2024-12-26 11:26:40+00', '2024-12-26 13:13:40+00', '40000006439', '/recordings/streamer_012/streamer_012_0047.mp4'),
	(48, 13, 'Stream #48', 'Just Chatting', NULL, '2024-12-26 18:40:00+00', '2024-12-26 20:28:00+00', NULL, '/recordings/streamer_013/streamer_013_0048.mp4'),
	(49, 14, 'Let''s play "Dark Souls" – part 49', 'Minecraft', 'en', '2024-12-27 01:53:20+00', '2024-12-27 03:42:20+00', '40000006713', '/recordings/streamer_014/streamer_014_0049.mp4'),
	(50, 15, 'Stream #50', 'Elden Ring', 'de', '2024-12-27 09:06:40+00', '2024-12-27 10:56:40+00', '40000006850', NULL),
	(51, 16, 'Stream #51', 'ポケモン 🐉', 'ja', '2024-12-27 16:20:00+00', '2024-12-27 18:11:00+00', '40000006987', '/recordings/streamer_016/streamer_016_0051.mp4'),
	(52, 18, E'Windows path C:\\games\\52', 'Software and Game Development', NULL, '2024-12-27 23:33:20+00', '2024-12-28 01:25:20+00', '40000007124', '/recordings/streamer_018/streamer_018_0052.mp4'),
	(53, 19, 'Stream #53', NULL, 'en', '2024-12-28 06:46:40+00', NULL, '40000007261', '/recordings/streamer_019/streamer_019_0053.mp4'),
	(54, 20, 'Stream #54', 'Just Chatting', 'de', '2024-12-28 14:00:00+00', '2024-12-28 15:54:00+00', NULL, '/recordings/streamer_020/streamer_020_0054.mp4'),
	(55, 21, 'ゲーム配信 第55回 🎮', 'Minecraft', 'ja', '2024-12-28 21:13:20+00', '2024-12-28 23:08:20+00', '40000007535', NULL),
	(56, 22, 'Let''s play "Dark Souls" – part 56', 'Elden Ring', NULL, '2024-12-29 04:26:40+00', '2024-12-29 06:22:40+00', '40000007672', '/recordings/streamer_022/streamer_022_0056.mp4'),
	(57, 1, 'Stream #57', 'ポケモン 🐉', 'en', '2024-12-29 11:40:00+00', '2024-12-29 13:37:00+00', '40000007809', '/recordings/streamer_001/streamer_001_0057.mp4'),
	(59, 3, 'Stream #59', NULL, 'ja', '2024-12-30 02:06:40+00', '2024-12-30 04:05:40+00', '40000008083', '/recordings/streamer_003/streamer_003_0059.mp4'),
	(60, 4, 'Stream #60', 'Just Chatting', NULL, '2024-12-30 09:20:00+00', '2024-12-30 11:20:00+00', NULL, NULL),
	(61, 5, 'Stream #61', 'Minecraft', 'en', '2024-12-30 16:33:20+00', '2024-12-30 18:34:20+00', '40000008357', '/recordings/streamer_005/streamer_005_0061.mp4'),
	(62, 6, 'Stream #62', 'Elden Ring', 'de', '2024-12-30 23:46:40+00', '2024-12-31 01:48:40+00', '40000008494', '/recordings/streamer_006/streamer_006_0062.mp4'),
	(63, 8, 'Let''s play "Dark Souls" – part 63', 'ポケモン 🐉', 'ja', '2024-12-31 07:00:00+00', '2024-12-31 09:03:00+00', '40000008631', '/recordings/streamer_008/streamer_008_0063.mp4'),
	(64, 9, 'Stream #64', 'Software and Game Development', NULL, '2024-12-31 14:13:20+00', '2024-12-31 16:17:20+00', '40000008768', '/recordings/streamer_009/streamer_009_0064.mp4'),
	(65, 10, E'Windows path C:\\games\\65', NULL, 'en', '2024-12-31 21:26:40+00', '2024-12-31 23:31:40+00', '40000008905', NULL),
	(66, 12, 'ゲーム配信 第66回 🎮', 'Just Chatting', 'de', '2025-01-01 04:40:00+00', '2025-01-01 06:46:00+00', NULL, '/recordings/streamer_012/streamer_012_0066.mp4'),
	(67, 13, 'Stream #67', 'Minecraft', 'ja', '2025-01-01 11:53:20+00', '2025-01-01 14:00:20+00', '40000009179', '/recordings/streamer_013/streamer_013_0067.mp4'),
	(68, 14, 'Stream #68', 'Elden Ring', NULL, '2025-01-01 19:06:40+00', '2025-01-01 21:14:40+00', '40000009316', '/recordings/streamer_014/streamer_014_0068.mp4'),
	(69, 15, 'Stream #69', 'ポケモン 🐉', 'en', '2025-01-02 02:20:00+00', '2025-01-02 04:29:00+00', '40000009453', '/recordings/streamer_015/streamer_015_0069.mp4'),
	(70, 16, 'Let''s play "Dark Souls" – part 70', 'Software and Game Development', 'de', '2025-01-02 09:33:20+00', '2025-01-02 11:43:20+00', '40000009590', NULL),
	(71, 18, 'Stream #71', NULL, 'ja', '2025-01-02 16:46:40+00', '2025-01-02 18:57:40+00', '40000009727', '/recordings/streamer_018/streamer_018_0071.mp4'),
	(72, 19, 'Stream #72', 'Just Chatting', NULL, '2025-01-03 00:00:00+00', '2025-01-03 02:12:00+00', NULL, '/recordings/streamer_019/streamer_019_0072.mp4'),
	(73, 20, 'Stream #73', 'Minecraft', 'en', '2025-01-03 07:13:20+00', '2025-01-03 09:26:20+00', '40000010001', '/recordings/streamer_020/streamer_020_0073.mp4'),
	(74, 21, 'Stream #74', 'Elden Ring', 'de', '2025-01-03 14:26:40+00', '2025-01-03 16:40:40+00', '40000010138', '/recordings/streamer_021/streamer_021_0074.mp4'),
	(75, 22, 'Stream #75', 'ポケモン 🐉', 'ja', '2025-01-03 21:40:00+00', '2025-01-03 23:55:00+00', '40000010275', NULL),
	(76, 1, 'Stream #76', 'Software and Game Development', NULL, '2025-01-04 04:53:20+00', '2025-01-04 07:09:20+00', '40000010412', '/recordings/streamer_001/streamer_001_0076.mp4'),
	(77, 2, 'ゲーム配信 第77回 🎮', NULL, 'en', '2025-01-04 12:06:40+00', '2025-01-04 14:23:40+00', '40000010549', '/recordings/streamer_002/streamer_002_0077.mp4'),
	(78, 3, E'Windows path C:\\games\\78', 'Just Chatting', 'de', '2025-01-04 19:20:00+00', '2025-01-04 21:38:00+00', NULL, '/recordings/streamer_003/streamer_003_0078.mp4'),
	(79, 4, 'Stream #79', 'Minecraft', 'ja', '2025-01-05 02:33:20+00', '2025-01-05 04:52:20+00', '40000010823', '/recordings/streamer_004/streamer_004_0079.mp4'),
	(80, 5, 'Stream #80', 'Elden Ring', NULL, '2025-01-05 09:46:40+00', '2025-01-05 12:06:40+00', '40000010960', NULL),
	(81, 6, 'Stream #81', 'ポケモン 🐉', 'en', '2025-01-05 17:00:00+00', '2025-01-05 19:21:00+00', '40000011097', '/recordings/streamer_006/streamer_006_0081.mp4'),
	(82, 8, NULL, 'Software and Game Development', 'de', '2025-01-06 00:13:20+00', '2025-01-06 02:35:20+00', '40000011234', '/recordings/streamer_008/streamer_008_0082.mp4'),
	(83, 9, 'Stream #83', NULL, 'ja', '2025-01-06 07:26:40+00', '2025-01-06 09:49:40+00', '40000011371', '/recordings/streamer_009/streamer_009_0083.mp4'),
	(84, 10, 'Let''s play "Dark Souls" – part 84', 'Just Chatting', NULL, '2025-01-06 14:40:00+00', '2025-01-06 17:04:00+00', NULL, '/recordings/streamer_010/streamer_010_0084.mp4'),
	(85, 12, 'Stream #85', 'Minecraft', 'en', '2025-01-06 21:53:20+00', '2025-01-07 00:18:20+00', '40000011645', NULL),
	(86, 13, '', 'Elden Ring', 'de', '2025-01-07 05:06:40+00', '2025-01-07 07:32:40+00', '40000011782', '/recordings/streamer_013/streamer_013_0086.mp4'),
	(88, 15, 'ゲーム配信 第88回 🎮', 'Software and Game Development', NULL, '2025-01-07 19:33:20+00', '2025-01-07 22:01:20+00', '40000012056', '/recordings/streamer_015/streamer_015_0088.mp4'),
	(89, 16, 'Stream #89', NULL, 'en', '2025-01-08 02:46:40+00', '2025-01-08 05:15:40+00', '40000012193', '/recordings/streamer_016/streamer_016_0089.mp4'),
	(90, 18, 'Stream #90', 'Just Chatting', 'de', '2025-01-08 10:00:00+00', '2025-01-08 12:30:00+00', NULL, NULL),
	(91, 19, 'Let''s play "Dark Souls" – part 91', 'Minecraft', 'ja', '2025-01-08 17:13:20+00', '2025-01-08 19:44:20+00', '40000012467', '/recordings/streamer_019/streamer_019_0091.mp4'),
	(92, 20, 'Stream #92', 'Elden Ring', NULL, '2025-01-09 00:26:40+00', '2025-01-09 02:58:40+00', '40000012604', '/recordings/streamer_020/streamer_020_0092.mp4'),
	(93, 21, 'Stream #93', 'ポケモン 🐉', 'en', '2025-01-09 07:40:00+00', '2025-01-09 10:13:00+00', '40000012741', '/recordings/streamer_021/streamer_021_0093.mp4'),
	(94, 22, 'Stream #94', 'Software and Game Development', 'de', '2025-01-09 14:53:20+00', '2025-01-09 17:27:20+00', '40000012878', '/recordings/streamer_022/streamer_022_0094.mp4'),
	(95, 1, 'Stream #95', NULL, 'ja', '2025-01-09 22:06:40+00', '2025-01-10 00:41:40+00', '40000013015', NULL),
	(96, 2, 'Stream #96', 'Just Chatting', NULL, '2025-01-10 05:20:00+00', '2025-01-10 07:56:00+00', NULL, '/recordings/streamer_002/streamer_002_0096.mp4'),
	(97, 3, 'Stream #97', 'Minecraft', 'en', '2025-01-10 12:33:20+00', '2025-01-10 13:33:20+00', '40000013289', '/recordings/streamer_003/streamer_003_0097.mp4'),
	(98, 4, 'Let''s play "Dark Souls" – part 98', 'Elden Ring', 'de', '2025-01-10 19:46:40+00', '2025-01-10 20:47:40+00', '40000013426', '/recordings/streamer_004/streamer_004_0098.mp4'),
	(99, 5, 'ゲーム配信 第99回 🎮', 'ポケモン 🐉', 'ja', '2025-01-11 03:00:00+00', '2025-01-11 04:02:00+00', '40000013563', '/recordings/streamer_005/streamer_005_0099.mp4'),
	(100, 6, 'Stream #100', 'Software and Game Development', NULL, '2025-01-11 10:13:20+00', '2025-01-11 11:16:20+00', '40000013700', NULL),
	(101, 8, 'Stream #101', NULL, 'en', '2025-01-11 17:26:40+00', '2025-01-11 18:30:40+00', '40000013837', '/recordings/streamer_008/streamer_008_0101.mp4'),
	(102, 9, 'Stream #102', 'Just Chatting', 'de', '2025-01-12 00:40:00+00', '2025-01-12 01:45:00+00', NULL, '/recordings/streamer_009/streamer_009_0102.mp4'),
	(103, 10, 'Stream #103', 'Minecraft', 'ja', '2025-01-12 07:53:20+00', '2025-01-12 08:59:20+00', '40000014111', '/recordings/streamer_010/streamer_010_0103.mp4'),
	(104, 12, E'Windows path C:\\games\\104', 'Elden Ring', NULL, '2025-01-12 15:06:40+00', '2025-01-12 16:13:40+00', '40000014248', '/recordings/streamer_012/streamer_012_0104.mp4'),
	(105, 13, 'Let''s play "Dark Souls" – part 105', 'ポケモン 🐉', 'en', '2025-01-12 22:20:00+00', '2025-01-12 23:28:00+00', '40000014385', NULL),
	(106, 14, 'Stream #106', 'Software and Game Development', 'de', '2025-01-13 05:33:20+00', NULL, '40000014522', '/recordings/streamer_014/streamer_014_0106.mp4'),
	(107, 15, 'Stream #107', NULL, 'ja', '2025-01-13 12:46:40+00', '2025-01-13 13:56:40+00', '40000014659', '/recordings/streamer_015/streamer_015_0107.mp4'),
	(108, 16, 'Stream #108', 'Just Chatting', NULL, '2025-01-13 20:00:00+00', '2025-01-13 21:11:00+00', NULL, '/recordings/streamer_016/streamer_016_0108.mp4'),
	(109, 18, 'Stream #109', 'Minecraft', 'en', '2025-01-14 03:13:20+00', '2025-01-14 04:25:20+00', '40000014933', '/recordings/streamer_018/streamer_018_0109.mp4'),
	(110, 19, 'ゲーム配信 第110回 🎮', 'Elden Ring', 'de', '2025-01-14 10:26:40+00', '2025-01-14 11:39:40+00', '40000015070', NULL),
	(111, 20, 'Stream #111', 'ポケモン 🐉', 'ja', '2025-01-14 17:40:00+00', '2025-01-14 18:54:00+00', '40000015207', '/recordings/streamer_020/streamer_020_0111.mp4'),
	(112, 21, 'Let''s play "Dark Souls" – part 112', 'Software and Game Development', NULL, '2025-01-15 00:53:20+00', '2025-01-15 02:08:20+00', '40000015344', '/recordings/streamer_021/streamer_021_0112.mp4'),
	(113, 22, 'Stream #113', NULL, 'en', '2025-01-15 08:06:40+00', '2025-01-15 09:22:40+00', '40000015481', '/recordings/streamer_022/streamer_022_0113.mp4'),
	(114, 1, 'Stream #114', 'Just Chatting', 'de', '2025-01-15 15:20:00+00', '2025-01-15 16:37:00+00', NULL, '/recordings/streamer_001/streamer_001_0114.mp4'),
	(115, 2, 'Stream #115', 'Minecraft', 'ja', '2025-01-15 22:33:20+00', '2025-01-15 23:51:20+00', '40000015755', NULL),
	(117, 4, E'Windows path C:\\games\\117', 'ポケモン 🐉', 'en', '2025-01-16 13:00:00+00', '2025-01-16 14:20:00+00', '40000016029', '/recordings/streamer_004/streamer_004_0117.mp4'),
	(118, 5, 'Stream #118', 'Software and Game Development', 'de', '2025-01-16 20:13:20+00', '2025-01-16 21:34:20+00', '40000016166', '/recordings/streamer_005/streamer_005_0118.mp4'),
	(119, 6, 'Let''s play "Dark Souls" – part 119', NULL, 'ja', '2025-01-17 03:26:40+00', '2025-01-17 04:48:40+00', '40000016303', '/recordings/streamer_006/streamer_006_0119.mp4'),
	(120, 8, 'Stream #120', 'Just Chatting', NULL, '2025-01-17 10:40:00+00', '2025-01-17 12:03:00+00', NULL, NULL),
	(121, 9, 'ゲーム配信 第121回 🎮', 'Minecraft', 'en', '2025-01-17 17:53:20+00', '2025-01-17 19:17:20+00', '40000016577', '/recordings/streamer_009/streamer_009_0121.mp4'),
	(122, 10, 'Stream #122', 'Elden Ring', 'de', '2025-01-18 01:06:40+00', '2025-01-18 02:31:40+00', '40000016714', '/recordings/streamer_010/streamer_010_0122.mp4'),
	(123, 12, NULL, 'ポケモン 🐉', 'ja', '2025-01-18 08:20:00+00', '2025-01-18 09:46:00+00', '40000016851', '/recordings/streamer_012/streamer_012_0123.mp4'),
	(124, 13, 'Stream #124', 'Software and Game Development', NULL, '2025-01-18 15:33:20+00', '2025-01-18 17:00:20+00', '40000016988', '/recordings/streamer_013/streamer_013_0124.mp4'),
	(125, 14, 'Stream #125', NULL, 'en', '2025-01-18 22:46:40+00', '2025-01-19 00:14:40+00', '40000017125', NULL),
	(126, 15, 'Let''s play "Dark Souls" – part 126', 'Just Chatting', 'de', '2025-01-19 06:00:00+00', '2025-01-19 07:29:00+00', NULL, '/recordings/streamer_015/streamer_015_0126.mp4'),
	(127, 16, 'Stream #127', 'Minecraft', 'ja', '2025-01-19 13:13:20+00', '2025-01-19 14:43:20+00', '40000017399', '/recordings/streamer_016/streamer_016_0127.mp4'),
	(128, 18, 'Stream #128', 'Elden Ring', NULL, '2025-01-19 20:26:40+00', '2025-01-19 21:57:40+00', '40000017536', '/recordings/streamer_018/streamer_018_0128.mp4'),
	(129, 19, '', 'ポケモン 🐉', 'en', '2025-01-20 03:40:00+00', '2025-01-20 05:12:00+00', '40000017673', '/recordings/streamer_019/streamer_019_0129.mp4'),
	(130, 20, E'Windows path C:\\games\\130', 'Software and Game Development', 'de', '2025-01-20 10:53:20+00', '2025-01-20 12:26:20+00', '40000017810', NULL),
	(131, 21, 'Stream #131', NULL, 'ja', '2025-01-20 18:06:40+00', '2025-01-20 19:40:40+00', '40000017947', '/recordings/streamer_021/streamer_021_0131.mp4'),
	(132, 22, 'ゲーム配信 第132回 🎮', 'Just Chatting', NULL, '2025-01-21 01:20:00+00', '2025-01-21 02:55:00+00', NULL, '/recordings/streamer_022/streamer_022_0132.mp4'),
	(133, 1, 'Let''s play "Dark Souls" – part 133', 'Minecraft', 'en', '2025-01-21 08:33:20+00', '2025-01-21 10:09:20+00', '40000018221', '/recordings/streamer_001/streamer_001_0133.mp4'),
	(134, 2, 'Stream #134', 'Elden Ring', 'de', '2025-01-21 15:46:40+00', '2025-01-21 17:23:40+00', '40000018358', '/recordings/streamer_002/streamer_002_0134.mp4'),
	(135, 3, 'Stream #135', 'ポケモン 🐉', 'ja', '2025-01-21 23:00:00+00', '2025-01-22 00:38:00+00', '40000018495', NULL),
	(136, 4, 'Stream #136', 'Software and Game Development', NULL, '2025-01-22 06:13:20+00', '2025-01-22 07:52:20+00', '40000018632', '/recordings/streamer_004/streamer_004_0136.mp4'),
	(137, 5, 'Stream #137', NULL, 'en', '2025-01-22 13:26:40+00', '2025-01-22 15:06:40+00', '40000018769', '/recordings/streamer_005/streamer_005_0137.mp4'),
	(138, 6, 'Stream #138', 'Just Chatting', 'de', '2025-01-22 20:40:00+00', '2025-01-22 22:21:00+00', NULL, '/recordings/streamer_006/streamer_006_0138.mp4'),
	(139, 8, 'Stream #139', 'Minecraft', 'ja', '2025-01-23 03:53:20+00', '2025-01-23 05:35:20+00', '40000019043', '/recordings/streamer_008/streamer_008_0139.mp4'),
	(140, 9, 'Let''s play "Dark Souls" – part 140', 'Elden Ring', NULL, '2025-01-23 11:06:40+00', '2025-01-23 12:49:40+00', '40000019180', NULL),
	(141, 10, 'Stream #141', 'ポケモン 🐉', 'en', '2025-01-23 18:20:00+00', '2025-01-23 20:04:00+00', '40000019317', '/recordings/streamer_010/streamer_010_0141.mp4'),
	(142, 12, 'Stream #142', 'Software and Game Development', 'de', '2025-01-24 01:33:20+00', '2025-01-24 03:18:20+00', '40000019454', '/recordings/streamer_012/streamer_012_0142.mp4'),
	(143, 13, 'ゲーム配信 第143回 🎮', NULL, 'ja', '2025-01-24 08:46:40+00', '2025-01-24 10:32:40+00', '40000019591', '/recordings/streamer_013/streamer_013_0143.mp4'),
	(144, 14, 'Stream #144', 'Just Chatting', NULL, '2025-01-24 16:00:00+00', '2025-01-24 17:47:00+00', NULL, '/recordings/streamer_014/streamer_014_0144.mp4'),
	(146, 16, 'Stream #146', 'Elden Ring', 'de', '2025-01-25 06:26:40+00', '2025-01-25 08:15:40+00', '40000020002', '/recordings/streamer_016/streamer_016_0146.mp4'),
	(147, 18, 'Let''s play "Dark Souls" – part 147', 'ポケモン 🐉', 'ja', '2025-01-25 13:40:00+00', '2025-01-25 15:30:00+00', '40000020139', '/recordings/streamer_018/streamer_018_0147.mp4'),
	(148, 19, 'Stream #148', 'Software and Game Development', NULL, '2025-01-25 20:53:20+00', '2025-01-25 22:44:20+00', '40000020276', '/recordings/streamer_019/streamer_019_0148.mp4'),
	(149, 20, 'Stream #149', NULL, 'en', '2025-01-26 04:06:40+00', '2025-01-26 05:58:40+00', '40000020413', '/recordings/streamer_020/streamer_020_0149.mp4'),
	(150, 21, 'Stream #150', 'Just Chatting', 'de', '2025-01-26 11:20:00+00', '2025-01-26 13:13:00+00', NULL, NULL),
	(151, 22, 'Stream #151', 'Minecraft', 'ja', '2025-01-26 18:33:20+00', '2025-01-26 20:27:20+00', '40000020687', '/recordings/streamer_022/streamer_022_0151.mp4'),
	(152, 1, 'Stream #152', 'Elden Ring', NULL, '2025-01-27 01:46:40+00', '2025-01-27 03:41:40+00', '40000020824', '/recordings/streamer_001/streamer_001_0152.mp4'),
	(153, 2, 'Stream #153', 'ポケモン 🐉', 'en', '2025-01-27 09:00:00+00', '2025-01-27 10:56:00+00', '40000020961', '/recordings/streamer_002/streamer_002_0153.mp4'),
	(154, 3, 'ゲーム配信 第154回 🎮', 'Software and Game Development', 'de', '2025-01-27 16:13:20+00', '2025-01-27 18:10:20+00', '40000021098', '/recordings/streamer_003/streamer_003_0154.mp4'),
	(155, 4, 'Stream #155', NULL, 'ja', '2025-01-27 23:26:40+00', '2025-01-28 01:24:40+00', '40000021235', NULL),
	(156, 5, E'Windows path C:\\games\\156', 'Just Chatting', NULL, '2025-01-28 06:40:00+00', '2025-01-28 08:39:00+00', NULL, '/recordings/streamer_005/streamer_005_0156.mp4'),
	(157, 6, 'Stream #157', 'Minecraft', 'en', '2025-01-28 13:53:20+00', '2025-01-28 15:53:20+00', '40000021509', '/recordings/streamer_006/streamer_006_0157.mp4'),
	(158, 8, 'Stream #158', 'Elden Ring', 'de', '2025-01-28 21:06:40+00', '2025-01-28 23:07:40+00', '40000021646', '/recordings/streamer_008/streamer_008_0158.mp4'),
	(159, 9, 'Stream #159', 'ポケモン 🐉', 'ja', '2025-01-29 04:20:00+00', NULL, '40000021783', '/recordings/streamer_009/streamer_009_0159.mp4'),
	(160, 10, 'Stream #160', 'Software and Game Development', NULL, '2025-01-29 11:33:20+00', '2025-01-29 13:36:20+00', '40000021920', NULL),
	(161, 12, 'Let''s play "Dark Souls" – part 161', NULL, 'en', '2025-01-29 18:46:40+00', '2025-01-29 20:50:40+00', '40000022057', '/recordings/streamer_012/streamer_012_0161.mp4'),
	(162, 13, 'Stream #162', 'Just Chatting', 'de', '2025-01-30 02:00:00+00', '2025-01-30 04:05:00+00', NULL, '/recordings/streamer_013/streamer_013_0162.mp4'),
	(163, 14, 'Stream #163', 'Minecraft', 'ja', '2025-01-30 09:13:20+00', '2025-01-30 11:19:20+00', '40000022331', '/recordings/streamer_014/streamer_014_0163.mp4'),
	(164, 15, NULL, 'Elden Ring', NULL, '2025-01-30 16:26:40+00', '2025-01-30 18:33:40+00', '40000022468', '/recordings/streamer_015/streamer_015_0164.mp4'),
	(165, 16, 'ゲーム配信 第165回 🎮', 'ポケモン 🐉', 'en', '2025-01-30 23:40:00+00', '2025-01-31 01:48:00+00', '40000022605', NULL),
	(166, 18, 'Stream #166', 'Software and Game Development', 'de', '2025-01-31 06:53:20+00', '2025-01-31 09:02:20+00', '40000022742', '/recordings/streamer_018/streamer_018_0166.mp4'),
	(167, 19, 'Stream #167', NULL, 'ja', '2025-01-31 14:06:40+00', '2025-01-31 16:16:40+00', '40000022879', '/recordings/streamer_019/streamer_019_0167.mp4'),
	(168, 20, 'Let''s play "Dark Souls" – part 168', 'Just Chatting', NULL, '2025-01-31 21:20:00+00', '2025-01-31 23:31:00+00', NULL, '/recordings/streamer_020/streamer_020_0168.mp4'),
	(169, 21, E'Windows path C:\\games\\169', 'Minecraft', 'en', '2025-02-01 04:33:20+00', '2025-02-01 06:45:20+00', '40000023153', '/recordings/streamer_021/streamer_021_0169.mp4'),
	(170, 22, 'Stream #170', 'Elden Ring', 'de', '2025-02-01 11:46:40+00', '2025-02-01 13:59:40+00', '40000023290', NULL),
	(171, 1, 'Stream #171', 'ポケモン 🐉', 'ja', '2025-02-01 19:00:00+00', NULL, '40000023427', '/recordings/streamer_001/streamer_001_0171.mp4'),
	(172, 2, '', 'Software and Game Development', NULL, '2025-02-02 02:13:20+00', NULL, '40000023564', '/recordings/streamer_002/streamer_002_0172.mp4'),
	(173, 3, 'Stream #173', NULL, 'en', '2025-02-02 09:26:40+00', NULL, '40000023701', '/recordings/streamer_003/streamer_003_0173.mp4'),
	(175, 5, 'Let''s play "Dark Souls" – part 175', 'Minecraft', 'ja', '2025-02-02 23:53:20+00', NULL, '40000023975', NULL),
	(176, 6, 'ゲーム配信 第176回 🎮', 'Elden Ring', NULL, '2025-02-03 07:06:40+00', NULL, '40000024112', '/recordings/streamer_006/streamer_006_0176.mp4'),
	(177, 8, 'Stream #177', 'ポケモン 🐉', 'en', '2025-02-03 14:20:00+00', NULL, '40000024249', '/recordings/streamer_008/streamer_008_0177.mp4'),
	(178, 9, 'Stream #178', 'Software and Game Development', 'de', '2025-02-03 21:33:20+00', NULL, '40000024386', '/recordings/streamer_009/streamer_009_0178.mp4'),
	(179, 10, 'Stream #179', NULL, 'ja', '2025-02-04 04:46:40+00', NULL, '40000024523', '/recordings/streamer_010/streamer_010_0179.mp4'),
	(180, 12, 'Stream #180', 'Just Chatting', NULL, '2025-02-04 12:00:00+00', NULL, NULL, NULL),
	(201, 1, 'tie A', 'Just Chatting', 'en', '2025-06-27 06:00:00+00', '2025-06-27 08:00:00+00', '41000000201', NULL),
	(202, 1, 'tie B', 'Minecraft', 'en', '2025-06-27 07:00:00+00', '2025-06-27 08:00:00+00', '41000000202', NULL),
	(203, 2, NULL, NULL, 'ja', '2025-06-28 07:00:00+00', '2025-06-28 08:00:00+00', '41000000203', NULL),
	(204, 2, 'live now 🔴', 'Just Chatting', 'ja', '2025-06-30 07:30:00+00', NULL, '41000000204', NULL),
	(205, 8, 'only a live stream', 'Just Chatting', 'ko', '2025-06-30 16:50:00+09', NULL, '41000000205', NULL),
	(210, 3, NULL, 'Music', NULL, '2025-06-25 08:00:00+00', NULL, '42000000001', NULL),
	(211, 3, 'dup group A – has recording', 'Music', 'en', '2025-06-25 08:00:05+00', '2025-06-25 10:00:00+00', '42000000001', '/recordings/O''Brien/a.mp4'),
	(212, 5, 'dup group B #1', NULL, 'en', '2025-06-26 08:00:00+00', '2025-06-26 09:00:00+00', '42000000002', NULL),
	(213, 5, 'dup group B #2 – has events', 'Fortnite', NULL, '2025-06-26 08:00:02+00', NULL, '42000000002', NULL),
	(214, 6, NULL, NULL, NULL, NULL, NULL, '42000000002', '/recordings/Müller_Zoë/b.mp4'),
	(215, 9, 'dup across streamers (9)', '', '', '2025-06-24 08:00:00+00', '2025-06-24 08:01:00+00', '42000000003', NULL),
	(216, 10, 'dup across streamers (10)', NULL, 'fr', '2025-06-24 08:00:01+00', '2025-06-24 08:02:00+00', '42000000003', NULL),
	(217, 12, 'empty-string id twin', NULL, 'en', '2025-06-23 08:00:00+00', '2025-06-23 08:01:00+00', '', NULL);

INSERT INTO public.notification_settings (id, streamer_id, notify_online, notify_offline, notify_update, notify_favorite_category) VALUES
	(1, 1, TRUE, FALSE, TRUE, FALSE),
	(2, 2, TRUE, TRUE, TRUE, FALSE),
	(3, 3, TRUE, FALSE, NULL, FALSE),
	(4, 4, TRUE, TRUE, TRUE, FALSE),
	(5, 5, TRUE, FALSE, TRUE, FALSE),
	(6, 6, TRUE, TRUE, NULL, FALSE),
	(7, 7, TRUE, FALSE, TRUE, FALSE),
	(8, 8, TRUE, TRUE, TRUE, FALSE),
	(9, 1, FALSE, FALSE, FALSE, TRUE);

INSERT INTO public.streamer_recording_settings (id, streamer_id, enabled, quality, custom_filename, max_streams, cleanup_policy) VALUES
	(1, 1, TRUE, 'best', NULL, 0, NULL),
	(2, 2, TRUE, '1080p60', '{streamer}/{year}-{month}-{day}_{title}', 10, '{"type":"count","threshold":10,"preserve_favorites":true}'),
	(3, 3, FALSE, NULL, NULL, NULL, NULL),
	(4, 5, TRUE, 'audio_only', E'C:\\rec\\{streamer}', 3, NULL),
	(6, 12, NULL, NULL, '{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{st', NULL, '{"type":"age","threshold":30}'),
	(7, 1, FALSE, 'worst', NULL, 1, NULL);

INSERT INTO public.stream_events (id, stream_id, event_type, title, category_name, language, "timestamp") VALUES
	(1, 1, 'stream.online', 'Stream #1', 'Minecraft', 'en', '2024-12-12 15:13:20+00'),
	(2, 1, 'stream.offline', NULL, 'Minecraft', 'en', '2024-12-12 16:14:20+00'),
	(3, 2, 'stream.online', 'Stream #2', 'Elden Ring', 'de', '2024-12-12 22:26:40+00'),
	(4, 2, 'stream.offline', NULL, 'Elden Ring', 'de', '2024-12-12 23:28:40+00'),
	(5, 3, 'stream.online', 'Stream #3', 'ポケモン 🐉', 'ja', '2024-12-13 05:40:00+00'),
	(6, 3, 'channel.update', 'Renamed: Stream #3', 'ポケモン 🐉', 'ja', '2024-12-13 06:43:00+00'),
	(7, 4, 'stream.online', 'Stream #4', 'Software and Game Development', NULL, '2024-12-13 12:53:20+00'),
	(8, 4, 'stream.offline', NULL, 'Software and Game Development', NULL, '2024-12-13 13:57:20+00'),
	(9, 5, 'stream.online', 'Stream #5', NULL, 'en', '2024-12-13 20:06:40+00'),
	(10, 5, 'stream.offline', NULL, NULL, 'en', '2024-12-13 21:11:40+00'),
	(11, 6, 'stream.online', 'Stream #6', 'Just Chatting', 'de', '2024-12-14 03:20:00+00'),
	(12, 6, 'channel.update', 'Renamed: Stream #6', 'Just Chatting', 'de', '2024-12-14 04:26:00+00'),
	(13, 7, 'stream.online', 'Let''s play "Dark Souls" – part 7', 'Minecraft', 'ja', '2024-12-14 10:33:20+00'),
	(14, 7, 'stream.offline', NULL, 'Minecraft', 'ja', '2024-12-14 11:40:20+00'),
	(15, 8, 'stream.online', 'Stream #8', 'Elden Ring', NULL, '2024-12-14 17:46:40+00'),
	(16, 8, 'stream.offline', NULL, 'Elden Ring', NULL, '2024-12-14 18:54:40+00'),
	(17, 9, 'stream.online', 'Stream #9', 'ポケモン 🐉', 'en', '2024-12-15 01:00:00+00'),
	(18, 9, 'channel.update', 'Renamed: Stream #9', 'ポケモン 🐉', 'en', '2024-12-15 02:09:00+00'),
	(19, 10, 'stream.online', 'Stream #10', 'Software and Game Development', 'de', '2024-12-15 08:13:20+00'),
	(20, 10, 'stream.offline', NULL, 'Software and Game Development', 'de', '2024-12-15 09:23:20+00'),
	(21, 11, 'stream.online', 'ゲーム配信 第11回 🎮', NULL, 'ja', '2024-12-15 15:26:40+00'),
	(22, 11, 'stream.offline', NULL, NULL, 'ja', '2024-12-15 16:37:40+00'),
	(23, 12, 'stream.online', 'long', 'Just Chatting', NULL, '2024-12-15 22:40:00+00'),
	(24, 12, 'channel.update', NULL, 'Just Chatting', NULL, '2024-12-15 23:52:00+00'),
	(25, 13, 'stream.online', E'Windows path C:\\games\\13', 'Minecraft', 'en', '2024-12-16 05:53:20+00'),
	(26, 13, 'stream.offline', NULL, 'Minecraft', 'en', '2024-12-16 07:06:20+00'),
	(27, 14, 'stream.online', 'Let''s play "Dark Souls" – part 14', 'Elden Ring', 'de', '2024-12-16 13:06:40+00'),
	(28, 14, 'stream.offline', NULL, 'Elden Ring', 'de', '2024-12-16 14:20:40+00'),
	(29, 15, 'stream.online', 'Stream #15', 'ポケモン 🐉', 'ja', '2024-12-16 20:20:00+00'),
	(30, 15, 'channel.update', 'Renamed: Stream #15', 'ポケモン 🐉', 'ja', '2024-12-16 21:35:00+00'),
	(31, 16, 'stream.online', 'Stream #16', 'Software and Game Development', NULL, '2024-12-17 03:33:20+00'),
	(32, 16, 'stream.offline', NULL, 'Software and Game Development', NULL, '2024-12-17 04:49:20+00'),
	(33, 17, 'stream.online', 'Stream #17', NULL, 'en', '2024-12-17 10:46:40+00'),
	(34, 17, 'stream.offline', NULL, NULL, 'en', '2024-12-17 12:03:40+00'),
	(35, 18, 'stream.online', 'Stream #18', 'Just Chatting', 'de', '2024-12-17 18:00:00+00'),
	(36, 18, 'channel.update', 'Renamed: Stream #18', 'Just Chatting', 'de', '2024-12-17 19:18:00+00'),
	(37, 19, 'stream.online', 'Stream #19', 'Minecraft', 'ja', '2024-12-18 01:13:20+00'),
	(38, 19, 'stream.offline', NULL, 'Minecraft', 'ja', '2024-12-18 02:32:20+00'),
	(39, 20, 'stream.online', 'Stream #20', 'Elden Ring', NULL, '2024-12-18 08:26:40+00'),
	(40, 20, 'stream.offline', NULL, 'Elden Ring', NULL, '2024-12-18 09:46:40+00'),
	(41, 21, 'stream.online', 'Let''s play "Dark Souls" – part 21', 'ポケモン 🐉', 'en', '2024-12-18 15:40:00+00'),
	(42, 21, 'channel.update', 'Renamed: Let''s play "Dark Souls" – part 21', 'ポケモン 🐉', 'en', '2024-12-18 17:01:00+00'),
	(43, 22, 'stream.online', 'ゲーム配信 第22回 🎮', 'Software and Game Development', 'de', '2024-12-18 22:53:20+00'),
	(44, 22, 'stream.offline', NULL, 'Software and Game Development', 'de', '2024-12-19 00:15:20+00'),
	(45, 23, 'stream.online', 'Stream #23', NULL, 'ja', '2024-12-19 06:06:40+00'),
	(46, 23, 'stream.offline', NULL, NULL, 'ja', '2024-12-19 07:29:40+00'),
	(47, 24, 'stream.online', 'Stream #24', 'Just Chatting', NULL, '2024-12-19 13:20:00+00'),
	(48, 24, 'channel.update', 'Renamed: Stream #24', 'Just Chatting', NULL, '2024-12-19 14:44:00+00'),
	(401, NULL, 'stream.online', 'orphaned event (stream deleted)', NULL, NULL, '2025-06-21 08:00:00+00'),
	(402, 204, 'stream.online', 'live now 🔴', 'Just Chatting', 'ja', NULL),
	(403, 213, 'stream.online', 'dup group B #2', NULL, NULL, '2025-06-26 08:00:02+00'),
	(404, 211, 'stream.offline', NULL, NULL, NULL, '2025-06-25 10:00:00+00');

INSERT INTO public.stream_metadata (id, stream_id, thumbnail_path, thumbnail_url, nfo_path, json_path, chat_path, chat_srt_path, chapters_path, chapters_vtt_path, chapters_srt_path, chapters_ffmpeg_path, avg_viewers, max_viewers, follower_count) VALUES
	(1, 1, '/recordings/meta/1/thumb.jpg', NULL, '/recordings/meta/1/stream.nfo', '/recordings/meta/1/stream.json', '/recordings/meta/1/chat.json', NULL, '/recordings/meta/1/chapters.xml', '/recordings/meta/1/chapters.vtt', NULL, '/recordings/meta/1/chapters.ffmpeg', 10, 25, 1001),
	(2, 2, '/recordings/meta/2/thumb.jpg', 'https://static-cdn.jtvnw.net/previews-ttv/live_user_2-1920x1080.jpg', '/recordings/meta/2/stream.nfo', '/recordings/meta/2/stream.json', '/recordings/meta/2/chat.json', NULL, '/recordings/meta/2/chapters.xml', '/recordings/meta/2/chapters.vtt', NULL, '/recordings/meta/2/chapters.ffmpeg', 20, 50, 1002),
	(3, 3, '/recordings/meta/3/thumb.jpg', NULL, '/recordings/meta/3/stream.nfo', '/recordings/meta/3/stream.json', '/recordings/meta/3/chat.json', NULL, '/recordings/meta/3/chapters.xml', '/recordings/meta/3/chapters.vtt', NULL, '/recordings/meta/3/chapters.ffmpeg', 30, 75, 1003),
	(4, 4, '/recordings/meta/4/thumb.jpg', 'https://static-cdn.jtvnw.net/previews-ttv/live_user_4-1920x1080.jpg', '/recordings/meta/4/stream.nfo', '/recordings/meta/4/stream.json', NULL, NULL, '/recordings/meta/4/chapters.xml', '/recordings/meta/4/chapters.vtt', NULL, '/recordings/meta/4/chapters.ffmpeg', 40, 100, 1004),
	(5, 5, '/recordings/meta/5/thumb.jpg', NULL, '/recordings/meta/5/stream.nfo', '/recordings/meta/5/stream.json', '/recordings/meta/5/chat.json', NULL, '/recordings/meta/5/chapters.xml', '/recordings/meta/5/chapters.vtt', NULL, '/recordings/meta/5/chapters.ffmpeg', 50, 125, NULL),
	(6, 6, '/recordings/meta/6/thumb.jpg', 'https://static-cdn.jtvnw.net/previews-ttv/live_user_6-1920x1080.jpg', '/recordings/meta/6/stream.nfo', '/recordings/meta/6/stream.json', '/recordings/meta/6/chat.json', NULL, '/recordings/meta/6/chapters.xml', '/recordings/meta/6/chapters.vtt', NULL, '/recordings/meta/6/chapters.ffmpeg', 60, 150, 1006),
	(7, 7, '/recordings/meta/7/thumb.jpg', NULL, '/recordings/meta/7/stream.nfo', '/recordings/meta/7/stream.json', '/recordings/meta/7/chat.json', NULL, '/recordings/meta/7/chapters.xml', '/recordings/meta/7/chapters.vtt', NULL, '/recordings/meta/7/chapters.ffmpeg', 70, 175, 1007),
	(8, 8, '/recordings/meta/8/thumb.jpg', 'https://static-cdn.jtvnw.net/previews-ttv/live_user_8-1920x1080.jpg', '/recordings/meta/8/stream.nfo', '/recordings/meta/8/stream.json', NULL, NULL, '/recordings/meta/8/chapters.xml', '/recordings/meta/8/chapters.vtt', NULL, '/recordings/meta/8/chapters.ffmpeg', 80, 200, 1008),
	(9, 9, '/recordings/meta/9/thumb.jpg', NULL, '/recordings/meta/9/stream.nfo', '/recordings/meta/9/stream.json', '/recordings/meta/9/chat.json', NULL, '/recordings/meta/9/chapters.xml', '/recordings/meta/9/chapters.vtt', NULL, '/recordings/meta/9/chapters.ffmpeg', 90, 225, 1009),
	(10, 10, '/recordings/meta/10/thumb.jpg', 'https://static-cdn.jtvnw.net/previews-ttv/live_user_10-1920x1080.jpg', '/recordings/meta/10/stream.nfo', '/recordings/meta/10/stream.json', '/recordings/meta/10/chat.json', NULL, '/recordings/meta/10/chapters.xml', '/recordings/meta/10/chapters.vtt', NULL, '/recordings/meta/10/chapters.ffmpeg', 100, 250, NULL),
	(11, 11, '/recordings/meta/11/thumb.jpg', NULL, '/recordings/meta/11/stream.nfo', '/recordings/meta/11/stream.json', '/recordings/meta/11/chat.json', NULL, '/recordings/meta/11/chapters.xml', '/recordings/meta/11/chapters.vtt', NULL, '/recordings/meta/11/chapters.ffmpeg', 110, 275, 1011),
	(12, 12, '/recordings/meta/12/thumb.jpg', 'https://static-cdn.jtvnw.net/previews-ttv/live_user_12-1920x1080.jpg', '/recordings/meta/12/stream.nfo', '/recordings/meta/12/stream.json', NULL, NULL, '/recordings/meta/12/chapters.xml', '/recordings/meta/12/chapters.vtt', NULL, '/recordings/meta/12/chapters.ffmpeg', 120, 300, 1012),
	(13, 13, '/recordings/meta/13/thumb.jpg', NULL, '/recordings/meta/13/stream.nfo', '/recordings/meta/13/stream.json', '/recordings/meta/13/chat.json', NULL, '/recordings/meta/13/chapters.xml', '/recordings/meta/13/chapters.vtt', NULL, '/recordings/meta/13/chapters.ffmpeg', 130, 325, 1013),
	(14, 14, '/recordings/meta/14/thumb.jpg', 'https://static-cdn.jtvnw.net/previews-ttv/live_user_14-1920x1080.jpg', '/recordings/meta/14/stream.nfo', '/recordings/meta/14/stream.json', '/recordings/meta/14/chat.json', NULL, '/recordings/meta/14/chapters.xml', '/recordings/meta/14/chapters.vtt', NULL, '/recordings/meta/14/chapters.ffmpeg', 140, 350, 1014),
	(50, 210, '/recordings/meta/210/thumb.jpg', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 1, 2, NULL),
	(51, 212, '/recordings/meta/212/thumb.jpg', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 3, 4, NULL),
	(60, 1, '/recordings/meta/1/thumb-duplicate.jpg', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
	(61, NULL, NULL, NULL, '/recordings/meta/orphan.nfo', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);

INSERT INTO public.global_settings (id, notification_url, notifications_enabled, notify_online_global, notify_offline_global, notify_update_global, notify_favorite_category_global, http_proxy, https_proxy) VALUES
	(1, 'ntfy://ntfy.sh/streamvault-test?priority=high&tags=tv,ünï', TRUE, TRUE, FALSE, TRUE, NULL, 'http://user:p%40ss@proxy.internal:3128', '');

INSERT INTO public.recording_settings (id, enabled, output_directory, filename_template, default_quality, use_chapters, filename_preset, use_category_as_chapter_title, max_streams_per_streamer, cleanup_policy) VALUES
	(1, TRUE, '/recordings', '{streamer}/Season {year}-{month}/{streamer} - S{year}{month}E{episode:02d} - {title}', 'best', TRUE, 'mediaserver', TRUE, 25, '{"type":"count","threshold":25,"preserve_favorites":true}');

INSERT INTO public.push_subscriptions (id, endpoint, subscription_data, user_agent, is_active, created_at, updated_at) VALUES
	(1, 'https://fcm.googleapis.com/fcm/send/dGVzdC1lbmRwb2ludC0x', '{"endpoint":"https://fcm.googleapis.com/fcm/send/dGVzdC1lbmRwb2ludC0x","keys":{"p256dh":"BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM","auth":"tBHItJI5svbpez7KI4CCXg"}}', 'Mozilla/5.0 (X11; Linux x86_64) Chrome/138.0', TRUE, '2025-03-22 08:00:00+00', '2025-06-20 08:00:00+00'),
	(2, 'https://web.push.apple.com/QGV4YW1wbGU', '{"endpoint":"https://web.push.apple.com/QGV4YW1wbGU","keys":{"p256dh":"BDef","auth":"uvw"}}', NULL, FALSE, '2025-04-01 08:00:00+00', '2025-05-01 08:00:00+00'),
	(4, 'https://fcm.googleapis.com/fcm/send/ünïcode-and-''quote''', '{"note":"it''s fine"}', 'Safari/18.5 😀 (iPhone; ストリーマー)', TRUE, NULL, NULL),
	(5, 'https://fcm.googleapis.com/fcm/send/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', '{}', '', TRUE, '2025-06-29 08:00:00+00', '2025-06-29 08:00:00+00');

INSERT INTO public.system_config (id, key, value, description, created_at, updated_at) VALUES
	(1, 'vapid_public_key', 'BEl62iUYgUivxIkv69yViEuiBIa-Ib9-SkvMeAtA3LFgDzkrxZJjSgSnfckjBJuBkr3qBUYIHBQFLXYp5Nksh8U', 'VAPID public key for web push', '2025-03-22 08:00:00+00', '2025-03-22 08:00:00+00'),
	(2, 'vapid_private_key', E'-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n', 'VAPID private key for web push', '2025-03-22 08:00:00+00', '2025-03-22 08:00:00+00'),
	(3, 'vapid_claims_email', 'mailto:admin@streamvault.local', NULL, '2025-03-22 08:00:01+00', NULL),
	(4, 'motd', E'It\'s "quoted", has a backslash \\ and unicode ✓', 'value with quotes', NULL, NULL),
	(6, 'kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk', '', 'kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk', '2025-06-29 08:00:00+00', '2025-06-29 08:00:00+00');

-- Explicit ids bypass the sequences; move them to max(id) as a live database would have them.
SELECT setval('public.categories_id_seq', max(id)) FROM public.categories;
SELECT setval('public.favorite_categories_id_seq', max(id)) FROM public.favorite_categories;
SELECT setval('public.global_settings_id_seq', max(id)) FROM public.global_settings;
SELECT setval('public.notification_settings_id_seq', max(id)) FROM public.notification_settings;
SELECT setval('public.push_subscriptions_id_seq', max(id)) FROM public.push_subscriptions;
SELECT setval('public.recording_settings_id_seq', max(id)) FROM public.recording_settings;
SELECT setval('public.sessions_id_seq', max(id)) FROM public.sessions;
SELECT setval('public.stream_events_id_seq', max(id)) FROM public.stream_events;
SELECT setval('public.stream_metadata_id_seq', max(id)) FROM public.stream_metadata;
SELECT setval('public.streamer_recording_settings_id_seq', max(id)) FROM public.streamer_recording_settings;
SELECT setval('public.streamers_id_seq', max(id)) FROM public.streamers;
SELECT setval('public.streams_id_seq', max(id)) FROM public.streams;
SELECT setval('public.system_config_id_seq', max(id)) FROM public.system_config;
SELECT setval('public.users_id_seq', max(id)) FROM public.users;

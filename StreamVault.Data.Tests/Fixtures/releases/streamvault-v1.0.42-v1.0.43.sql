-- Fixture: a StreamVault database as release v1.0.42 (Serph91P/StreamVault cadf7c12,
-- 2025-07-24) leaves it after a fresh install and some use.
-- No reference dump exists for this release: the schema below is pg_dump --schema-only of an
-- empty PostgreSQL 15 database after that release's own startup ran on it (its MigrationService, then create_all),
-- with pg_dump's comment blocks, session SETs and OWNER statements removed (CREATE SEQUENCE options
-- joined onto one line). The same procedure reproduces the 2025-07/09, 2026-01/05/08 reference
-- dumps exactly. Ledger rows are the ones that startup wrote; applied_at is set to the release day.
-- Also exactly v1.0.43 (3abb93cc, tag object; commit f1bec7705a739c8e31ba1142fdf0b6842af93e0f, same day):
-- identical migrations, models and catalog; v1.0.43 only changed app/routes/streamers.py.
-- The first numbered migrations 001..004 (v1.0.42 versions) build a schema that does NOT match
-- the ORM of the same release: users.password_hash/email, sessions.session_token,
-- categories(name UNIQUE, no twitch_id), favorite_categories.category_name, push_subscriptions
-- (p256dh, auth, UNIQUE(endpoint, p256dh, auth)), global_settings with twitch_client_id..., etc.
-- create_all afterwards finds every table and adds nothing. No applied_migrations table.
-- The data section writes the columns this database really has; the release's own ORM could
-- not have written several of them (it would fail on users.password etc.).
-- Fresh-install rows: migrations 4; no seeded settings rows.
--
-- Row counts after the data section: active_recordings_state 1, categories 4, favorite_categories 2,
-- global_settings 1, migrations 4, notification_settings 8, push_subscriptions 4, recording_settings
-- 1, recordings 14, sessions 2, stream_events 52, stream_metadata 16, streamer_recording_settings 5,
-- streamers 26, streams 187, system_config 6, users 2.
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
-- Streamers 3, 6, 9, 12, 15, 18, 21, 24 and 27 carry the old profile-image URLs that migration 019
-- (019_update_twitch_profile_urls) rewrites when a v1.0.44+ release upgrades this database.
--
-- Timestamps carry explicit offsets (naive columns get naive literals); no column default that reads
-- the clock is relied on for data rows, and no UPDATE touches a table with an updated_at trigger.
-- Backslashes only appear in E'' strings.
SET client_encoding = 'UTF8';

-- ------------------------------------------------- schema (pg_dump after v1.0.42 startup)
CREATE TABLE public.active_recordings_state (
    id integer NOT NULL,
    stream_id integer NOT NULL,
    recording_id integer NOT NULL,
    process_id integer NOT NULL,
    process_identifier character varying(100) NOT NULL,
    streamer_name character varying(100) NOT NULL,
    started_at timestamp with time zone NOT NULL,
    ts_output_path character varying(500) NOT NULL,
    force_mode boolean DEFAULT false,
    quality character varying(50) DEFAULT 'best'::character varying,
    status character varying(50) DEFAULT 'recording'::character varying
);

CREATE SEQUENCE public.active_recordings_state_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE public.active_recordings_state_id_seq OWNED BY public.active_recordings_state.id;

CREATE TABLE public.categories (
    id integer NOT NULL,
    name character varying(100) NOT NULL,
    box_art_url character varying(500),
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP
);

CREATE SEQUENCE public.categories_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE public.categories_id_seq OWNED BY public.categories.id;

CREATE TABLE public.favorite_categories (
    id integer NOT NULL,
    user_id integer NOT NULL,
    category_name character varying(100) NOT NULL,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP
);

CREATE SEQUENCE public.favorite_categories_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE public.favorite_categories_id_seq OWNED BY public.favorite_categories.id;

CREATE TABLE public.global_settings (
    id integer NOT NULL,
    twitch_client_id character varying(100),
    twitch_client_secret character varying(100),
    webhook_secret character varying(255),
    max_concurrent_recordings integer DEFAULT 3,
    base_output_path character varying(500) DEFAULT '/recordings'::character varying,
    recording_quality character varying(50) DEFAULT 'best'::character varying,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP
);

CREATE SEQUENCE public.global_settings_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE public.global_settings_id_seq OWNED BY public.global_settings.id;

CREATE TABLE public.migrations (
    id integer NOT NULL,
    script_name character varying(255) NOT NULL,
    applied_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    success boolean DEFAULT true
);

CREATE SEQUENCE public.migrations_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE public.migrations_id_seq OWNED BY public.migrations.id;

CREATE TABLE public.notification_settings (
    id integer NOT NULL,
    streamer_id integer NOT NULL,
    notify_on_live boolean DEFAULT true,
    notify_on_title_change boolean DEFAULT false,
    notify_on_category_change boolean DEFAULT false,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP
);

CREATE SEQUENCE public.notification_settings_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE public.notification_settings_id_seq OWNED BY public.notification_settings.id;

CREATE TABLE public.push_subscriptions (
    id integer NOT NULL,
    endpoint character varying(500) NOT NULL,
    p256dh character varying(500) NOT NULL,
    auth character varying(500) NOT NULL,
    user_agent character varying(500),
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP
);

CREATE SEQUENCE public.push_subscriptions_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE public.push_subscriptions_id_seq OWNED BY public.push_subscriptions.id;

CREATE TABLE public.recording_settings (
    id integer NOT NULL,
    max_concurrent_recordings integer DEFAULT 3,
    default_quality character varying(50) DEFAULT 'best'::character varying,
    base_output_path character varying(500) DEFAULT '/recordings'::character varying,
    auto_record_enabled boolean DEFAULT false,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP
);

CREATE SEQUENCE public.recording_settings_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE public.recording_settings_id_seq OWNED BY public.recording_settings.id;

CREATE TABLE public.recordings (
    id integer NOT NULL,
    stream_id integer NOT NULL,
    start_time timestamp with time zone NOT NULL,
    end_time timestamp with time zone,
    status character varying(50) NOT NULL,
    duration integer,
    path character varying(1024),
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP
);

CREATE SEQUENCE public.recordings_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE public.recordings_id_seq OWNED BY public.recordings.id;

CREATE TABLE public.sessions (
    id integer NOT NULL,
    user_id integer NOT NULL,
    session_token character varying(500) NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP
);

CREATE SEQUENCE public.sessions_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE public.sessions_id_seq OWNED BY public.sessions.id;

CREATE TABLE public.stream_events (
    id integer NOT NULL,
    stream_id integer,
    event_type character varying(100) NOT NULL,
    title character varying(500),
    category_name character varying(100),
    language character varying(10),
    "timestamp" timestamp with time zone DEFAULT CURRENT_TIMESTAMP
);

CREATE SEQUENCE public.stream_events_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE public.stream_events_id_seq OWNED BY public.stream_events.id;

CREATE TABLE public.stream_metadata (
    id integer NOT NULL,
    stream_id integer NOT NULL,
    thumbnail_url character varying(500),
    viewer_count integer,
    max_viewer_count integer,
    tags text,
    mature boolean DEFAULT false,
    original_language character varying(10),
    original_title character varying(500),
    original_category character varying(100),
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP
);

CREATE SEQUENCE public.stream_metadata_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE public.stream_metadata_id_seq OWNED BY public.stream_metadata.id;

CREATE TABLE public.streamer_recording_settings (
    id integer NOT NULL,
    streamer_id integer NOT NULL,
    auto_record boolean DEFAULT false,
    quality character varying(50) DEFAULT 'best'::character varying,
    output_path character varying(500),
    enabled boolean DEFAULT true,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP
);

CREATE SEQUENCE public.streamer_recording_settings_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE public.streamer_recording_settings_id_seq OWNED BY public.streamer_recording_settings.id;

CREATE TABLE public.streamers (
    id integer NOT NULL,
    twitch_id character varying(100) NOT NULL,
    username character varying(100) NOT NULL,
    is_live boolean DEFAULT false,
    title character varying(500),
    category_name character varying(100),
    language character varying(10),
    last_updated timestamp with time zone,
    profile_image_url character varying(500),
    original_profile_image_url character varying(500),
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP
);

CREATE SEQUENCE public.streamers_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE public.streamers_id_seq OWNED BY public.streamers.id;

CREATE TABLE public.streams (
    id integer NOT NULL,
    streamer_id integer NOT NULL,
    title character varying(500),
    category_name character varying(100),
    language character varying(10),
    started_at timestamp with time zone,
    ended_at timestamp with time zone,
    twitch_stream_id character varying(100),
    recording_path character varying(1024),
    episode_number integer
);

CREATE SEQUENCE public.streams_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE public.streams_id_seq OWNED BY public.streams.id;

CREATE TABLE public.system_config (
    id integer NOT NULL,
    key character varying(100) NOT NULL,
    value text,
    description text,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP
);

CREATE SEQUENCE public.system_config_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE public.system_config_id_seq OWNED BY public.system_config.id;

CREATE TABLE public.users (
    id integer NOT NULL,
    username character varying(100) NOT NULL,
    password_hash character varying(500) NOT NULL,
    email character varying(254),
    is_admin boolean DEFAULT false,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP
);

CREATE SEQUENCE public.users_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE public.users_id_seq OWNED BY public.users.id;

ALTER TABLE ONLY public.active_recordings_state ALTER COLUMN id SET DEFAULT nextval('public.active_recordings_state_id_seq'::regclass);
ALTER TABLE ONLY public.categories ALTER COLUMN id SET DEFAULT nextval('public.categories_id_seq'::regclass);
ALTER TABLE ONLY public.favorite_categories ALTER COLUMN id SET DEFAULT nextval('public.favorite_categories_id_seq'::regclass);
ALTER TABLE ONLY public.global_settings ALTER COLUMN id SET DEFAULT nextval('public.global_settings_id_seq'::regclass);
ALTER TABLE ONLY public.migrations ALTER COLUMN id SET DEFAULT nextval('public.migrations_id_seq'::regclass);
ALTER TABLE ONLY public.notification_settings ALTER COLUMN id SET DEFAULT nextval('public.notification_settings_id_seq'::regclass);
ALTER TABLE ONLY public.push_subscriptions ALTER COLUMN id SET DEFAULT nextval('public.push_subscriptions_id_seq'::regclass);
ALTER TABLE ONLY public.recording_settings ALTER COLUMN id SET DEFAULT nextval('public.recording_settings_id_seq'::regclass);
ALTER TABLE ONLY public.recordings ALTER COLUMN id SET DEFAULT nextval('public.recordings_id_seq'::regclass);
ALTER TABLE ONLY public.sessions ALTER COLUMN id SET DEFAULT nextval('public.sessions_id_seq'::regclass);
ALTER TABLE ONLY public.stream_events ALTER COLUMN id SET DEFAULT nextval('public.stream_events_id_seq'::regclass);
ALTER TABLE ONLY public.stream_metadata ALTER COLUMN id SET DEFAULT nextval('public.stream_metadata_id_seq'::regclass);
ALTER TABLE ONLY public.streamer_recording_settings ALTER COLUMN id SET DEFAULT nextval('public.streamer_recording_settings_id_seq'::regclass);
ALTER TABLE ONLY public.streamers ALTER COLUMN id SET DEFAULT nextval('public.streamers_id_seq'::regclass);
ALTER TABLE ONLY public.streams ALTER COLUMN id SET DEFAULT nextval('public.streams_id_seq'::regclass);
ALTER TABLE ONLY public.system_config ALTER COLUMN id SET DEFAULT nextval('public.system_config_id_seq'::regclass);
ALTER TABLE ONLY public.users ALTER COLUMN id SET DEFAULT nextval('public.users_id_seq'::regclass);

ALTER TABLE ONLY public.active_recordings_state
    ADD CONSTRAINT active_recordings_state_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.active_recordings_state
    ADD CONSTRAINT active_recordings_state_stream_id_key UNIQUE (stream_id);

ALTER TABLE ONLY public.categories
    ADD CONSTRAINT categories_name_key UNIQUE (name);

ALTER TABLE ONLY public.categories
    ADD CONSTRAINT categories_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.favorite_categories
    ADD CONSTRAINT favorite_categories_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.favorite_categories
    ADD CONSTRAINT favorite_categories_user_id_category_name_key UNIQUE (user_id, category_name);

ALTER TABLE ONLY public.global_settings
    ADD CONSTRAINT global_settings_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.migrations
    ADD CONSTRAINT migrations_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.migrations
    ADD CONSTRAINT migrations_script_name_key UNIQUE (script_name);

ALTER TABLE ONLY public.notification_settings
    ADD CONSTRAINT notification_settings_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.notification_settings
    ADD CONSTRAINT notification_settings_streamer_id_key UNIQUE (streamer_id);

ALTER TABLE ONLY public.push_subscriptions
    ADD CONSTRAINT push_subscriptions_endpoint_p256dh_auth_key UNIQUE (endpoint, p256dh, auth);

ALTER TABLE ONLY public.push_subscriptions
    ADD CONSTRAINT push_subscriptions_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.recording_settings
    ADD CONSTRAINT recording_settings_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.recordings
    ADD CONSTRAINT recordings_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.sessions
    ADD CONSTRAINT sessions_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.sessions
    ADD CONSTRAINT sessions_session_token_key UNIQUE (session_token);

ALTER TABLE ONLY public.stream_events
    ADD CONSTRAINT stream_events_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.stream_metadata
    ADD CONSTRAINT stream_metadata_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.stream_metadata
    ADD CONSTRAINT stream_metadata_stream_id_key UNIQUE (stream_id);

ALTER TABLE ONLY public.streamer_recording_settings
    ADD CONSTRAINT streamer_recording_settings_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.streamer_recording_settings
    ADD CONSTRAINT streamer_recording_settings_streamer_id_key UNIQUE (streamer_id);

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

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_username_key UNIQUE (username);

CREATE INDEX idx_recordings_start_time ON public.recordings USING btree (start_time);
CREATE INDEX idx_recordings_status ON public.recordings USING btree (status);
CREATE INDEX idx_recordings_status_time ON public.recordings USING btree (status, start_time);
CREATE INDEX idx_recordings_stream_id ON public.recordings USING btree (stream_id);
CREATE INDEX idx_recordings_stream_status ON public.recordings USING btree (stream_id, status);
CREATE INDEX idx_stream_events_event_type ON public.stream_events USING btree (event_type);
CREATE INDEX idx_stream_events_stream_id ON public.stream_events USING btree (stream_id);
CREATE INDEX idx_stream_events_stream_time ON public.stream_events USING btree (stream_id, "timestamp");
CREATE INDEX idx_stream_events_stream_type ON public.stream_events USING btree (stream_id, event_type);
CREATE INDEX idx_stream_events_timestamp ON public.stream_events USING btree ("timestamp");
CREATE INDEX idx_stream_events_type_time ON public.stream_events USING btree (event_type, "timestamp");
CREATE INDEX idx_streamers_category_name ON public.streamers USING btree (category_name);
CREATE INDEX idx_streamers_is_live ON public.streamers USING btree (is_live);
CREATE INDEX idx_streamers_twitch_id ON public.streamers USING btree (twitch_id);
CREATE INDEX idx_streamers_username ON public.streamers USING btree (username);
CREATE INDEX idx_streams_category_name ON public.streams USING btree (category_name);
CREATE INDEX idx_streams_category_recent ON public.streams USING btree (category_name, started_at);
CREATE INDEX idx_streams_ended_at ON public.streams USING btree (ended_at);
CREATE INDEX idx_streams_started_at ON public.streams USING btree (started_at);
CREATE INDEX idx_streams_streamer_active ON public.streams USING btree (streamer_id, ended_at);
CREATE INDEX idx_streams_streamer_id ON public.streams USING btree (streamer_id);
CREATE INDEX idx_streams_streamer_recent ON public.streams USING btree (streamer_id, started_at);
CREATE INDEX idx_streams_time_range ON public.streams USING btree (started_at, ended_at);
CREATE INDEX idx_streams_twitch_stream_id ON public.streams USING btree (twitch_stream_id);

ALTER TABLE ONLY public.active_recordings_state
    ADD CONSTRAINT active_recordings_state_recording_id_fkey FOREIGN KEY (recording_id) REFERENCES public.recordings(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.active_recordings_state
    ADD CONSTRAINT active_recordings_state_stream_id_fkey FOREIGN KEY (stream_id) REFERENCES public.streams(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.favorite_categories
    ADD CONSTRAINT favorite_categories_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.notification_settings
    ADD CONSTRAINT notification_settings_streamer_id_fkey FOREIGN KEY (streamer_id) REFERENCES public.streamers(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.recordings
    ADD CONSTRAINT recordings_stream_id_fkey FOREIGN KEY (stream_id) REFERENCES public.streams(id) ON DELETE CASCADE;

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
INSERT INTO public.migrations VALUES (1, '001_create_base_tables.py', '2025-07-24 17:00:00.191+00', true);
INSERT INTO public.migrations VALUES (2, '002_create_main_entities.py', '2025-07-24 17:00:00.264+00', true);
INSERT INTO public.migrations VALUES (3, '003_create_dependent_tables.py', '2025-07-24 17:00:00.337+00', true);
INSERT INTO public.migrations VALUES (4, '004_add_database_indexes.py', '2025-07-24 17:00:00.410+00', true);
SELECT pg_catalog.setval('public.migrations_id_seq', 4, true);

-- ---------------------------------------------------------------- fixture data
INSERT INTO public.users (id, username, password_hash, email, is_admin, created_at) VALUES
	(1, 'admin', '$2b$12$KIXQJzE6yK1Jm3n0cW4nVeZk3c1mHcQyq0lq8n6O1t2b3c4d5e6f7', 'admin@streamvault.local', TRUE, '2024-09-27 08:00:00+00'),
	(3, 'Zoë O''Neil', '$2b$12$AbCdEfGhIjKlMnOpQrStUuVwXyZ0123456789abcdefghijklmnopq', NULL, NULL, NULL);

-- session 2 is older than 30 days: migration 018 deletes such rows when it runs
INSERT INTO public.sessions (id, user_id, session_token, expires_at, created_at) VALUES
	(1, 1, 'tok_0f9e8d7c6b5a4938271605f4e3d2c1b0', '2025-07-25 08:00:00+00', '2025-07-24 08:00:00+00'),
	(2, 3, 'tok_with''quote', '2025-07-26 10:00:00+02', '2025-06-14 10:00:00+02');

INSERT INTO public.categories (id, name, box_art_url, created_at) VALUES
	(1, 'Just Chatting', 'https://static-cdn.jtvnw.net/ttv-boxart/509658-{width}x{height}.jpg', '2025-01-05 08:00:00+00'),
	(2, 'Elden Ring', NULL, NULL),
	(4, 'ポケモン 🐉', '', '2025-07-14 17:00:00+09'),
	(5, 'Software and Game Development – Software and Game Development – Software and Game Development – Soft', NULL, NULL);

INSERT INTO public.favorite_categories (id, user_id, category_name, created_at) VALUES
	(1, 1, 'Just Chatting', '2025-04-15 08:00:00+00'),
	(2, 3, 'ポケモン 🐉', NULL);

-- hand-picked awkward rows (1..12) then generated ones; 7, 11, 23, 24, 26, 27 and 28 have no streams
INSERT INTO public.streamers (id, twitch_id, username, is_live, title, category_name, language, last_updated, profile_image_url, original_profile_image_url, created_at) VALUES
	(1, '12826', 'twitch', FALSE, 'Twitch Dev Stream', 'Software and Game Development', 'en', '2025-07-24 07:00:00+00', '/recordings/.media/profile_images/12826.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/12826-profile_image-300x300.png', '2024-09-28 08:00:00+00'),
	(2, '44322889', 'ストリーマー', TRUE, '今日もまったり配信 ☕', 'Just Chatting', 'ja', '2025-07-24 15:00:00+09', '/recordings/.media/profile_images/44322889.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/44322889-profile_image-300x300.png', '2024-09-29 08:00:00+00'),
	(3, '500000001', 'O''Brien', FALSE, 'Sláinte! It''s "quote" night', 'Music', 'en', '2025-07-24 05:00:00+00', '/data/images/profiles/profile_avatar_500000001.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/500000001-profile_image-70x70.png', '2024-09-30 08:00:00+00'),
	(4, '500000002', E'back\\slash', FALSE, E'C:\\Users\\stream\\title \\n is not a newline', NULL, NULL, '2025-07-24 04:00:00+00', NULL, NULL, '2024-10-01 08:00:00+00'),
	(5, '500000003', '🎮 GamerGirl 🎮', TRUE, 'Road to 🏆 — day 42 👩🏽‍💻', 'Fortnite', 'en', '2025-07-24 03:00:00+00', '/recordings/.media/profile_images/500000003.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/500000003-profile_image-300x300.png', '2024-10-02 08:00:00+00'),
	(6, '500000004', 'Müller_Zoë', FALSE, 'Grüße aus Köln – ß ẞ', 'Minecraft', 'de', '2025-07-24 02:00:00+00', '/data/images/profiles/profile_avatar_500000004.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/500000004-profile_image-70x70.png', '2024-10-03 08:00:00+00'),
	(7, '500000005', 'Дмитрий', NULL, NULL, NULL, NULL, NULL, '/recordings/.media/profile_images/500000005.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/500000005-profile_image-300x300.png', NULL),
	(8, '500000006', '한국어방송', TRUE, '안녕하세요 여러분', 'Just Chatting', 'ko', '2025-07-24 00:00:00+00', NULL, NULL, '2024-10-05 08:00:00+00'),
	(9, '500000008', 'x', FALSE, '', '', '', '2025-07-23 23:00:00+00', '/data/images/profiles/profile_avatar_500000008.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/500000008-profile_image-70x70.png', '1970-01-01 00:00:00+00'),
	(10, '500000009', 'a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather', FALSE, 'a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_use', NULL, 'fr', '2025-07-23 22:00:00+00', '/recordings/.media/profile_images/500000009.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/500000009-profile_image-300x300.png', '2024-10-07 08:00:00+00'),
	(11, '500000010', '100%_legit', FALSE, 'LIKE wildcards % and _ in text', NULL, 'en', '2025-07-23 21:00:00+00', '/recordings/.media/profile_images/500000010.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/500000010-profile_image-300x300.png', '2024-10-08 08:00:00+00'),
	(12, '500000012', 'Tab Newline', TRUE, E'line one\nline two\ttabbed', NULL, 'en', '2025-07-23 20:00:00+00', '/data/images/profiles/profile_avatar_500000012.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/500000012-profile_image-70x70.png', '2024-10-09 08:00:00+00'),
	(13, '600000013', 'streamer_013', FALSE, 'Stream title no. 13', 'Just Chatting', 'en', '2025-07-23 19:00:00+00', '/recordings/.media/profile_images/600000013.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/600000013-profile_image-300x300.png', '2024-11-29 08:00:00+00'),
	(14, '600000014', 'streamer_014', NULL, 'Stream title no. 14', 'Elden Ring', 'de', '2025-07-23 18:00:00+00', '/recordings/.media/profile_images/600000014.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/600000014-profile_image-300x300.png', '2024-11-30 08:00:00+00'),
	(15, '600000015', 'streamer_015', FALSE, NULL, 'ポケモン 🐉', NULL, '2025-07-23 17:00:00+00', '/data/images/profiles/profile_avatar_600000015.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/600000015-profile_image-70x70.png', '2024-12-01 08:00:00+00'),
	(16, '600000016', 'streamer_016', TRUE, 'Stream title no. 16', NULL, 'en', '2025-07-23 16:00:00+00', NULL, NULL, '2024-12-02 08:00:00+00'),
	(18, '600000018', 'streamer_018', FALSE, 'Stream title no. 18', 'Elden Ring', NULL, NULL, '/data/images/profiles/profile_avatar_600000018.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/600000018-profile_image-70x70.png', '2024-12-04 08:00:00+00'),
	(19, '600000019', 'streamer_019', FALSE, 'Stream title no. 19', 'ポケモン 🐉', 'en', '2025-07-23 13:00:00+00', '/recordings/.media/profile_images/600000019.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/600000019-profile_image-300x300.png', '2024-12-05 08:00:00+00'),
	(20, '600000020', 'streamer_020', TRUE, NULL, NULL, 'de', '2025-07-23 12:00:00+00', NULL, NULL, '2024-12-06 08:00:00+00'),
	(21, '600000021', 'streamer_021', NULL, 'Stream title no. 21', 'Just Chatting', NULL, '2025-07-23 11:00:00+00', '/data/images/profiles/profile_avatar_600000021.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/600000021-profile_image-70x70.png', '2024-12-07 08:00:00+00'),
	(22, '600000022', 'streamer_022', FALSE, 'Stream title no. 22', 'Elden Ring', 'en', '2025-07-23 10:00:00+00', '/recordings/.media/profile_images/600000022.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/600000022-profile_image-300x300.png', '2024-12-08 08:00:00+00'),
	(23, '600000023', 'streamer_023', FALSE, 'Stream title no. 23', 'ポケモン 🐉', 'de', '2025-07-23 09:00:00+00', '/recordings/.media/profile_images/600000023.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/600000023-profile_image-300x300.png', '2024-12-09 08:00:00+00'),
	(24, '600000024', 'streamer_024', TRUE, 'Stream title no. 24', NULL, NULL, NULL, '/data/images/profiles/profile_avatar_600000024.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/600000024-profile_image-70x70.png', '2024-12-10 08:00:00+00'),
	(26, '600000026', 'streamer_026', FALSE, 'Stream title no. 26', 'Elden Ring', 'de', '2025-07-23 06:00:00+00', '/recordings/.media/profile_images/600000026.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/600000026-profile_image-300x300.png', '2024-12-12 08:00:00+00'),
	(27, '600000027', 'streamer_027', FALSE, 'Stream title no. 27', 'ポケモン 🐉', NULL, '2025-07-23 05:00:00+00', '/data/images/profiles/profile_avatar_600000027.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/600000027-profile_image-70x70.png', '2024-12-13 08:00:00+00'),
	(28, '600000028', 'streamer_028', NULL, 'Stream title no. 28', NULL, 'en', '2025-07-23 04:00:00+00', NULL, NULL, '2024-12-14 08:00:00+00');

INSERT INTO public.streams (id, streamer_id, title, category_name, language, started_at, ended_at, twitch_stream_id, recording_path, episode_number) VALUES
	(1, 2, 'Stream #1', 'Minecraft', 'en', '2025-01-05 15:13:20+00', '2025-01-05 16:14:20+00', '40000000137', '/recordings/streamer_002/streamer_002_0001.mp4', 1),
	(2, 3, 'Stream #2', 'Elden Ring', 'de', '2025-01-05 22:26:40+00', '2025-01-05 23:28:40+00', '40000000274', '/recordings/streamer_003/streamer_003_0002.mp4', 1),
	(3, 4, 'Stream #3', 'ポケモン 🐉', 'ja', '2025-01-06 05:40:00+00', '2025-01-06 06:43:00+00', '40000000411', '/recordings/streamer_004/streamer_004_0003.mp4', 1),
	(4, 5, 'Stream #4', 'Software and Game Development', NULL, '2025-01-06 12:53:20+00', '2025-01-06 13:57:20+00', '40000000548', '/recordings/streamer_005/streamer_005_0004.mp4', 1),
	(5, 6, 'Stream #5', NULL, 'en', '2025-01-06 20:06:40+00', '2025-01-06 21:11:40+00', '40000000685', NULL, 1),
	(6, 8, 'Stream #6', 'Just Chatting', 'de', '2025-01-07 03:20:00+00', '2025-01-07 04:26:00+00', NULL, '/recordings/streamer_008/streamer_008_0006.mp4', 1),
	(7, 9, 'Let''s play "Dark Souls" – part 7', 'Minecraft', 'ja', '2025-01-07 10:33:20+00', '2025-01-07 11:40:20+00', '40000000959', '/recordings/streamer_009/streamer_009_0007.mp4', 1),
	(8, 10, 'Stream #8', 'Elden Ring', NULL, '2025-01-07 17:46:40+00', '2025-01-07 18:54:40+00', '40000001096', '/recordings/streamer_010/streamer_010_0008.mp4', 1),
	(9, 12, 'Stream #9', 'ポケモン 🐉', 'en', '2025-01-08 01:00:00+00', '2025-01-08 02:09:00+00', '40000001233', '/recordings/streamer_012/streamer_012_0009.mp4', NULL),
	(10, 13, 'Stream #10', 'Software and Game Development', 'de', '2025-01-08 08:13:20+00', '2025-01-08 09:23:20+00', '40000001370', NULL, 1),
	(11, 14, 'ゲーム配信 第11回 🎮', NULL, 'ja', '2025-01-08 15:26:40+00', '2025-01-08 16:37:40+00', '40000001507', '/recordings/streamer_014/streamer_014_0011.mp4', 1),
	(12, 15, 'very long title very long title very long title very long title very long title very long title very long title very long title very long title very long title very long title very long title very long title very long title very long title very long title very long title very long title very long title very long title very long title very long title very long title very long title very long title very long title very long title very long title very long title very long title very long title very', 'Just Chatting', NULL, '2025-01-08 22:40:00+00', '2025-01-08 23:52:00+00', NULL, '/recordings/streamer_015/streamer_015_0012.mp4', 1),
	(13, 16, E'Windows path C:\\games\\13', 'Minecraft', 'en', '2025-01-09 05:53:20+00', '2025-01-09 07:06:20+00', '40000001781', '/recordings/streamer_016/streamer_016_0013.mp4', 1),
	(14, 18, 'Let''s play "Dark Souls" – part 14', 'Elden Ring', 'de', '2025-01-09 13:06:40+00', '2025-01-09 14:20:40+00', '40000001918', '/recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep', 1),
	(15, 19, 'Stream #15', 'ポケモン 🐉', 'ja', '2025-01-09 20:20:00+00', '2025-01-09 21:35:00+00', '', NULL, 1),
	(16, 20, 'Stream #16', 'Software and Game Development', NULL, '2025-01-10 03:33:20+00', '2025-01-10 04:49:20+00', '40000002192', '/recordings/streamer_020/streamer_020_0016.mp4', 1),
	(17, 21, 'Stream #17', NULL, 'en', '2025-01-10 10:46:40+00', '2025-01-10 12:03:40+00', '40000002329', '/recordings/streamer_021/streamer_021_0017.mp4', 1),
	(18, 22, 'Stream #18', 'Just Chatting', 'de', '2025-01-10 18:00:00+00', '2025-01-10 19:18:00+00', NULL, '/recordings/streamer_022/streamer_022_0018.mp4', NULL),
	(19, 1, 'Stream #19', 'Minecraft', 'ja', '2025-01-11 01:13:20+00', '2025-01-11 02:32:20+00', '40000002603', '/recordings/streamer_001/streamer_001_0019.mp4', 1),
	(20, 2, 'Stream #20', 'Elden Ring', NULL, '2025-01-11 08:26:40+00', '2025-01-11 09:46:40+00', '40000002740', NULL, 2),
	(21, 3, 'Let''s play "Dark Souls" – part 21', 'ポケモン 🐉', 'en', '2025-01-11 15:40:00+00', '2025-01-11 17:01:00+00', '40000002877', '/recordings/streamer_003/streamer_003_0021.mp4', 2),
	(22, 4, 'ゲーム配信 第22回 🎮', 'Software and Game Development', 'de', '2025-01-11 22:53:20+00', '2025-01-12 00:15:20+00', '40000003014', '/recordings/streamer_004/streamer_004_0022.mp4', 2),
	(23, 5, 'Stream #23', NULL, 'ja', '2025-01-12 06:06:40+00', '2025-01-12 07:29:40+00', '40000003151', '/recordings/streamer_005/streamer_005_0023.mp4', 2),
	(24, 6, 'Stream #24', 'Just Chatting', NULL, '2025-01-12 13:20:00+00', '2025-01-12 14:44:00+00', NULL, '/recordings/streamer_006/streamer_006_0024.mp4', 2),
	(25, 8, 'Stream #25', 'Minecraft', 'en', '2025-01-12 20:33:20+00', '2025-01-12 21:58:20+00', '40000003425', NULL, 2),
	(26, 9, E'Windows path C:\\games\\26', 'Elden Ring', 'de', '2025-01-13 03:46:40+00', '2025-01-13 05:12:40+00', '40000003562', '/recordings/streamer_009/streamer_009_0026.mp4', 2),
	(27, 10, 'Stream #27', 'ポケモン 🐉', 'ja', '2025-01-13 11:00:00+00', '2025-01-13 12:27:00+00', '40000003699', '/recordings/streamer_010/streamer_010_0027.mp4', NULL),
	(28, 12, 'Let''s play "Dark Souls" – part 28', 'Software and Game Development', NULL, '2025-01-13 18:13:20+00', '2025-01-13 19:41:20+00', '40000003836', '/recordings/streamer_012/streamer_012_0028.mp4', 2),
	(30, 14, 'Stream #30', 'Just Chatting', 'de', '2025-01-14 08:40:00+00', '2025-01-14 10:10:00+00', NULL, NULL, 2),
	(31, 15, 'Stream #31', 'Minecraft', 'ja', '2025-01-14 15:53:20+00', '2025-01-14 17:24:20+00', '40000004247', '/recordings/streamer_015/streamer_015_0031.mp4', 2),
	(32, 16, 'Stream #32', 'Elden Ring', NULL, '2025-01-14 23:06:40+00', '2025-01-15 00:38:40+00', '40000004384', '/recordings/streamer_016/streamer_016_0032.mp4', 2),
	(33, 18, 'ゲーム配信 第33回 🎮', 'ポケモン 🐉', 'en', '2025-01-15 06:20:00+00', '2025-01-15 07:53:00+00', '40000004521', '/recordings/streamer_018/streamer_018_0033.mp4', 2),
	(34, 19, 'Stream #34', 'Software and Game Development', 'de', '2025-01-15 13:33:20+00', '2025-01-15 15:07:20+00', '40000004658', '/recordings/streamer_019/streamer_019_0034.mp4', 2),
	(35, 20, 'Let''s play "Dark Souls" – part 35', NULL, 'ja', '2025-01-15 20:46:40+00', '2025-01-15 22:21:40+00', '40000004795', NULL, 2),
	(36, 21, 'Stream #36', 'Just Chatting', NULL, '2025-01-16 04:00:00+00', '2025-01-16 05:36:00+00', NULL, '/recordings/streamer_021/streamer_021_0036.mp4', NULL),
	(37, 22, 'Stream #37', 'Minecraft', 'en', '2025-01-16 11:13:20+00', '2025-01-16 12:50:20+00', '40000005069', '/recordings/streamer_022/streamer_022_0037.mp4', 2),
	(38, 1, 'Stream #38', 'Elden Ring', 'de', '2025-01-16 18:26:40+00', '2025-01-16 20:04:40+00', '40000005206', '/recordings/streamer_001/streamer_001_0038.mp4', 2),
	(39, 2, E'Windows path C:\\games\\39', 'ポケモン 🐉', 'ja', '2025-01-17 01:40:00+00', '2025-01-17 03:19:00+00', '40000005343', '/recordings/streamer_002/streamer_002_0039.mp4', 2),
	(40, 3, 'Stream #40', 'Software and Game Development', NULL, '2025-01-17 08:53:20+00', '2025-01-17 10:33:20+00', '40000005480', NULL, 3),
	(41, 4, NULL, NULL, 'en', '2025-01-17 16:06:40+00', '2025-01-17 17:47:40+00', '40000005617', '/recordings/streamer_004/streamer_004_0041.mp4', 3),
	(42, 5, 'Let''s play "Dark Souls" – part 42', 'Just Chatting', 'de', '2025-01-17 23:20:00+00', '2025-01-18 01:02:00+00', NULL, '/recordings/streamer_005/streamer_005_0042.mp4', 3),
	(43, 6, '', 'Minecraft', 'ja', '2025-01-18 06:33:20+00', '2025-01-18 08:16:20+00', '40000005891', '/recordings/streamer_006/streamer_006_0043.mp4', 3),
	(44, 8, 'ゲーム配信 第44回 🎮', 'Elden Ring', NULL, '2025-01-18 13:46:40+00', '2025-01-18 15:30:40+00', '40000006028', '/recordings/streamer_008/streamer_008_0044.mp4', 3),
	(45, 9, 'Stream #45', 'ポケモン 🐉', 'en', '2025-01-18 21:00:00+00', '2025-01-18 22:45:00+00', '40000006165', NULL, NULL),
	(46, 10, 'Stream #46', 'Software and Game Development', 'de', '2025-01-19 04:13:20+00', '2025-01-19 05:59:20+00', '40000006302', '/recordings/streamer_010/streamer_010_0046.mp4', 3),
	(47, 12, 'Stream #47', NULL, 'ja', '2025-01-19 11:26:40+00', '2025-01-19 13:13:40+00', '40000006439', '/recordings/streamer_012/streamer_012_0047.mp4', 3),
	(48, 13, 'Stream #48', 'Just Chatting', NULL, '2025-01-19 18:40:00+00', '2025-01-19 20:28:00+00', NULL, '/recordings/streamer_013/streamer_013_0048.mp4', 3),
	(49, 14, 'Let''s play "Dark Souls" – part 49', 'Minecraft', 'en', '2025-01-20 01:53:20+00', '2025-01-20 03:42:20+00', '40000006713', '/recordings/streamer_014/streamer_014_0049.mp4', 3),
	(50, 15, 'Stream #50', 'Elden Ring', 'de', '2025-01-20 09:06:40+00', '2025-01-20 10:56:40+00', '40000006850', NULL, 3),
	(51, 16, 'Stream #51', 'ポケモン 🐉', 'ja', '2025-01-20 16:20:00+00', '2025-01-20 18:11:00+00', '40000006987', '/recordings/streamer_016/streamer_016_0051.mp4', 3),
	(52, 18, E'Windows path C:\\games\\52', 'Software and Game Development', NULL, '2025-01-20 23:33:20+00', '2025-01-21 01:25:20+00', '40000007124', '/recordings/streamer_018/streamer_018_0052.mp4', 3),
	(53, 19, 'Stream #53', NULL, 'en', '2025-01-21 06:46:40+00', NULL, '40000007261', '/recordings/streamer_019/streamer_019_0053.mp4', 3),
	(54, 20, 'Stream #54', 'Just Chatting', 'de', '2025-01-21 14:00:00+00', '2025-01-21 15:54:00+00', NULL, '/recordings/streamer_020/streamer_020_0054.mp4', NULL),
	(55, 21, 'ゲーム配信 第55回 🎮', 'Minecraft', 'ja', '2025-01-21 21:13:20+00', '2025-01-21 23:08:20+00', '40000007535', NULL, 3),
	(56, 22, 'Let''s play "Dark Souls" – part 56', 'Elden Ring', NULL, '2025-01-22 04:26:40+00', '2025-01-22 06:22:40+00', '40000007672', '/recordings/streamer_022/streamer_022_0056.mp4', 3),
	(57, 1, 'Stream #57', 'ポケモン 🐉', 'en', '2025-01-22 11:40:00+00', '2025-01-22 13:37:00+00', '40000007809', '/recordings/streamer_001/streamer_001_0057.mp4', 3),
	(59, 3, 'Stream #59', NULL, 'ja', '2025-01-23 02:06:40+00', '2025-01-23 04:05:40+00', '40000008083', '/recordings/streamer_003/streamer_003_0059.mp4', 3),
	(60, 4, 'Stream #60', 'Just Chatting', NULL, '2025-01-23 09:20:00+00', '2025-01-23 11:20:00+00', NULL, NULL, 4),
	(61, 5, 'Stream #61', 'Minecraft', 'en', '2025-01-23 16:33:20+00', '2025-01-23 18:34:20+00', '40000008357', '/recordings/streamer_005/streamer_005_0061.mp4', 4),
	(62, 6, 'Stream #62', 'Elden Ring', 'de', '2025-01-23 23:46:40+00', '2025-01-24 01:48:40+00', '40000008494', '/recordings/streamer_006/streamer_006_0062.mp4', 4),
	(63, 8, 'Let''s play "Dark Souls" – part 63', 'ポケモン 🐉', 'ja', '2025-01-24 07:00:00+00', '2025-01-24 09:03:00+00', '40000008631', '/recordings/streamer_008/streamer_008_0063.mp4', NULL),
	(64, 9, 'Stream #64', 'Software and Game Development', NULL, '2025-01-24 14:13:20+00', '2025-01-24 16:17:20+00', '40000008768', '/recordings/streamer_009/streamer_009_0064.mp4', 4),
	(65, 10, E'Windows path C:\\games\\65', NULL, 'en', '2025-01-24 21:26:40+00', '2025-01-24 23:31:40+00', '40000008905', NULL, 4),
	(66, 12, 'ゲーム配信 第66回 🎮', 'Just Chatting', 'de', '2025-01-25 04:40:00+00', '2025-01-25 06:46:00+00', NULL, '/recordings/streamer_012/streamer_012_0066.mp4', 4),
	(67, 13, 'Stream #67', 'Minecraft', 'ja', '2025-01-25 11:53:20+00', '2025-01-25 14:00:20+00', '40000009179', '/recordings/streamer_013/streamer_013_0067.mp4', 4),
	(68, 14, 'Stream #68', 'Elden Ring', NULL, '2025-01-25 19:06:40+00', '2025-01-25 21:14:40+00', '40000009316', '/recordings/streamer_014/streamer_014_0068.mp4', 4),
	(69, 15, 'Stream #69', 'ポケモン 🐉', 'en', '2025-01-26 02:20:00+00', '2025-01-26 04:29:00+00', '40000009453', '/recordings/streamer_015/streamer_015_0069.mp4', 4),
	(70, 16, 'Let''s play "Dark Souls" – part 70', 'Software and Game Development', 'de', '2025-01-26 09:33:20+00', '2025-01-26 11:43:20+00', '40000009590', NULL, 4),
	(71, 18, 'Stream #71', NULL, 'ja', '2025-01-26 16:46:40+00', '2025-01-26 18:57:40+00', '40000009727', '/recordings/streamer_018/streamer_018_0071.mp4', 4),
	(72, 19, 'Stream #72', 'Just Chatting', NULL, '2025-01-27 00:00:00+00', '2025-01-27 02:12:00+00', NULL, '/recordings/streamer_019/streamer_019_0072.mp4', NULL),
	(73, 20, 'Stream #73', 'Minecraft', 'en', '2025-01-27 07:13:20+00', '2025-01-27 09:26:20+00', '40000010001', '/recordings/streamer_020/streamer_020_0073.mp4', 4),
	(74, 21, 'Stream #74', 'Elden Ring', 'de', '2025-01-27 14:26:40+00', '2025-01-27 16:40:40+00', '40000010138', '/recordings/streamer_021/streamer_021_0074.mp4', 4),
	(75, 22, 'Stream #75', 'ポケモン 🐉', 'ja', '2025-01-27 21:40:00+00', '2025-01-27 23:55:00+00', '40000010275', NULL, 4),
	(76, 1, 'Stream #76', 'Software and Game Development', NULL, '2025-01-28 04:53:20+00', '2025-01-28 07:09:20+00', '40000010412', '/recordings/streamer_001/streamer_001_0076.mp4', 4),
	(77, 2, 'ゲーム配信 第77回 🎮', NULL, 'en', '2025-01-28 12:06:40+00', '2025-01-28 14:23:40+00', '40000010549', '/recordings/streamer_002/streamer_002_0077.mp4', 4),
	(78, 3, E'Windows path C:\\games\\78', 'Just Chatting', 'de', '2025-01-28 19:20:00+00', '2025-01-28 21:38:00+00', NULL, '/recordings/streamer_003/streamer_003_0078.mp4', 4),
	(79, 4, 'Stream #79', 'Minecraft', 'ja', '2025-01-29 02:33:20+00', '2025-01-29 04:52:20+00', '40000010823', '/recordings/streamer_004/streamer_004_0079.mp4', 4),
	(80, 5, 'Stream #80', 'Elden Ring', NULL, '2025-01-29 09:46:40+00', '2025-01-29 12:06:40+00', '40000010960', NULL, 5),
	(81, 6, 'Stream #81', 'ポケモン 🐉', 'en', '2025-01-29 17:00:00+00', '2025-01-29 19:21:00+00', '40000011097', '/recordings/streamer_006/streamer_006_0081.mp4', NULL),
	(82, 8, NULL, 'Software and Game Development', 'de', '2025-01-30 00:13:20+00', '2025-01-30 02:35:20+00', '40000011234', '/recordings/streamer_008/streamer_008_0082.mp4', 5),
	(83, 9, 'Stream #83', NULL, 'ja', '2025-01-30 07:26:40+00', '2025-01-30 09:49:40+00', '40000011371', '/recordings/streamer_009/streamer_009_0083.mp4', 5),
	(84, 10, 'Let''s play "Dark Souls" – part 84', 'Just Chatting', NULL, '2025-01-30 14:40:00+00', '2025-01-30 17:04:00+00', NULL, '/recordings/streamer_010/streamer_010_0084.mp4', 5),
	(85, 12, 'Stream #85', 'Minecraft', 'en', '2025-01-30 21:53:20+00', '2025-01-31 00:18:20+00', '40000011645', NULL, 5),
	(86, 13, '', 'Elden Ring', 'de', '2025-01-31 05:06:40+00', '2025-01-31 07:32:40+00', '40000011782', '/recordings/streamer_013/streamer_013_0086.mp4', 5),
	(88, 15, 'ゲーム配信 第88回 🎮', 'Software and Game Development', NULL, '2025-01-31 19:33:20+00', '2025-01-31 22:01:20+00', '40000012056', '/recordings/streamer_015/streamer_015_0088.mp4', 5),
	(89, 16, 'Stream #89', NULL, 'en', '2025-02-01 02:46:40+00', '2025-02-01 05:15:40+00', '40000012193', '/recordings/streamer_016/streamer_016_0089.mp4', 5),
	(90, 18, 'Stream #90', 'Just Chatting', 'de', '2025-02-01 10:00:00+00', '2025-02-01 12:30:00+00', NULL, NULL, NULL),
	(91, 19, 'Let''s play "Dark Souls" – part 91', 'Minecraft', 'ja', '2025-02-01 17:13:20+00', '2025-02-01 19:44:20+00', '40000012467', '/recordings/streamer_019/streamer_019_0091.mp4', 5),
	(92, 20, 'Stream #92', 'Elden Ring', NULL, '2025-02-02 00:26:40+00', '2025-02-02 02:58:40+00', '40000012604', '/recordings/streamer_020/streamer_020_0092.mp4', 5),
	(93, 21, 'Stream #93', 'ポケモン 🐉', 'en', '2025-02-02 07:40:00+00', '2025-02-02 10:13:00+00', '40000012741', '/recordings/streamer_021/streamer_021_0093.mp4', 5),
	(94, 22, 'Stream #94', 'Software and Game Development', 'de', '2025-02-02 14:53:20+00', '2025-02-02 17:27:20+00', '40000012878', '/recordings/streamer_022/streamer_022_0094.mp4', 5),
	(95, 1, 'Stream #95', NULL, 'ja', '2025-02-02 22:06:40+00', '2025-02-03 00:41:40+00', '40000013015', NULL, 5),
	(96, 2, 'Stream #96', 'Just Chatting', NULL, '2025-02-03 05:20:00+00', '2025-02-03 07:56:00+00', NULL, '/recordings/streamer_002/streamer_002_0096.mp4', 5),
	(97, 3, 'Stream #97', 'Minecraft', 'en', '2025-02-03 12:33:20+00', '2025-02-03 13:33:20+00', '40000013289', '/recordings/streamer_003/streamer_003_0097.mp4', 5),
	(98, 4, 'Let''s play "Dark Souls" – part 98', 'Elden Ring', 'de', '2025-02-03 19:46:40+00', '2025-02-03 20:47:40+00', '40000013426', '/recordings/streamer_004/streamer_004_0098.mp4', 5),
	(99, 5, 'ゲーム配信 第99回 🎮', 'ポケモン 🐉', 'ja', '2025-02-04 03:00:00+00', '2025-02-04 04:02:00+00', '40000013563', '/recordings/streamer_005/streamer_005_0099.mp4', NULL),
	(100, 6, 'Stream #100', 'Software and Game Development', NULL, '2025-02-04 10:13:20+00', '2025-02-04 11:16:20+00', '40000013700', NULL, 6),
	(101, 8, 'Stream #101', NULL, 'en', '2025-02-04 17:26:40+00', '2025-02-04 18:30:40+00', '40000013837', '/recordings/streamer_008/streamer_008_0101.mp4', 6),
	(102, 9, 'Stream #102', 'Just Chatting', 'de', '2025-02-05 00:40:00+00', '2025-02-05 01:45:00+00', NULL, '/recordings/streamer_009/streamer_009_0102.mp4', 6),
	(103, 10, 'Stream #103', 'Minecraft', 'ja', '2025-02-05 07:53:20+00', '2025-02-05 08:59:20+00', '40000014111', '/recordings/streamer_010/streamer_010_0103.mp4', 6),
	(104, 12, E'Windows path C:\\games\\104', 'Elden Ring', NULL, '2025-02-05 15:06:40+00', '2025-02-05 16:13:40+00', '40000014248', '/recordings/streamer_012/streamer_012_0104.mp4', 6),
	(105, 13, 'Let''s play "Dark Souls" – part 105', 'ポケモン 🐉', 'en', '2025-02-05 22:20:00+00', '2025-02-05 23:28:00+00', '40000014385', NULL, 6),
	(106, 14, 'Stream #106', 'Software and Game Development', 'de', '2025-02-06 05:33:20+00', NULL, '40000014522', '/recordings/streamer_014/streamer_014_0106.mp4', 6),
	(107, 15, 'Stream #107', NULL, 'ja', '2025-02-06 12:46:40+00', '2025-02-06 13:56:40+00', '40000014659', '/recordings/streamer_015/streamer_015_0107.mp4', 6),
	(108, 16, 'Stream #108', 'Just Chatting', NULL, '2025-02-06 20:00:00+00', '2025-02-06 21:11:00+00', NULL, '/recordings/streamer_016/streamer_016_0108.mp4', NULL),
	(109, 18, 'Stream #109', 'Minecraft', 'en', '2025-02-07 03:13:20+00', '2025-02-07 04:25:20+00', '40000014933', '/recordings/streamer_018/streamer_018_0109.mp4', 6),
	(110, 19, 'ゲーム配信 第110回 🎮', 'Elden Ring', 'de', '2025-02-07 10:26:40+00', '2025-02-07 11:39:40+00', '40000015070', NULL, 6),
	(111, 20, 'Stream #111', 'ポケモン 🐉', 'ja', '2025-02-07 17:40:00+00', '2025-02-07 18:54:00+00', '40000015207', '/recordings/streamer_020/streamer_020_0111.mp4', 6),
	(112, 21, 'Let''s play "Dark Souls" – part 112', 'Software and Game Development', NULL, '2025-02-08 00:53:20+00', '2025-02-08 02:08:20+00', '40000015344', '/recordings/streamer_021/streamer_021_0112.mp4', 6),
	(113, 22, 'Stream #113', NULL, 'en', '2025-02-08 08:06:40+00', '2025-02-08 09:22:40+00', '40000015481', '/recordings/streamer_022/streamer_022_0113.mp4', 6),
	(114, 1, 'Stream #114', 'Just Chatting', 'de', '2025-02-08 15:20:00+00', '2025-02-08 16:37:00+00', NULL, '/recordings/streamer_001/streamer_001_0114.mp4', 6),
	(115, 2, 'Stream #115', 'Minecraft', 'ja', '2025-02-08 22:33:20+00', '2025-02-08 23:51:20+00', '40000015755', NULL, 6),
	(117, 4, E'Windows path C:\\games\\117', 'ポケモン 🐉', 'en', '2025-02-09 13:00:00+00', '2025-02-09 14:20:00+00', '40000016029', '/recordings/streamer_004/streamer_004_0117.mp4', NULL),
	(118, 5, 'Stream #118', 'Software and Game Development', 'de', '2025-02-09 20:13:20+00', '2025-02-09 21:34:20+00', '40000016166', '/recordings/streamer_005/streamer_005_0118.mp4', 6),
	(119, 6, 'Let''s play "Dark Souls" – part 119', NULL, 'ja', '2025-02-10 03:26:40+00', '2025-02-10 04:48:40+00', '40000016303', '/recordings/streamer_006/streamer_006_0119.mp4', 6),
	(120, 8, 'Stream #120', 'Just Chatting', NULL, '2025-02-10 10:40:00+00', '2025-02-10 12:03:00+00', NULL, NULL, 7),
	(121, 9, 'ゲーム配信 第121回 🎮', 'Minecraft', 'en', '2025-02-10 17:53:20+00', '2025-02-10 19:17:20+00', '40000016577', '/recordings/streamer_009/streamer_009_0121.mp4', 7),
	(122, 10, 'Stream #122', 'Elden Ring', 'de', '2025-02-11 01:06:40+00', '2025-02-11 02:31:40+00', '40000016714', '/recordings/streamer_010/streamer_010_0122.mp4', 7),
	(123, 12, NULL, 'ポケモン 🐉', 'ja', '2025-02-11 08:20:00+00', '2025-02-11 09:46:00+00', '40000016851', '/recordings/streamer_012/streamer_012_0123.mp4', 7),
	(124, 13, 'Stream #124', 'Software and Game Development', NULL, '2025-02-11 15:33:20+00', '2025-02-11 17:00:20+00', '40000016988', '/recordings/streamer_013/streamer_013_0124.mp4', 7),
	(125, 14, 'Stream #125', NULL, 'en', '2025-02-11 22:46:40+00', '2025-02-12 00:14:40+00', '40000017125', NULL, 7),
	(126, 15, 'Let''s play "Dark Souls" – part 126', 'Just Chatting', 'de', '2025-02-12 06:00:00+00', '2025-02-12 07:29:00+00', NULL, '/recordings/streamer_015/streamer_015_0126.mp4', NULL),
	(127, 16, 'Stream #127', 'Minecraft', 'ja', '2025-02-12 13:13:20+00', '2025-02-12 14:43:20+00', '40000017399', '/recordings/streamer_016/streamer_016_0127.mp4', 7),
	(128, 18, 'Stream #128', 'Elden Ring', NULL, '2025-02-12 20:26:40+00', '2025-02-12 21:57:40+00', '40000017536', '/recordings/streamer_018/streamer_018_0128.mp4', 7),
	(129, 19, '', 'ポケモン 🐉', 'en', '2025-02-13 03:40:00+00', '2025-02-13 05:12:00+00', '40000017673', '/recordings/streamer_019/streamer_019_0129.mp4', 7),
	(130, 20, E'Windows path C:\\games\\130', 'Software and Game Development', 'de', '2025-02-13 10:53:20+00', '2025-02-13 12:26:20+00', '40000017810', NULL, 7),
	(131, 21, 'Stream #131', NULL, 'ja', '2025-02-13 18:06:40+00', '2025-02-13 19:40:40+00', '40000017947', '/recordings/streamer_021/streamer_021_0131.mp4', 7),
	(132, 22, 'ゲーム配信 第132回 🎮', 'Just Chatting', NULL, '2025-02-14 01:20:00+00', '2025-02-14 02:55:00+00', NULL, '/recordings/streamer_022/streamer_022_0132.mp4', 7),
	(133, 1, 'Let''s play "Dark Souls" – part 133', 'Minecraft', 'en', '2025-02-14 08:33:20+00', '2025-02-14 10:09:20+00', '40000018221', '/recordings/streamer_001/streamer_001_0133.mp4', 7),
	(134, 2, 'Stream #134', 'Elden Ring', 'de', '2025-02-14 15:46:40+00', '2025-02-14 17:23:40+00', '40000018358', '/recordings/streamer_002/streamer_002_0134.mp4', 7),
	(135, 3, 'Stream #135', 'ポケモン 🐉', 'ja', '2025-02-14 23:00:00+00', '2025-02-15 00:38:00+00', '40000018495', NULL, NULL),
	(136, 4, 'Stream #136', 'Software and Game Development', NULL, '2025-02-15 06:13:20+00', '2025-02-15 07:52:20+00', '40000018632', '/recordings/streamer_004/streamer_004_0136.mp4', 7),
	(137, 5, 'Stream #137', NULL, 'en', '2025-02-15 13:26:40+00', '2025-02-15 15:06:40+00', '40000018769', '/recordings/streamer_005/streamer_005_0137.mp4', 7),
	(138, 6, 'Stream #138', 'Just Chatting', 'de', '2025-02-15 20:40:00+00', '2025-02-15 22:21:00+00', NULL, '/recordings/streamer_006/streamer_006_0138.mp4', 7),
	(139, 8, 'Stream #139', 'Minecraft', 'ja', '2025-02-16 03:53:20+00', '2025-02-16 05:35:20+00', '40000019043', '/recordings/streamer_008/streamer_008_0139.mp4', 7),
	(140, 9, 'Let''s play "Dark Souls" – part 140', 'Elden Ring', NULL, '2025-02-16 11:06:40+00', '2025-02-16 12:49:40+00', '40000019180', NULL, 8),
	(141, 10, 'Stream #141', 'ポケモン 🐉', 'en', '2025-02-16 18:20:00+00', '2025-02-16 20:04:00+00', '40000019317', '/recordings/streamer_010/streamer_010_0141.mp4', 8),
	(142, 12, 'Stream #142', 'Software and Game Development', 'de', '2025-02-17 01:33:20+00', '2025-02-17 03:18:20+00', '40000019454', '/recordings/streamer_012/streamer_012_0142.mp4', 8),
	(143, 13, 'ゲーム配信 第143回 🎮', NULL, 'ja', '2025-02-17 08:46:40+00', '2025-02-17 10:32:40+00', '40000019591', '/recordings/streamer_013/streamer_013_0143.mp4', 8),
	(144, 14, 'Stream #144', 'Just Chatting', NULL, '2025-02-17 16:00:00+00', '2025-02-17 17:47:00+00', NULL, '/recordings/streamer_014/streamer_014_0144.mp4', NULL),
	(146, 16, 'Stream #146', 'Elden Ring', 'de', '2025-02-18 06:26:40+00', '2025-02-18 08:15:40+00', '40000020002', '/recordings/streamer_016/streamer_016_0146.mp4', 8),
	(147, 18, 'Let''s play "Dark Souls" – part 147', 'ポケモン 🐉', 'ja', '2025-02-18 13:40:00+00', '2025-02-18 15:30:00+00', '40000020139', '/recordings/streamer_018/streamer_018_0147.mp4', 8),
	(148, 19, 'Stream #148', 'Software and Game Development', NULL, '2025-02-18 20:53:20+00', '2025-02-18 22:44:20+00', '40000020276', '/recordings/streamer_019/streamer_019_0148.mp4', 8),
	(149, 20, 'Stream #149', NULL, 'en', '2025-02-19 04:06:40+00', '2025-02-19 05:58:40+00', '40000020413', '/recordings/streamer_020/streamer_020_0149.mp4', 8),
	(150, 21, 'Stream #150', 'Just Chatting', 'de', '2025-02-19 11:20:00+00', '2025-02-19 13:13:00+00', NULL, NULL, 8),
	(151, 22, 'Stream #151', 'Minecraft', 'ja', '2025-02-19 18:33:20+00', '2025-02-19 20:27:20+00', '40000020687', '/recordings/streamer_022/streamer_022_0151.mp4', 8),
	(152, 1, 'Stream #152', 'Elden Ring', NULL, '2025-02-20 01:46:40+00', '2025-02-20 03:41:40+00', '40000020824', '/recordings/streamer_001/streamer_001_0152.mp4', 8),
	(153, 2, 'Stream #153', 'ポケモン 🐉', 'en', '2025-02-20 09:00:00+00', '2025-02-20 10:56:00+00', '40000020961', '/recordings/streamer_002/streamer_002_0153.mp4', NULL),
	(154, 3, 'ゲーム配信 第154回 🎮', 'Software and Game Development', 'de', '2025-02-20 16:13:20+00', '2025-02-20 18:10:20+00', '40000021098', '/recordings/streamer_003/streamer_003_0154.mp4', 8),
	(155, 4, 'Stream #155', NULL, 'ja', '2025-02-20 23:26:40+00', '2025-02-21 01:24:40+00', '40000021235', NULL, 8),
	(156, 5, E'Windows path C:\\games\\156', 'Just Chatting', NULL, '2025-02-21 06:40:00+00', '2025-02-21 08:39:00+00', NULL, '/recordings/streamer_005/streamer_005_0156.mp4', 8),
	(157, 6, 'Stream #157', 'Minecraft', 'en', '2025-02-21 13:53:20+00', '2025-02-21 15:53:20+00', '40000021509', '/recordings/streamer_006/streamer_006_0157.mp4', 8),
	(158, 8, 'Stream #158', 'Elden Ring', 'de', '2025-02-21 21:06:40+00', '2025-02-21 23:07:40+00', '40000021646', '/recordings/streamer_008/streamer_008_0158.mp4', 8),
	(159, 9, 'Stream #159', 'ポケモン 🐉', 'ja', '2025-02-22 04:20:00+00', NULL, '40000021783', '/recordings/streamer_009/streamer_009_0159.mp4', 8),
	(160, 10, 'Stream #160', 'Software and Game Development', NULL, '2025-02-22 11:33:20+00', '2025-02-22 13:36:20+00', '40000021920', NULL, 9),
	(161, 12, 'Let''s play "Dark Souls" – part 161', NULL, 'en', '2025-02-22 18:46:40+00', '2025-02-22 20:50:40+00', '40000022057', '/recordings/streamer_012/streamer_012_0161.mp4', 9),
	(162, 13, 'Stream #162', 'Just Chatting', 'de', '2025-02-23 02:00:00+00', '2025-02-23 04:05:00+00', NULL, '/recordings/streamer_013/streamer_013_0162.mp4', NULL),
	(163, 14, 'Stream #163', 'Minecraft', 'ja', '2025-02-23 09:13:20+00', '2025-02-23 11:19:20+00', '40000022331', '/recordings/streamer_014/streamer_014_0163.mp4', 9),
	(164, 15, NULL, 'Elden Ring', NULL, '2025-02-23 16:26:40+00', '2025-02-23 18:33:40+00', '40000022468', '/recordings/streamer_015/streamer_015_0164.mp4', 9),
	(165, 16, 'ゲーム配信 第165回 🎮', 'ポケモン 🐉', 'en', '2025-02-23 23:40:00+00', '2025-02-24 01:48:00+00', '40000022605', NULL, 9),
	(166, 18, 'Stream #166', 'Software and Game Development', 'de', '2025-02-24 06:53:20+00', '2025-02-24 09:02:20+00', '40000022742', '/recordings/streamer_018/streamer_018_0166.mp4', 9),
	(167, 19, 'Stream #167', NULL, 'ja', '2025-02-24 14:06:40+00', '2025-02-24 16:16:40+00', '40000022879', '/recordings/streamer_019/streamer_019_0167.mp4', 9),
	(168, 20, 'Let''s play "Dark Souls" – part 168', 'Just Chatting', NULL, '2025-02-24 21:20:00+00', '2025-02-24 23:31:00+00', NULL, '/recordings/streamer_020/streamer_020_0168.mp4', 9),
	(169, 21, E'Windows path C:\\games\\169', 'Minecraft', 'en', '2025-02-25 04:33:20+00', '2025-02-25 06:45:20+00', '40000023153', '/recordings/streamer_021/streamer_021_0169.mp4', 9),
	(170, 22, 'Stream #170', 'Elden Ring', 'de', '2025-02-25 11:46:40+00', '2025-02-25 13:59:40+00', '40000023290', NULL, 9),
	(171, 1, 'Stream #171', 'ポケモン 🐉', 'ja', '2025-02-25 19:00:00+00', NULL, '40000023427', '/recordings/streamer_001/streamer_001_0171.mp4', NULL),
	(172, 2, '', 'Software and Game Development', NULL, '2025-02-26 02:13:20+00', NULL, '40000023564', '/recordings/streamer_002/streamer_002_0172.mp4', 9),
	(173, 3, 'Stream #173', NULL, 'en', '2025-02-26 09:26:40+00', NULL, '40000023701', '/recordings/streamer_003/streamer_003_0173.mp4', 9),
	(175, 5, 'Let''s play "Dark Souls" – part 175', 'Minecraft', 'ja', '2025-02-26 23:53:20+00', NULL, '40000023975', NULL, 9),
	(176, 6, 'ゲーム配信 第176回 🎮', 'Elden Ring', NULL, '2025-02-27 07:06:40+00', NULL, '40000024112', '/recordings/streamer_006/streamer_006_0176.mp4', 9),
	(177, 8, 'Stream #177', 'ポケモン 🐉', 'en', '2025-02-27 14:20:00+00', NULL, '40000024249', '/recordings/streamer_008/streamer_008_0177.mp4', 9),
	(178, 9, 'Stream #178', 'Software and Game Development', 'de', '2025-02-27 21:33:20+00', NULL, '40000024386', '/recordings/streamer_009/streamer_009_0178.mp4', 9),
	(179, 10, 'Stream #179', NULL, 'ja', '2025-02-28 04:46:40+00', NULL, '40000024523', '/recordings/streamer_010/streamer_010_0179.mp4', 9),
	(180, 12, 'Stream #180', 'Just Chatting', NULL, '2025-02-28 12:00:00+00', NULL, NULL, NULL, NULL),
	(201, 1, 'tie A', 'Just Chatting', 'en', '2025-07-21 06:00:00+00', '2025-07-21 08:00:00+00', '41000000201', NULL, NULL),
	(202, 1, 'tie B', 'Minecraft', 'en', '2025-07-21 07:00:00+00', '2025-07-21 08:00:00+00', '41000000202', NULL, NULL),
	(203, 2, NULL, NULL, 'ja', '2025-07-22 07:00:00+00', '2025-07-22 08:00:00+00', '41000000203', NULL, NULL),
	(204, 2, 'live now 🔴', 'Just Chatting', 'ja', '2025-07-24 07:30:00+00', NULL, '41000000204', NULL, NULL),
	(205, 8, 'only a live stream', 'Just Chatting', 'ko', '2025-07-24 16:50:00+09', NULL, '41000000205', NULL, NULL),
	(210, 3, NULL, 'Music', NULL, '2025-07-19 08:00:00+00', NULL, '42000000001', NULL, NULL),
	(211, 3, 'dup group A – has recording', 'Music', 'en', '2025-07-19 08:00:05+00', '2025-07-19 10:00:00+00', '42000000001', '/recordings/O''Brien/a.mp4', NULL),
	(212, 5, 'dup group B #1', NULL, 'en', '2025-07-20 08:00:00+00', '2025-07-20 09:00:00+00', '42000000002', NULL, NULL),
	(213, 5, 'dup group B #2 – has events', 'Fortnite', NULL, '2025-07-20 08:00:02+00', NULL, '42000000002', NULL, NULL),
	(214, 6, NULL, NULL, NULL, NULL, NULL, '42000000002', '/recordings/Müller_Zoë/b.mp4', NULL),
	(215, 9, 'dup across streamers (9)', '', '', '2025-07-18 08:00:00+00', '2025-07-18 08:01:00+00', '42000000003', NULL, NULL),
	(216, 10, 'dup across streamers (10)', NULL, 'fr', '2025-07-18 08:00:01+00', '2025-07-18 08:02:00+00', '42000000003', NULL, NULL),
	(217, 12, 'empty-string id twin', NULL, 'en', '2025-07-17 08:00:00+00', '2025-07-17 08:01:00+00', '', NULL, NULL);

INSERT INTO public.notification_settings (id, streamer_id, notify_on_live, notify_on_title_change, notify_on_category_change, created_at) VALUES
	(1, 1, TRUE, FALSE, NULL, '2025-04-15 08:01:00+00'),
	(2, 2, TRUE, TRUE, NULL, '2025-04-15 08:02:00+00'),
	(3, 3, TRUE, FALSE, NULL, '2025-04-15 08:03:00+00'),
	(4, 4, TRUE, TRUE, NULL, NULL),
	(5, 5, TRUE, FALSE, NULL, '2025-04-15 08:05:00+00'),
	(6, 6, TRUE, TRUE, NULL, '2025-04-15 08:06:00+00'),
	(7, 7, TRUE, FALSE, NULL, '2025-04-15 08:07:00+00'),
	(8, 8, TRUE, TRUE, NULL, NULL);

INSERT INTO public.streamer_recording_settings (id, streamer_id, auto_record, quality, output_path, enabled, created_at, updated_at) VALUES
	(1, 1, TRUE, 'best', NULL, TRUE, '2025-04-25 08:00:00+00', '2025-04-25 08:00:00+00'),
	(2, 2, FALSE, '1080p60', '/recordings/ストリーマー', TRUE, '2025-05-05 08:00:00+00', '2025-07-23 08:00:00+00'),
	(3, 3, NULL, NULL, '', FALSE, NULL, NULL),
	(4, 5, TRUE, 'audio_only', NULL, TRUE, '2025-05-15 08:00:00+00', NULL),
	(6, 12, NULL, NULL, NULL, NULL, NULL, NULL);

INSERT INTO public.stream_events (id, stream_id, event_type, title, category_name, language, "timestamp") VALUES
	(1, 1, 'stream.online', 'Stream #1', 'Minecraft', 'en', '2025-01-05 15:13:20+00'),
	(2, 1, 'stream.offline', NULL, 'Minecraft', 'en', '2025-01-05 16:14:20+00'),
	(3, 2, 'stream.online', 'Stream #2', 'Elden Ring', 'de', '2025-01-05 22:26:40+00'),
	(4, 2, 'stream.offline', NULL, 'Elden Ring', 'de', '2025-01-05 23:28:40+00'),
	(5, 3, 'stream.online', 'Stream #3', 'ポケモン 🐉', 'ja', '2025-01-06 05:40:00+00'),
	(6, 3, 'channel.update', 'Renamed: Stream #3', 'ポケモン 🐉', 'ja', '2025-01-06 06:43:00+00'),
	(7, 4, 'stream.online', 'Stream #4', 'Software and Game Development', NULL, '2025-01-06 12:53:20+00'),
	(8, 4, 'stream.offline', NULL, 'Software and Game Development', NULL, '2025-01-06 13:57:20+00'),
	(9, 5, 'stream.online', 'Stream #5', NULL, 'en', '2025-01-06 20:06:40+00'),
	(10, 5, 'stream.offline', NULL, NULL, 'en', '2025-01-06 21:11:40+00'),
	(11, 6, 'stream.online', 'Stream #6', 'Just Chatting', 'de', '2025-01-07 03:20:00+00'),
	(12, 6, 'channel.update', 'Renamed: Stream #6', 'Just Chatting', 'de', '2025-01-07 04:26:00+00'),
	(13, 7, 'stream.online', 'Let''s play "Dark Souls" – part 7', 'Minecraft', 'ja', '2025-01-07 10:33:20+00'),
	(14, 7, 'stream.offline', NULL, 'Minecraft', 'ja', '2025-01-07 11:40:20+00'),
	(15, 8, 'stream.online', 'Stream #8', 'Elden Ring', NULL, '2025-01-07 17:46:40+00'),
	(16, 8, 'stream.offline', NULL, 'Elden Ring', NULL, '2025-01-07 18:54:40+00'),
	(17, 9, 'stream.online', 'Stream #9', 'ポケモン 🐉', 'en', '2025-01-08 01:00:00+00'),
	(18, 9, 'channel.update', 'Renamed: Stream #9', 'ポケモン 🐉', 'en', '2025-01-08 02:09:00+00'),
	(19, 10, 'stream.online', 'Stream #10', 'Software and Game Development', 'de', '2025-01-08 08:13:20+00'),
	(20, 10, 'stream.offline', NULL, 'Software and Game Development', 'de', '2025-01-08 09:23:20+00'),
	(21, 11, 'stream.online', 'ゲーム配信 第11回 🎮', NULL, 'ja', '2025-01-08 15:26:40+00'),
	(22, 11, 'stream.offline', NULL, NULL, 'ja', '2025-01-08 16:37:40+00'),
	(23, 12, 'stream.online', 'long', 'Just Chatting', NULL, '2025-01-08 22:40:00+00'),
	(24, 12, 'channel.update', NULL, 'Just Chatting', NULL, '2025-01-08 23:52:00+00'),
	(25, 13, 'stream.online', E'Windows path C:\\games\\13', 'Minecraft', 'en', '2025-01-09 05:53:20+00'),
	(26, 13, 'stream.offline', NULL, 'Minecraft', 'en', '2025-01-09 07:06:20+00'),
	(27, 14, 'stream.online', 'Let''s play "Dark Souls" – part 14', 'Elden Ring', 'de', '2025-01-09 13:06:40+00'),
	(28, 14, 'stream.offline', NULL, 'Elden Ring', 'de', '2025-01-09 14:20:40+00'),
	(29, 15, 'stream.online', 'Stream #15', 'ポケモン 🐉', 'ja', '2025-01-09 20:20:00+00'),
	(30, 15, 'channel.update', 'Renamed: Stream #15', 'ポケモン 🐉', 'ja', '2025-01-09 21:35:00+00'),
	(31, 16, 'stream.online', 'Stream #16', 'Software and Game Development', NULL, '2025-01-10 03:33:20+00'),
	(32, 16, 'stream.offline', NULL, 'Software and Game Development', NULL, '2025-01-10 04:49:20+00'),
	(33, 17, 'stream.online', 'Stream #17', NULL, 'en', '2025-01-10 10:46:40+00'),
	(34, 17, 'stream.offline', NULL, NULL, 'en', '2025-01-10 12:03:40+00'),
	(35, 18, 'stream.online', 'Stream #18', 'Just Chatting', 'de', '2025-01-10 18:00:00+00'),
	(36, 18, 'channel.update', 'Renamed: Stream #18', 'Just Chatting', 'de', '2025-01-10 19:18:00+00'),
	(37, 19, 'stream.online', 'Stream #19', 'Minecraft', 'ja', '2025-01-11 01:13:20+00'),
	(38, 19, 'stream.offline', NULL, 'Minecraft', 'ja', '2025-01-11 02:32:20+00'),
	(39, 20, 'stream.online', 'Stream #20', 'Elden Ring', NULL, '2025-01-11 08:26:40+00'),
	(40, 20, 'stream.offline', NULL, 'Elden Ring', NULL, '2025-01-11 09:46:40+00'),
	(41, 21, 'stream.online', 'Let''s play "Dark Souls" – part 21', 'ポケモン 🐉', 'en', '2025-01-11 15:40:00+00'),
	(42, 21, 'channel.update', 'Renamed: Let''s play "Dark Souls" – part 21', 'ポケモン 🐉', 'en', '2025-01-11 17:01:00+00'),
	(43, 22, 'stream.online', 'ゲーム配信 第22回 🎮', 'Software and Game Development', 'de', '2025-01-11 22:53:20+00'),
	(44, 22, 'stream.offline', NULL, 'Software and Game Development', 'de', '2025-01-12 00:15:20+00'),
	(45, 23, 'stream.online', 'Stream #23', NULL, 'ja', '2025-01-12 06:06:40+00'),
	(46, 23, 'stream.offline', NULL, NULL, 'ja', '2025-01-12 07:29:40+00'),
	(47, 24, 'stream.online', 'Stream #24', 'Just Chatting', NULL, '2025-01-12 13:20:00+00'),
	(48, 24, 'channel.update', 'Renamed: Stream #24', 'Just Chatting', NULL, '2025-01-12 14:44:00+00'),
	(401, NULL, 'stream.online', 'orphaned event (stream deleted)', NULL, NULL, '2025-07-15 08:00:00+00'),
	(402, 204, 'stream.online', 'live now 🔴', 'Just Chatting', 'ja', NULL),
	(403, 213, 'stream.online', 'dup group B #2', NULL, NULL, '2025-07-20 08:00:02+00'),
	(404, 211, 'stream.offline', NULL, NULL, NULL, '2025-07-19 10:00:00+00');

INSERT INTO public.stream_metadata (id, stream_id, thumbnail_url, viewer_count, max_viewer_count, tags, mature, original_language, original_title, original_category, created_at, updated_at) VALUES
	(1, 1, NULL, 10, 25, '["English","Chill"]', FALSE, 'en', 'Stream #1', 'Minecraft', '2025-01-05 15:13:20+00', '2025-01-05 16:14:20+00'),
	(2, 2, 'https://static-cdn.jtvnw.net/previews-ttv/live_user_2-1920x1080.jpg', 20, 50, '["日本語","🎮"]', FALSE, 'de', 'Stream #2', 'Elden Ring', '2025-01-05 22:26:40+00', '2025-01-05 23:28:40+00'),
	(3, 3, NULL, 30, 75, NULL, FALSE, 'ja', 'Stream #3', 'ポケモン 🐉', '2025-01-06 05:40:00+00', '2025-01-06 06:43:00+00'),
	(4, 4, 'https://static-cdn.jtvnw.net/previews-ttv/live_user_4-1920x1080.jpg', 40, 100, '["English","Chill"]', TRUE, NULL, 'Stream #4', 'Software and Game Development', '2025-01-06 12:53:20+00', '2025-01-06 13:57:20+00'),
	(5, 5, NULL, 50, 125, '["日本語","🎮"]', FALSE, 'en', 'Stream #5', NULL, '2025-01-06 20:06:40+00', '2025-01-06 21:11:40+00'),
	(6, 6, 'https://static-cdn.jtvnw.net/previews-ttv/live_user_6-1920x1080.jpg', 60, 150, NULL, FALSE, 'de', 'Stream #6', 'Just Chatting', '2025-01-07 03:20:00+00', '2025-01-07 04:26:00+00'),
	(7, 7, NULL, 70, 175, '["English","Chill"]', NULL, 'ja', 'Let''s play "Dark Souls" – part 7', 'Minecraft', '2025-01-07 10:33:20+00', '2025-01-07 11:40:20+00'),
	(8, 8, 'https://static-cdn.jtvnw.net/previews-ttv/live_user_8-1920x1080.jpg', 80, 200, '["日本語","🎮"]', TRUE, NULL, 'Stream #8', 'Elden Ring', '2025-01-07 17:46:40+00', '2025-01-07 18:54:40+00'),
	(9, 9, NULL, 90, 225, NULL, FALSE, 'en', 'Stream #9', 'ポケモン 🐉', '2025-01-08 01:00:00+00', '2025-01-08 02:09:00+00'),
	(10, 10, 'https://static-cdn.jtvnw.net/previews-ttv/live_user_10-1920x1080.jpg', 100, 250, '["English","Chill"]', FALSE, 'de', 'Stream #10', 'Software and Game Development', '2025-01-08 08:13:20+00', '2025-01-08 09:23:20+00'),
	(11, 11, NULL, 110, 275, '["日本語","🎮"]', FALSE, 'ja', 'ゲーム配信 第11回 🎮', NULL, '2025-01-08 15:26:40+00', '2025-01-08 16:37:40+00'),
	(12, 12, 'https://static-cdn.jtvnw.net/previews-ttv/live_user_12-1920x1080.jpg', 120, 300, NULL, TRUE, NULL, 'long title', 'Just Chatting', '2025-01-08 22:40:00+00', '2025-01-08 23:52:00+00'),
	(13, 13, NULL, 130, 325, '["English","Chill"]', FALSE, 'en', E'Windows path C:\\games\\13', 'Minecraft', '2025-01-09 05:53:20+00', '2025-01-09 07:06:20+00'),
	(14, 14, 'https://static-cdn.jtvnw.net/previews-ttv/live_user_14-1920x1080.jpg', 140, 350, '["日本語","🎮"]', NULL, 'de', 'Let''s play "Dark Souls" – part 14', 'Elden Ring', '2025-01-09 13:06:40+00', '2025-01-09 14:20:40+00'),
	(50, 210, NULL, 1, 2, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
	(51, 212, NULL, 3, 4, NULL, NULL, NULL, NULL, NULL, NULL, NULL);

INSERT INTO public.recordings (id, stream_id, start_time, end_time, status, duration, path, created_at) VALUES
	(1, 1, '2025-01-05 15:13:20+00', '2025-01-05 16:14:20+00', 'completed', 3660, '/recordings/streamer_002/streamer_002_0001.mp4', '2025-01-05 15:13:20+00'),
	(2, 2, '2025-01-05 22:26:40+00', '2025-01-05 23:28:40+00', 'completed', 3720, '/recordings/streamer_003/streamer_003_0002.mp4', '2025-01-05 22:26:40+00'),
	(3, 3, '2025-01-06 05:40:00+00', '2025-01-06 06:43:00+00', 'completed', 3780, '/recordings/streamer_004/streamer_004_0003.mp4', '2025-01-06 05:40:00+00'),
	(4, 4, '2025-01-06 12:53:20+00', '2025-01-06 13:57:20+00', 'completed', 3840, '/recordings/streamer_005/streamer_005_0004.mp4', '2025-01-06 12:53:20+00'),
	(5, 5, '2025-01-06 20:06:40+00', '2025-01-06 21:11:40+00', 'completed', 3900, NULL, '2025-01-06 20:06:40+00'),
	(6, 6, '2025-01-07 03:20:00+00', '2025-01-07 04:26:00+00', 'completed', 3960, '/recordings/streamer_008/streamer_008_0006.mp4', '2025-01-07 03:20:00+00'),
	(7, 7, '2025-01-07 10:33:20+00', '2025-01-07 11:40:20+00', 'failed', 4020, '/recordings/streamer_009/streamer_009_0007.mp4', '2025-01-07 10:33:20+00'),
	(8, 8, '2025-01-07 17:46:40+00', '2025-01-07 18:54:40+00', 'completed', 4080, '/recordings/streamer_010/streamer_010_0008.mp4', '2025-01-07 17:46:40+00'),
	(9, 9, '2025-01-08 01:00:00+00', '2025-01-08 02:09:00+00', 'completed', 4140, '/recordings/streamer_012/streamer_012_0009.mp4', '2025-01-08 01:00:00+00'),
	(10, 10, '2025-01-08 08:13:20+00', '2025-01-08 09:23:20+00', 'completed', 4200, NULL, '2025-01-08 08:13:20+00'),
	(11, 11, '2025-01-08 15:26:40+00', '2025-01-08 16:37:40+00', 'completed', 4260, '/recordings/streamer_014/streamer_014_0011.mp4', NULL),
	(12, 12, '2025-01-08 22:40:00+00', '2025-01-08 23:52:00+00', 'completed', 4320, '/recordings/streamer_015/streamer_015_0012.mp4', '2025-01-08 22:40:00+00'),
	(40, 204, '2025-07-24 07:30:00+00', NULL, 'recording', NULL, '/recordings/streamer_002/live.ts', '2025-07-24 07:30:01+00'),
	(41, 211, '2025-07-19 08:00:05+00', '2025-07-19 10:00:00+00', 'completed', 7195, '/recordings/O''Brien/a.mp4', '2025-07-19 08:00:05+00');

INSERT INTO public.active_recordings_state (id, stream_id, recording_id, process_id, process_identifier, streamer_name, started_at, ts_output_path, force_mode, quality, status) VALUES
	(1, 204, 40, 4242, 'streamlink_4242_204', 'ストリーマー', '2025-07-24 07:30:00+00', '/recordings/streamer_002/live.ts', FALSE, 'best', 'recording');

INSERT INTO public.global_settings (id, twitch_client_id, twitch_client_secret, webhook_secret, max_concurrent_recordings, base_output_path, recording_quality, created_at, updated_at) VALUES
	(1, 'abcdefghijklmnopqrstuvwxyz0123', NULL, 'whsec_ünï''quote', 5, '/recordings', 'best', '2024-09-27 08:00:00+00', '2025-07-23 08:00:00+00');

INSERT INTO public.recording_settings (id, max_concurrent_recordings, default_quality, base_output_path, auto_record_enabled, created_at, updated_at) VALUES
	(1, 3, 'best', '/recordings', TRUE, '2024-09-27 08:00:00+00', '2025-07-22 08:00:00+00');

INSERT INTO public.push_subscriptions (id, endpoint, p256dh, auth, user_agent, created_at) VALUES
	(1, 'https://fcm.googleapis.com/fcm/send/dGVzdC1lbmRwb2ludC0x', 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM', 'tBHItJI5svbpez7KI4CCXg', 'Mozilla/5.0 (X11; Linux x86_64) Chrome/138.0', '2025-04-15 08:00:00+00'),
	(2, 'https://web.push.apple.com/QGV4YW1wbGU', 'BDef', 'uvw', NULL, '2025-04-25 08:00:00+00'),
	(4, 'https://fcm.googleapis.com/fcm/send/ünïcode-and-''quote''', '', '', 'Safari/18.5 😀 (iPhone; ストリーマー)', NULL),
	(5, 'https://fcm.googleapis.com/fcm/send/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'x', 'y', '', '2025-07-23 08:00:00+00');

INSERT INTO public.system_config (id, key, value, description, created_at, updated_at) VALUES
	(1, 'vapid_public_key', 'BEl62iUYgUivxIkv69yViEuiBIa-Ib9-SkvMeAtA3LFgDzkrxZJjSgSnfckjBJuBkr3qBUYIHBQFLXYp5Nksh8U', 'VAPID public key for web push', '2025-04-15 08:00:00+00', '2025-04-15 08:00:00+00'),
	(2, 'vapid_private_key', E'-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n', 'VAPID private key for web push', '2025-04-15 08:00:00+00', '2025-04-15 08:00:00+00'),
	(3, 'vapid_claims_email', 'mailto:admin@streamvault.local', NULL, '2025-04-15 08:00:01+00', NULL),
	(4, 'motd', E'It\'s "quoted", has a backslash \\ and unicode ✓', 'value with quotes', NULL, NULL),
	(6, 'kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk', '', 'kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk', '2025-07-23 08:00:00+00', '2025-07-23 08:00:00+00'),
	(7, 'last_cleanup_run', NULL, 'NULL value (allowed once system_config.value became nullable)', '2025-07-23 08:00:00+00', '2025-07-23 08:00:00+00');

-- Explicit ids bypass the sequences; move them to max(id) as a live database would have them.
SELECT setval('public.active_recordings_state_id_seq', max(id)) FROM public.active_recordings_state;
SELECT setval('public.categories_id_seq', max(id)) FROM public.categories;
SELECT setval('public.favorite_categories_id_seq', max(id)) FROM public.favorite_categories;
SELECT setval('public.global_settings_id_seq', max(id)) FROM public.global_settings;
SELECT setval('public.notification_settings_id_seq', max(id)) FROM public.notification_settings;
SELECT setval('public.push_subscriptions_id_seq', max(id)) FROM public.push_subscriptions;
SELECT setval('public.recording_settings_id_seq', max(id)) FROM public.recording_settings;
SELECT setval('public.recordings_id_seq', max(id)) FROM public.recordings;
SELECT setval('public.sessions_id_seq', max(id)) FROM public.sessions;
SELECT setval('public.stream_events_id_seq', max(id)) FROM public.stream_events;
SELECT setval('public.stream_metadata_id_seq', max(id)) FROM public.stream_metadata;
SELECT setval('public.streamer_recording_settings_id_seq', max(id)) FROM public.streamer_recording_settings;
SELECT setval('public.streamers_id_seq', max(id)) FROM public.streamers;
SELECT setval('public.streams_id_seq', max(id)) FROM public.streams;
SELECT setval('public.system_config_id_seq', max(id)) FROM public.system_config;
SELECT setval('public.users_id_seq', max(id)) FROM public.users;

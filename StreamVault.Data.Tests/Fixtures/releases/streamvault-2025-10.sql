-- Fixture: a StreamVault database as release v1.0.103 (Serph91P/StreamVault d47246cf,
-- 2025-10-17) leaves it after a fresh install and some use. Monthly release for 2025-10.
-- No reference dump exists for this release: the schema below is pg_dump --schema-only of an
-- empty PostgreSQL 15 database after that release's own startup ran on it (its MigrationService, then create_all),
-- with pg_dump's comment blocks, session SETs and OWNER statements removed (CREATE SEQUENCE options
-- joined onto one line). The same procedure reproduces the 2025-07/09, 2026-01/05/08 reference
-- dumps exactly. Ledger rows are the ones that startup wrote; applied_at is set to the release day.
-- Fresh-install rows: migrations 24; seeded global_settings, recording_settings (one row each, as written by the install).
--
-- Row counts after the data section: active_recordings_state 1, categories 4, favorite_categories 2,
-- global_settings 1, migrations 24, notification_settings 8, push_subscriptions 4,
-- recording_processing_state 2, recording_settings 1, recordings 14, sessions 2, share_tokens 2,
-- stream_events 52, stream_metadata 16, streamer_recording_settings 5, streamers 26, streams 187,
-- system_config 6, users 2.
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
-- global_settings.http_proxy is set: migration 025 copies it into proxy_settings on upgrade.
--
-- Timestamps carry explicit offsets (naive columns get naive literals); no column default that reads
-- the clock is relied on for data rows, and no UPDATE touches a table with an updated_at trigger.
-- Backslashes only appear in E'' strings.
SET client_encoding = 'UTF8';

-- ------------------------------------------------- schema (pg_dump after v1.0.103 startup)
CREATE FUNCTION public.update_updated_at_column() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
                BEGIN
                    NEW.updated_at = CURRENT_TIMESTAMP;
                    RETURN NEW;
                END;
                $$;

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
    status character varying(50) DEFAULT 'recording'::character varying,
    last_heartbeat timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    config_json text,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP
);

CREATE SEQUENCE public.active_recordings_state_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE public.active_recordings_state_id_seq OWNED BY public.active_recordings_state.id;

CREATE TABLE public.categories (
    id integer NOT NULL,
    twitch_id character varying(255) NOT NULL,
    name character varying(255) NOT NULL,
    box_art_url text,
    first_seen timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    last_seen timestamp with time zone DEFAULT CURRENT_TIMESTAMP
);

CREATE SEQUENCE public.categories_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE public.categories_id_seq OWNED BY public.categories.id;

CREATE TABLE public.favorite_categories (
    id integer NOT NULL,
    user_id integer NOT NULL,
    category_id integer NOT NULL,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP
);

CREATE SEQUENCE public.favorite_categories_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE public.favorite_categories_id_seq OWNED BY public.favorite_categories.id;

CREATE TABLE public.global_settings (
    id integer NOT NULL,
    notification_url text,
    notifications_enabled boolean DEFAULT false,
    notify_online_global boolean DEFAULT true,
    notify_offline_global boolean DEFAULT true,
    notify_update_global boolean DEFAULT true,
    notify_favorite_category_global boolean DEFAULT true,
    http_proxy character varying(255),
    https_proxy character varying(255)
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
    notify_online boolean DEFAULT true,
    notify_offline boolean DEFAULT true,
    notify_update boolean DEFAULT true,
    notify_favorite_category boolean DEFAULT true,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP
);

CREATE SEQUENCE public.notification_settings_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE public.notification_settings_id_seq OWNED BY public.notification_settings.id;

CREATE TABLE public.push_subscriptions (
    id integer NOT NULL,
    endpoint character varying(2048) NOT NULL,
    subscription_data text NOT NULL,
    user_agent text,
    is_active boolean DEFAULT true NOT NULL,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    p256dh_key text,
    auth_key text,
    last_used timestamp with time zone DEFAULT CURRENT_TIMESTAMP
);

CREATE SEQUENCE public.push_subscriptions_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE public.push_subscriptions_id_seq OWNED BY public.push_subscriptions.id;

CREATE TABLE public.recording_processing_state (
    id integer NOT NULL,
    recording_id integer NOT NULL,
    stream_id integer NOT NULL,
    streamer_id integer NOT NULL,
    metadata_status character varying(20) DEFAULT 'pending'::character varying NOT NULL,
    chapters_status character varying(20) DEFAULT 'pending'::character varying NOT NULL,
    mp4_remux_status character varying(20) DEFAULT 'pending'::character varying NOT NULL,
    mp4_validation_status character varying(20) DEFAULT 'pending'::character varying NOT NULL,
    thumbnail_status character varying(20) DEFAULT 'pending'::character varying NOT NULL,
    cleanup_status character varying(20) DEFAULT 'pending'::character varying NOT NULL,
    last_error text,
    task_ids_json text,
    created_at timestamp with time zone DEFAULT now(),
    updated_at timestamp with time zone DEFAULT now()
);

CREATE SEQUENCE public.recording_processing_state_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE public.recording_processing_state_id_seq OWNED BY public.recording_processing_state.id;

CREATE TABLE public.recording_settings (
    id integer NOT NULL,
    enabled boolean DEFAULT true,
    output_directory character varying(500) DEFAULT '/recordings'::character varying,
    filename_template character varying(500) DEFAULT '{streamer}/{date}_{title}_{id}'::character varying,
    default_quality character varying(50) DEFAULT 'best'::character varying,
    use_chapters boolean DEFAULT true,
    filename_preset character varying(50) DEFAULT 'default'::character varying,
    use_category_as_chapter_title boolean DEFAULT false,
    max_streams_per_streamer integer DEFAULT 0,
    cleanup_policy text DEFAULT 'keep_all'::text
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
    token character varying(255) NOT NULL,
    expires_at timestamp with time zone DEFAULT (CURRENT_TIMESTAMP + '24:00:00'::interval) NOT NULL,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP
);

CREATE SEQUENCE public.sessions_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE public.sessions_id_seq OWNED BY public.sessions.id;

CREATE TABLE public.share_tokens (
    id integer NOT NULL,
    token character varying(255) NOT NULL,
    stream_id integer NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP
);

CREATE SEQUENCE public.share_tokens_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE public.share_tokens_id_seq OWNED BY public.share_tokens.id;

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
    thumbnail_path character varying(500),
    thumbnail_url character varying(500),
    nfo_path character varying(500),
    json_path character varying(500),
    chapters_vtt_path character varying(500),
    chapters_srt_path character varying(500),
    chapters_ffmpeg_path character varying(500),
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
    season_nfo_path text
);

CREATE SEQUENCE public.stream_metadata_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE public.stream_metadata_id_seq OWNED BY public.stream_metadata.id;

CREATE TABLE public.streamer_recording_settings (
    id integer NOT NULL,
    streamer_id integer NOT NULL,
    enabled boolean DEFAULT true,
    quality character varying(50) DEFAULT 'best'::character varying,
    custom_filename character varying(1024),
    max_streams integer,
    cleanup_policy text,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    use_global_cleanup_policy boolean DEFAULT true NOT NULL
);

CREATE SEQUENCE public.streamer_recording_settings_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE public.streamer_recording_settings_id_seq OWNED BY public.streamer_recording_settings.id;

CREATE TABLE public.streamers (
    id integer NOT NULL,
    twitch_id character varying(255) NOT NULL,
    username character varying(255) NOT NULL,
    is_live boolean DEFAULT false,
    title character varying(255),
    category_name character varying(255),
    language character varying(255),
    last_updated timestamp with time zone,
    profile_image_url character varying(255),
    original_profile_image_url character varying(255),
    is_favorite boolean DEFAULT false,
    auto_record boolean DEFAULT false,
    created_at timestamp with time zone DEFAULT now()
);

CREATE SEQUENCE public.streamers_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE public.streamers_id_seq OWNED BY public.streamers.id;

CREATE TABLE public.streams (
    id integer NOT NULL,
    streamer_id integer NOT NULL,
    title character varying(255),
    category_name character varying(255),
    language character varying(255),
    started_at timestamp with time zone,
    ended_at timestamp with time zone,
    twitch_stream_id character varying(255),
    recording_path character varying(1024),
    episode_number integer,
    created_at timestamp with time zone DEFAULT now()
);

CREATE SEQUENCE public.streams_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE public.streams_id_seq OWNED BY public.streams.id;

CREATE TABLE public.system_config (
    id integer NOT NULL,
    key character varying(255) NOT NULL,
    value text,
    description character varying(500),
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP
);

CREATE SEQUENCE public.system_config_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE public.system_config_id_seq OWNED BY public.system_config.id;

CREATE TABLE public.users (
    id integer NOT NULL,
    username character varying(100) NOT NULL,
    password character varying(255) NOT NULL,
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
ALTER TABLE ONLY public.recording_processing_state ALTER COLUMN id SET DEFAULT nextval('public.recording_processing_state_id_seq'::regclass);
ALTER TABLE ONLY public.recording_settings ALTER COLUMN id SET DEFAULT nextval('public.recording_settings_id_seq'::regclass);
ALTER TABLE ONLY public.recordings ALTER COLUMN id SET DEFAULT nextval('public.recordings_id_seq'::regclass);
ALTER TABLE ONLY public.sessions ALTER COLUMN id SET DEFAULT nextval('public.sessions_id_seq'::regclass);
ALTER TABLE ONLY public.share_tokens ALTER COLUMN id SET DEFAULT nextval('public.share_tokens_id_seq'::regclass);
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
    ADD CONSTRAINT categories_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.categories
    ADD CONSTRAINT categories_twitch_id_key UNIQUE (twitch_id);

ALTER TABLE ONLY public.favorite_categories
    ADD CONSTRAINT favorite_categories_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.favorite_categories
    ADD CONSTRAINT favorite_categories_user_id_category_id_key UNIQUE (user_id, category_id);

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
    ADD CONSTRAINT push_subscriptions_endpoint_key UNIQUE (endpoint);

ALTER TABLE ONLY public.push_subscriptions
    ADD CONSTRAINT push_subscriptions_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.recording_processing_state
    ADD CONSTRAINT recording_processing_state_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.recording_settings
    ADD CONSTRAINT recording_settings_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.recordings
    ADD CONSTRAINT recordings_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.sessions
    ADD CONSTRAINT sessions_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.sessions
    ADD CONSTRAINT sessions_token_key UNIQUE (token);

ALTER TABLE ONLY public.share_tokens
    ADD CONSTRAINT share_tokens_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.share_tokens
    ADD CONSTRAINT share_tokens_token_key UNIQUE (token);

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

CREATE INDEX idx_active_recordings_heartbeat ON public.active_recordings_state USING btree (last_heartbeat);
CREATE INDEX idx_active_recordings_process_id ON public.active_recordings_state USING btree (process_id);
CREATE INDEX idx_active_recordings_status ON public.active_recordings_state USING btree (status);
CREATE INDEX idx_notification_settings_streamer_id ON public.notification_settings USING btree (streamer_id);
CREATE INDEX idx_recordings_start_time ON public.recordings USING btree (start_time);
CREATE INDEX idx_recordings_status ON public.recordings USING btree (status);
CREATE INDEX idx_recordings_status_time ON public.recordings USING btree (status, start_time);
CREATE INDEX idx_recordings_stream_id ON public.recordings USING btree (stream_id);
CREATE INDEX idx_recordings_stream_status ON public.recordings USING btree (stream_id, status);
CREATE INDEX idx_sessions_created_at ON public.sessions USING btree (created_at);
CREATE INDEX idx_sessions_expires_at ON public.sessions USING btree (expires_at);
CREATE INDEX idx_sessions_token ON public.sessions USING btree (token);
CREATE INDEX idx_sessions_user_id ON public.sessions USING btree (user_id);
CREATE INDEX idx_share_tokens_expires ON public.share_tokens USING btree (expires_at);
CREATE INDEX idx_share_tokens_stream_id ON public.share_tokens USING btree (stream_id);
CREATE INDEX idx_share_tokens_token ON public.share_tokens USING btree (token);
CREATE INDEX idx_stream_events_event_type ON public.stream_events USING btree (event_type);
CREATE INDEX idx_stream_events_stream_id ON public.stream_events USING btree (stream_id);
CREATE INDEX idx_stream_events_stream_time ON public.stream_events USING btree (stream_id, "timestamp");
CREATE INDEX idx_stream_events_stream_type ON public.stream_events USING btree (stream_id, event_type);
CREATE INDEX idx_stream_events_timestamp ON public.stream_events USING btree ("timestamp");
CREATE INDEX idx_stream_events_type_time ON public.stream_events USING btree (event_type, "timestamp");
CREATE INDEX idx_stream_metadata_stream_id ON public.stream_metadata USING btree (stream_id);
CREATE INDEX idx_streamer_recording_settings_streamer_id ON public.streamer_recording_settings USING btree (streamer_id);
CREATE INDEX idx_streamers_auto_record ON public.streamers USING btree (auto_record);
CREATE INDEX idx_streamers_category_name ON public.streamers USING btree (category_name);
CREATE INDEX idx_streamers_is_favorite ON public.streamers USING btree (is_favorite);
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
CREATE INDEX idx_streams_title ON public.streams USING btree (title);
CREATE INDEX idx_streams_twitch_stream_id ON public.streams USING btree (twitch_stream_id);
CREATE INDEX ix_push_subscriptions_endpoint ON public.push_subscriptions USING btree (endpoint);
CREATE INDEX ix_push_subscriptions_is_active ON public.push_subscriptions USING btree (is_active);
CREATE UNIQUE INDEX ix_rps_recording_id ON public.recording_processing_state USING btree (recording_id);
CREATE INDEX ix_rps_stream_id ON public.recording_processing_state USING btree (stream_id);
CREATE INDEX ix_rps_updated_at ON public.recording_processing_state USING btree (updated_at);

CREATE TRIGGER update_push_subscriptions_updated_at BEFORE UPDATE ON public.push_subscriptions FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();

CREATE TRIGGER update_recording_processing_state_updated_at BEFORE UPDATE ON public.recording_processing_state FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();

ALTER TABLE ONLY public.active_recordings_state
    ADD CONSTRAINT active_recordings_state_recording_id_fkey FOREIGN KEY (recording_id) REFERENCES public.recordings(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.active_recordings_state
    ADD CONSTRAINT active_recordings_state_stream_id_fkey FOREIGN KEY (stream_id) REFERENCES public.streams(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.favorite_categories
    ADD CONSTRAINT favorite_categories_category_id_fkey FOREIGN KEY (category_id) REFERENCES public.categories(id) ON DELETE CASCADE;

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

-- ------------------------------------------- rows a fresh install writes (migration ledger, seeded settings)
INSERT INTO public.migrations VALUES (1, '001_create_base_tables.py', '2025-10-17 09:00:00.191+00', true);
INSERT INTO public.migrations VALUES (2, '002_create_main_entities.py', '2025-10-17 09:00:00.264+00', true);
INSERT INTO public.migrations VALUES (3, '003_create_dependent_tables.py', '2025-10-17 09:00:00.337+00', true);
INSERT INTO public.migrations VALUES (4, '004_add_database_indexes.py', '2025-10-17 09:00:00.410+00', true);
INSERT INTO public.migrations VALUES (5, '005_add_max_streams_columns.py', '2025-10-17 09:00:00.483+00', true);
INSERT INTO public.migrations VALUES (6, '006_add_cleanup_policy_columns.py', '2025-10-17 09:00:00.556+00', true);
INSERT INTO public.migrations VALUES (7, '007_add_proxy_settings.py', '2025-10-17 09:00:00.629+00', true);
INSERT INTO public.migrations VALUES (8, '008_add_active_recording_fields.py', '2025-10-17 09:00:00.702+00', true);
INSERT INTO public.migrations VALUES (9, '009_add_cascade_constraints.py', '2025-10-17 09:00:00.775+00', true);
INSERT INTO public.migrations VALUES (10, '010_setup_category_images.py', '2025-10-17 09:00:00.848+00', true);
INSERT INTO public.migrations VALUES (11, '011_add_recording_path_to_streams.py', '2025-10-17 09:00:00.921+00', true);
INSERT INTO public.migrations VALUES (12, '012_add_created_at_to_recordings.py', '2025-10-17 09:00:00.994+00', true);
INSERT INTO public.migrations VALUES (13, '013_add_episode_number_to_streams.py', '2025-10-17 09:00:01.067+00', true);
INSERT INTO public.migrations VALUES (14, '014_add_streamer_preferences.py', '2025-10-17 09:00:01.140+00', true);
INSERT INTO public.migrations VALUES (15, '015_add_default_settings.py', '2025-10-17 09:00:01.213+00', true);
INSERT INTO public.migrations VALUES (16, '016_add_use_global_cleanup_policy.py', '2025-10-17 09:00:01.286+00', true);
INSERT INTO public.migrations VALUES (17, '017_add_xml_chapters_column.py', '2025-10-17 09:00:01.359+00', true);
INSERT INTO public.migrations VALUES (18, '018_enable_session_cleanup.py', '2025-10-17 09:00:01.432+00', true);
INSERT INTO public.migrations VALUES (19, '018_remove_unused_metadata_columns.py', '2025-10-17 09:00:01.505+00', true);
INSERT INTO public.migrations VALUES (20, '019_create_share_tokens.py', '2025-10-17 09:00:01.578+00', true);
INSERT INTO public.migrations VALUES (21, '019_update_twitch_profile_urls.py', '2025-10-17 09:00:01.651+00', true);
INSERT INTO public.migrations VALUES (22, '020_remove_unused_metadata_columns.py', '2025-10-17 09:00:01.724+00', true);
INSERT INTO public.migrations VALUES (23, '021_add_xml_chapters_column.py', '2025-10-17 09:00:01.797+00', true);
INSERT INTO public.migrations VALUES (24, '022_add_recording_processing_state.py', '2025-10-17 09:00:01.870+00', true);
SELECT pg_catalog.setval('public.migrations_id_seq', 24, true);
INSERT INTO public.global_settings (id, notification_url, notifications_enabled, notify_online_global, notify_offline_global, notify_update_global, notify_favorite_category_global, http_proxy, https_proxy) VALUES (1, NULL, false, true, true, true, true, NULL, NULL);
SELECT pg_catalog.setval('public.global_settings_id_seq', 1, true);
INSERT INTO public.recording_settings (id, enabled, output_directory, filename_template, default_quality, use_chapters, filename_preset, use_category_as_chapter_title, max_streams_per_streamer, cleanup_policy) VALUES (1, true, '/recordings', '{streamer}/{streamer}_{year}-{month}-{day}_{hour}-{minute}_{title}_{game}', 'best', true, 'default', false, 0, '{"enabled": false, "days_to_keep": 30, "max_size_gb": 100}');
SELECT pg_catalog.setval('public.recording_settings_id_seq', 1, true);

-- ---------------------------------------------------------------- fixture data
INSERT INTO public.users (id, username, password, is_admin, created_at) VALUES
	(1, 'admin', '$2b$12$KIXQJzE6yK1Jm3n0cW4nVeZk3c1mHcQyq0lq8n6O1t2b3c4d5e6f7', TRUE, '2024-12-21 00:00:00+00'),
	(3, 'Zoë O''Neil', '$2b$12$AbCdEfGhIjKlMnOpQrStUuVwXyZ0123456789abcdefghijklmnopq', NULL, NULL);

INSERT INTO public.sessions (id, user_id, token, expires_at, created_at) VALUES
	(1, 1, 'tok_0f9e8d7c6b5a4938271605f4e3d2c1b0', '2025-10-18 00:00:00+00', '2025-10-17 00:00:00+00'),
	(2, 3, 'tok_with''quote', '2025-10-19 02:00:00+02', '2025-09-07 02:00:00+02');

INSERT INTO public.categories (id, twitch_id, name, box_art_url, first_seen, last_seen) VALUES
	(1, '509658', 'Just Chatting', 'https://static-cdn.jtvnw.net/ttv-boxart/509658-{width}x{height}.jpg', '2025-03-31 00:00:00+00', '2025-10-16 23:59:59+00'),
	(2, '512953', 'Elden Ring', NULL, '2024-02-29 23:59:59.999999+00', NULL),
	(4, '490100', 'ポケモン 🐉', '', NULL, NULL),
	(5, '1469308723', 'Software and Game Development – Software and Game Development – Software and Game Development – Software and Game Development – Software and Game Development – Software and Game Development – Software and Game Development – Software and Game Development –', NULL, '2025-10-12 00:00:00+00', '2025-10-12 00:00:00+00');

INSERT INTO public.favorite_categories (id, user_id, category_id, created_at) VALUES
	(1, 1, 1, '2025-07-09 00:00:00+00'),
	(2, 3, 4, NULL);

-- hand-picked awkward rows (1..12) then generated ones; 7, 11, 23, 24, 26, 27 and 28 have no streams
INSERT INTO public.streamers (id, twitch_id, username, is_live, title, category_name, language, last_updated, profile_image_url, original_profile_image_url, is_favorite, auto_record, created_at) VALUES
	(1, '12826', 'twitch', FALSE, 'Twitch Dev Stream', 'Software and Game Development', 'en', '2025-10-16 23:00:00+00', '/recordings/.media/profile_images/12826.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/12826-profile_image-300x300.png', FALSE, FALSE, '2024-12-22 00:00:00+00'),
	(2, '44322889', 'ストリーマー', TRUE, '今日もまったり配信 ☕', 'Just Chatting', 'ja', '2025-10-17 07:00:00+09', '/recordings/.media/profile_images/44322889.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/44322889-profile_image-300x300.png', TRUE, TRUE, '2024-12-23 00:00:00+00'),
	(3, '500000001', 'O''Brien', FALSE, 'Sláinte! It''s "quote" night', 'Music', 'en', '2025-10-16 21:00:00+00', '/recordings/.media/profile_images/500000001.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/500000001-profile_image-300x300.png', FALSE, TRUE, '2024-12-24 00:00:00+00'),
	(4, '500000002', E'back\\slash', FALSE, E'C:\\Users\\stream\\title \\n is not a newline', NULL, NULL, '2025-10-16 20:00:00+00', NULL, NULL, FALSE, FALSE, '2024-12-25 00:00:00+00'),
	(5, '500000003', '🎮 GamerGirl 🎮', TRUE, 'Road to 🏆 — day 42 👩🏽‍💻', 'Fortnite', 'en', '2025-10-16 19:00:00+00', '/recordings/.media/profile_images/500000003.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/500000003-profile_image-300x300.png', TRUE, TRUE, '2024-12-26 00:00:00+00'),
	(6, '500000004', 'Müller_Zoë', FALSE, 'Grüße aus Köln – ß ẞ', 'Minecraft', 'de', '2025-10-16 18:00:00+00', '/recordings/.media/profile_images/500000004.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/500000004-profile_image-300x300.png', FALSE, FALSE, '2024-12-27 00:00:00+00'),
	(7, '500000005', 'Дмитрий', NULL, NULL, NULL, NULL, NULL, '/recordings/.media/profile_images/500000005.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/500000005-profile_image-300x300.png', NULL, NULL, NULL),
	(8, '500000006', '한국어방송', TRUE, '안녕하세요 여러분', 'Just Chatting', 'ko', '2025-10-16 16:00:00+00', NULL, NULL, FALSE, FALSE, '2024-12-29 00:00:00+00'),
	(9, '500000008', 'x', FALSE, '', '', '', '2025-10-16 15:00:00+00', '/recordings/.media/profile_images/500000008.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/500000008-profile_image-300x300.png', FALSE, FALSE, '1970-01-01 00:00:00+00'),
	(10, '500000009', 'a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_username_a_', FALSE, 'a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_username_a_rather_long_username_a_', NULL, 'fr', '2025-10-16 14:00:00+00', '/recordings/.media/profile_images/500000009.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/500000009-profile_image-300x300.png', FALSE, FALSE, '2024-12-31 00:00:00+00'),
	(11, '500000010', '100%_legit', FALSE, 'LIKE wildcards % and _ in text', NULL, 'en', '2025-10-16 13:00:00+00', '/recordings/.media/profile_images/500000010.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/500000010-profile_image-300x300.png', FALSE, FALSE, '2025-01-01 00:00:00+00'),
	(12, '500000012', 'Tab Newline', TRUE, E'line one\nline two\ttabbed', NULL, 'en', '2025-10-16 12:00:00+00', NULL, NULL, TRUE, FALSE, '2025-01-02 00:00:00+00'),
	(13, '600000013', 'streamer_013', FALSE, 'Stream title no. 13', 'Just Chatting', 'en', '2025-10-16 11:00:00+00', '/recordings/.media/profile_images/600000013.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/600000013-profile_image-300x300.png', FALSE, TRUE, '2025-02-22 00:00:00+00'),
	(14, '600000014', 'streamer_014', NULL, 'Stream title no. 14', 'Elden Ring', 'de', '2025-10-16 10:00:00+00', '/recordings/.media/profile_images/600000014.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/600000014-profile_image-300x300.png', FALSE, FALSE, '2025-02-23 00:00:00+00'),
	(15, '600000015', 'streamer_015', FALSE, NULL, 'ポケモン 🐉', NULL, '2025-10-16 09:00:00+00', '/recordings/.media/profile_images/600000015.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/600000015-profile_image-300x300.png', FALSE, FALSE, '2025-02-24 00:00:00+00'),
	(16, '600000016', 'streamer_016', TRUE, 'Stream title no. 16', NULL, 'en', '2025-10-16 08:00:00+00', NULL, NULL, TRUE, TRUE, '2025-02-25 00:00:00+00'),
	(18, '600000018', 'streamer_018', FALSE, 'Stream title no. 18', 'Elden Ring', NULL, NULL, '/recordings/.media/profile_images/600000018.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/600000018-profile_image-300x300.png', FALSE, FALSE, '2025-02-27 00:00:00+00'),
	(19, '600000019', 'streamer_019', FALSE, 'Stream title no. 19', 'ポケモン 🐉', 'en', '2025-10-16 05:00:00+00', '/recordings/.media/profile_images/600000019.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/600000019-profile_image-300x300.png', FALSE, TRUE, '2025-02-28 00:00:00+00'),
	(20, '600000020', 'streamer_020', TRUE, NULL, NULL, 'de', '2025-10-16 04:00:00+00', NULL, NULL, FALSE, FALSE, '2025-03-01 00:00:00+00'),
	(21, '600000021', 'streamer_021', NULL, 'Stream title no. 21', 'Just Chatting', NULL, '2025-10-16 03:00:00+00', '/recordings/.media/profile_images/600000021.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/600000021-profile_image-300x300.png', TRUE, FALSE, '2025-03-02 00:00:00+00'),
	(22, '600000022', 'streamer_022', FALSE, 'Stream title no. 22', 'Elden Ring', 'en', '2025-10-16 02:00:00+00', '/recordings/.media/profile_images/600000022.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/600000022-profile_image-300x300.png', FALSE, TRUE, '2025-03-03 00:00:00+00'),
	(23, '600000023', 'streamer_023', FALSE, 'Stream title no. 23', 'ポケモン 🐉', 'de', '2025-10-16 01:00:00+00', '/recordings/.media/profile_images/600000023.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/600000023-profile_image-300x300.png', FALSE, FALSE, '2025-03-04 00:00:00+00'),
	(24, '600000024', 'streamer_024', TRUE, 'Stream title no. 24', NULL, NULL, NULL, NULL, NULL, FALSE, FALSE, '2025-03-05 00:00:00+00'),
	(26, '600000026', 'streamer_026', FALSE, 'Stream title no. 26', 'Elden Ring', 'de', '2025-10-15 22:00:00+00', '/recordings/.media/profile_images/600000026.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/600000026-profile_image-300x300.png', TRUE, FALSE, '2025-03-07 00:00:00+00'),
	(27, '600000027', 'streamer_027', FALSE, 'Stream title no. 27', 'ポケモン 🐉', NULL, '2025-10-15 21:00:00+00', '/recordings/.media/profile_images/600000027.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/600000027-profile_image-300x300.png', FALSE, FALSE, '2025-03-08 00:00:00+00'),
	(28, '600000028', 'streamer_028', NULL, 'Stream title no. 28', NULL, 'en', '2025-10-15 20:00:00+00', NULL, NULL, FALSE, TRUE, '2025-03-09 00:00:00+00');

INSERT INTO public.streams (id, streamer_id, title, category_name, language, started_at, ended_at, twitch_stream_id, recording_path, episode_number, created_at) VALUES
	(1, 2, 'Stream #1', 'Minecraft', 'en', '2025-03-31 07:13:20+00', '2025-03-31 08:14:20+00', '40000000137', '/recordings/streamer_002/streamer_002_0001.mp4', 1, '2025-03-31 07:13:20+00'),
	(2, 3, 'Stream #2', 'Elden Ring', 'de', '2025-03-31 14:26:40+00', '2025-03-31 15:28:40+00', '40000000274', '/recordings/streamer_003/streamer_003_0002.mp4', 1, '2025-03-31 14:26:40+00'),
	(3, 4, 'Stream #3', 'ポケモン 🐉', 'ja', '2025-03-31 21:40:00+00', '2025-03-31 22:43:00+00', '40000000411', '/recordings/streamer_004/streamer_004_0003.mp4', 1, '2025-03-31 21:40:00+00'),
	(4, 5, 'Stream #4', 'Software and Game Development', NULL, '2025-04-01 04:53:20+00', '2025-04-01 05:57:20+00', '40000000548', '/recordings/streamer_005/streamer_005_0004.mp4', 1, '2025-04-01 04:53:20+00'),
	(5, 6, 'Stream #5', NULL, 'en', '2025-04-01 12:06:40+00', '2025-04-01 13:11:40+00', '40000000685', NULL, 1, '2025-04-01 12:06:40+00'),
	(6, 8, 'Stream #6', 'Just Chatting', 'de', '2025-04-01 19:20:00+00', '2025-04-01 20:26:00+00', NULL, '/recordings/streamer_008/streamer_008_0006.mp4', 1, '2025-04-01 19:20:00+00'),
	(7, 9, 'Let''s play "Dark Souls" – part 7', 'Minecraft', 'ja', '2025-04-02 02:33:20+00', '2025-04-02 03:40:20+00', '40000000959', '/recordings/streamer_009/streamer_009_0007.mp4', 1, '2025-04-02 02:33:20+00'),
	(8, 10, 'Stream #8', 'Elden Ring', NULL, '2025-04-02 09:46:40+00', '2025-04-02 10:54:40+00', '40000001096', '/recordings/streamer_010/streamer_010_0008.mp4', 1, '2025-04-02 09:46:40+00'),
	(9, 12, 'Stream #9', 'ポケモン 🐉', 'en', '2025-04-02 17:00:00+00', '2025-04-02 18:09:00+00', '40000001233', '/recordings/streamer_012/streamer_012_0009.mp4', NULL, '2025-04-02 17:00:00+00'),
	(10, 13, 'Stream #10', 'Software and Game Development', 'de', '2025-04-03 00:13:20+00', '2025-04-03 01:23:20+00', '40000001370', NULL, 1, '2025-04-03 00:13:20+00'),
	(11, 14, 'ゲーム配信 第11回 🎮', NULL, 'ja', '2025-04-03 07:26:40+00', '2025-04-03 08:37:40+00', '40000001507', '/recordings/streamer_014/streamer_014_0011.mp4', 1, '2025-04-03 07:26:40+00'),
	(12, 15, 'very long title very long title very long title very long title very long title very long title very long title very long title very long title very long title very long title very long title very long title very long title very long title very long title', 'Just Chatting', NULL, '2025-04-03 14:40:00+00', '2025-04-03 15:52:00+00', NULL, '/recordings/streamer_015/streamer_015_0012.mp4', 1, '2025-04-03 14:40:00+00'),
	(13, 16, E'Windows path C:\\games\\13', 'Minecraft', 'en', '2025-04-03 21:53:20+00', '2025-04-03 23:06:20+00', '40000001781', '/recordings/streamer_016/streamer_016_0013.mp4', 1, '2025-04-03 21:53:20+00'),
	(14, 18, 'Let''s play "Dark Souls" – part 14', 'Elden Ring', 'de', '2025-04-04 05:06:40+00', '2025-04-04 06:20:40+00', '40000001918', '/recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep/nested_dir//recordings/deep', 1, '2025-04-04 05:06:40+00'),
	(15, 19, 'Stream #15', 'ポケモン 🐉', 'ja', '2025-04-04 12:20:00+00', '2025-04-04 13:35:00+00', '', NULL, 1, '2025-04-04 12:20:00+00'),
	(16, 20, 'Stream #16', 'Software and Game Development', NULL, '2025-04-04 19:33:20+00', '2025-04-04 20:49:20+00', '40000002192', '/recordings/streamer_020/streamer_020_0016.mp4', 1, '2025-04-04 19:33:20+00'),
	(17, 21, 'Stream #17', NULL, 'en', '2025-04-05 02:46:40+00', '2025-04-05 04:03:40+00', '40000002329', '/recordings/streamer_021/streamer_021_0017.mp4', 1, '2025-04-05 02:46:40+00'),
	(18, 22, 'Stream #18', 'Just Chatting', 'de', '2025-04-05 10:00:00+00', '2025-04-05 11:18:00+00', NULL, '/recordings/streamer_022/streamer_022_0018.mp4', NULL, '2025-04-05 10:00:00+00'),
	(19, 1, 'Stream #19', 'Minecraft', 'ja', '2025-04-05 17:13:20+00', '2025-04-05 18:32:20+00', '40000002603', '/recordings/streamer_001/streamer_001_0019.mp4', 1, '2025-04-05 17:13:20+00'),
	(20, 2, 'Stream #20', 'Elden Ring', NULL, '2025-04-06 00:26:40+00', '2025-04-06 01:46:40+00', '40000002740', NULL, 2, '2025-04-06 00:26:40+00'),
	(21, 3, 'Let''s play "Dark Souls" – part 21', 'ポケモン 🐉', 'en', '2025-04-06 07:40:00+00', '2025-04-06 09:01:00+00', '40000002877', '/recordings/streamer_003/streamer_003_0021.mp4', 2, '2025-04-06 07:40:00+00'),
	(22, 4, 'ゲーム配信 第22回 🎮', 'Software and Game Development', 'de', '2025-04-06 14:53:20+00', '2025-04-06 16:15:20+00', '40000003014', '/recordings/streamer_004/streamer_004_0022.mp4', 2, '2025-04-06 14:53:20+00'),
	(23, 5, 'Stream #23', NULL, 'ja', '2025-04-06 22:06:40+00', '2025-04-06 23:29:40+00', '40000003151', '/recordings/streamer_005/streamer_005_0023.mp4', 2, '2025-04-06 22:06:40+00'),
	(24, 6, 'Stream #24', 'Just Chatting', NULL, '2025-04-07 05:20:00+00', '2025-04-07 06:44:00+00', NULL, '/recordings/streamer_006/streamer_006_0024.mp4', 2, '2025-04-07 05:20:00+00'),
	(25, 8, 'Stream #25', 'Minecraft', 'en', '2025-04-07 12:33:20+00', '2025-04-07 13:58:20+00', '40000003425', NULL, 2, '2025-04-07 12:33:20+00'),
	(26, 9, E'Windows path C:\\games\\26', 'Elden Ring', 'de', '2025-04-07 19:46:40+00', '2025-04-07 21:12:40+00', '40000003562', '/recordings/streamer_009/streamer_009_0026.mp4', 2, '2025-04-07 19:46:40+00'),
	(27, 10, 'Stream #27', 'ポケモン 🐉', 'ja', '2025-04-08 03:00:00+00', '2025-04-08 04:27:00+00', '40000003699', '/recordings/streamer_010/streamer_010_0027.mp4', NULL, '2025-04-08 03:00:00+00'),
	(28, 12, 'Let''s play "Dark Souls" – part 28', 'Software and Game Development', NULL, '2025-04-08 10:13:20+00', '2025-04-08 11:41:20+00', '40000003836', '/recordings/streamer_012/streamer_012_0028.mp4', 2, '2025-04-08 10:13:20+00'),
	(30, 14, 'Stream #30', 'Just Chatting', 'de', '2025-04-09 00:40:00+00', '2025-04-09 02:10:00+00', NULL, NULL, 2, '2025-04-09 00:40:00+00'),
	(31, 15, 'Stream #31', 'Minecraft', 'ja', '2025-04-09 07:53:20+00', '2025-04-09 09:24:20+00', '40000004247', '/recordings/streamer_015/streamer_015_0031.mp4', 2, '2025-04-09 07:53:20+00'),
	(32, 16, 'Stream #32', 'Elden Ring', NULL, '2025-04-09 15:06:40+00', '2025-04-09 16:38:40+00', '40000004384', '/recordings/streamer_016/streamer_016_0032.mp4', 2, '2025-04-09 15:06:40+00'),
	(33, 18, 'ゲーム配信 第33回 🎮', 'ポケモン 🐉', 'en', '2025-04-09 22:20:00+00', '2025-04-09 23:53:00+00', '40000004521', '/recordings/streamer_018/streamer_018_0033.mp4', 2, '2025-04-09 22:20:00+00'),
	(34, 19, 'Stream #34', 'Software and Game Development', 'de', '2025-04-10 05:33:20+00', '2025-04-10 07:07:20+00', '40000004658', '/recordings/streamer_019/streamer_019_0034.mp4', 2, '2025-04-10 05:33:20+00'),
	(35, 20, 'Let''s play "Dark Souls" – part 35', NULL, 'ja', '2025-04-10 12:46:40+00', '2025-04-10 14:21:40+00', '40000004795', NULL, 2, '2025-04-10 12:46:40+00'),
	(36, 21, 'Stream #36', 'Just Chatting', NULL, '2025-04-10 20:00:00+00', '2025-04-10 21:36:00+00', NULL, '/recordings/streamer_021/streamer_021_0036.mp4', NULL, '2025-04-10 20:00:00+00'),
	(37, 22, 'Stream #37', 'Minecraft', 'en', '2025-04-11 03:13:20+00', '2025-04-11 04:50:20+00', '40000005069', '/recordings/streamer_022/streamer_022_0037.mp4', 2, '2025-04-11 03:13:20+00'),
	(38, 1, 'Stream #38', 'Elden Ring', 'de', '2025-04-11 10:26:40+00', '2025-04-11 12:04:40+00', '40000005206', '/recordings/streamer_001/streamer_001_0038.mp4', 2, '2025-04-11 10:26:40+00'),
	(39, 2, E'Windows path C:\\games\\39', 'ポケモン 🐉', 'ja', '2025-04-11 17:40:00+00', '2025-04-11 19:19:00+00', '40000005343', '/recordings/streamer_002/streamer_002_0039.mp4', 2, '2025-04-11 17:40:00+00'),
	(40, 3, 'Stream #40', 'Software and Game Development', NULL, '2025-04-12 00:53:20+00', '2025-04-12 02:33:20+00', '40000005480', NULL, 3, '2025-04-12 00:53:20+00'),
	(41, 4, NULL, NULL, 'en', '2025-04-12 08:06:40+00', '2025-04-12 09:47:40+00', '40000005617', '/recordings/streamer_004/streamer_004_0041.mp4', 3, '2025-04-12 08:06:40+00'),
	(42, 5, 'Let''s play "Dark Souls" – part 42', 'Just Chatting', 'de', '2025-04-12 15:20:00+00', '2025-04-12 17:02:00+00', NULL, '/recordings/streamer_005/streamer_005_0042.mp4', 3, '2025-04-12 15:20:00+00'),
	(43, 6, '', 'Minecraft', 'ja', '2025-04-12 22:33:20+00', '2025-04-13 00:16:20+00', '40000005891', '/recordings/streamer_006/streamer_006_0043.mp4', 3, '2025-04-12 22:33:20+00'),
	(44, 8, 'ゲーム配信 第44回 🎮', 'Elden Ring', NULL, '2025-04-13 05:46:40+00', '2025-04-13 07:30:40+00', '40000006028', '/recordings/streamer_008/streamer_008_0044.mp4', 3, '2025-04-13 05:46:40+00'),
	(45, 9, 'Stream #45', 'ポケモン 🐉', 'en', '2025-04-13 13:00:00+00', '2025-04-13 14:45:00+00', '40000006165', NULL, NULL, '2025-04-13 13:00:00+00'),
	(46, 10, 'Stream #46', 'Software and Game Development', 'de', '2025-04-13 20:13:20+00', '2025-04-13 21:59:20+00', '40000006302', '/recordings/streamer_010/streamer_010_0046.mp4', 3, '2025-04-13 20:13:20+00'),
	(47, 12, 'Stream #47', NULL, 'ja', '2025-04-14 03:26:40+00', '2025-04-14 05:13:40+00', '40000006439', '/recordings/streamer_012/streamer_012_0047.mp4', 3, '2025-04-14 03:26:40+00'),
	(48, 13, 'Stream #48', 'Just Chatting', NULL, '2025-04-14 10:40:00+00', '2025-04-14 12:28:00+00', NULL, '/recordings/streamer_013/streamer_013_0048.mp4', 3, '2025-04-14 10:40:00+00'),
	(49, 14, 'Let''s play "Dark Souls" – part 49', 'Minecraft', 'en', '2025-04-14 17:53:20+00', '2025-04-14 19:42:20+00', '40000006713', '/recordings/streamer_014/streamer_014_0049.mp4', 3, '2025-04-14 17:53:20+00'),
	(50, 15, 'Stream #50', 'Elden Ring', 'de', '2025-04-15 01:06:40+00', '2025-04-15 02:56:40+00', '40000006850', NULL, 3, '2025-04-15 01:06:40+00'),
	(51, 16, 'Stream #51', 'ポケモン 🐉', 'ja', '2025-04-15 08:20:00+00', '2025-04-15 10:11:00+00', '40000006987', '/recordings/streamer_016/streamer_016_0051.mp4', 3, '2025-04-15 08:20:00+00'),
	(52, 18, E'Windows path C:\\games\\52', 'Software and Game Development', NULL, '2025-04-15 15:33:20+00', '2025-04-15 17:25:20+00', '40000007124', '/recordings/streamer_018/streamer_018_0052.mp4', 3, '2025-04-15 15:33:20+00'),
	(53, 19, 'Stream #53', NULL, 'en', '2025-04-15 22:46:40+00', NULL, '40000007261', '/recordings/streamer_019/streamer_019_0053.mp4', 3, '2025-04-15 22:46:40+00'),
	(54, 20, 'Stream #54', 'Just Chatting', 'de', '2025-04-16 06:00:00+00', '2025-04-16 07:54:00+00', NULL, '/recordings/streamer_020/streamer_020_0054.mp4', NULL, '2025-04-16 06:00:00+00'),
	(55, 21, 'ゲーム配信 第55回 🎮', 'Minecraft', 'ja', '2025-04-16 13:13:20+00', '2025-04-16 15:08:20+00', '40000007535', NULL, 3, '2025-04-16 13:13:20+00'),
	(56, 22, 'Let''s play "Dark Souls" – part 56', 'Elden Ring', NULL, '2025-04-16 20:26:40+00', '2025-04-16 22:22:40+00', '40000007672', '/recordings/streamer_022/streamer_022_0056.mp4', 3, '2025-04-16 20:26:40+00'),
	(57, 1, 'Stream #57', 'ポケモン 🐉', 'en', '2025-04-17 03:40:00+00', '2025-04-17 05:37:00+00', '40000007809', '/recordings/streamer_001/streamer_001_0057.mp4', 3, '2025-04-17 03:40:00+00'),
	(59, 3, 'Stream #59', NULL, 'ja', '2025-04-17 18:06:40+00', '2025-04-17 20:05:40+00', '40000008083', '/recordings/streamer_003/streamer_003_0059.mp4', 3, '2025-04-17 18:06:40+00'),
	(60, 4, 'Stream #60', 'Just Chatting', NULL, '2025-04-18 01:20:00+00', '2025-04-18 03:20:00+00', NULL, NULL, 4, '2025-04-18 01:20:00+00'),
	(61, 5, 'Stream #61', 'Minecraft', 'en', '2025-04-18 08:33:20+00', '2025-04-18 10:34:20+00', '40000008357', '/recordings/streamer_005/streamer_005_0061.mp4', 4, '2025-04-18 08:33:20+00'),
	(62, 6, 'Stream #62', 'Elden Ring', 'de', '2025-04-18 15:46:40+00', '2025-04-18 17:48:40+00', '40000008494', '/recordings/streamer_006/streamer_006_0062.mp4', 4, '2025-04-18 15:46:40+00'),
	(63, 8, 'Let''s play "Dark Souls" – part 63', 'ポケモン 🐉', 'ja', '2025-04-18 23:00:00+00', '2025-04-19 01:03:00+00', '40000008631', '/recordings/streamer_008/streamer_008_0063.mp4', NULL, '2025-04-18 23:00:00+00'),
	(64, 9, 'Stream #64', 'Software and Game Development', NULL, '2025-04-19 06:13:20+00', '2025-04-19 08:17:20+00', '40000008768', '/recordings/streamer_009/streamer_009_0064.mp4', 4, '2025-04-19 06:13:20+00'),
	(65, 10, E'Windows path C:\\games\\65', NULL, 'en', '2025-04-19 13:26:40+00', '2025-04-19 15:31:40+00', '40000008905', NULL, 4, '2025-04-19 13:26:40+00'),
	(66, 12, 'ゲーム配信 第66回 🎮', 'Just Chatting', 'de', '2025-04-19 20:40:00+00', '2025-04-19 22:46:00+00', NULL, '/recordings/streamer_012/streamer_012_0066.mp4', 4, '2025-04-19 20:40:00+00'),
	(67, 13, 'Stream #67', 'Minecraft', 'ja', '2025-04-20 03:53:20+00', '2025-04-20 06:00:20+00', '40000009179', '/recordings/streamer_013/streamer_013_0067.mp4', 4, '2025-04-20 03:53:20+00'),
	(68, 14, 'Stream #68', 'Elden Ring', NULL, '2025-04-20 11:06:40+00', '2025-04-20 13:14:40+00', '40000009316', '/recordings/streamer_014/streamer_014_0068.mp4', 4, '2025-04-20 11:06:40+00'),
	(69, 15, 'Stream #69', 'ポケモン 🐉', 'en', '2025-04-20 18:20:00+00', '2025-04-20 20:29:00+00', '40000009453', '/recordings/streamer_015/streamer_015_0069.mp4', 4, '2025-04-20 18:20:00+00'),
	(70, 16, 'Let''s play "Dark Souls" – part 70', 'Software and Game Development', 'de', '2025-04-21 01:33:20+00', '2025-04-21 03:43:20+00', '40000009590', NULL, 4, '2025-04-21 01:33:20+00'),
	(71, 18, 'Stream #71', NULL, 'ja', '2025-04-21 08:46:40+00', '2025-04-21 10:57:40+00', '40000009727', '/recordings/streamer_018/streamer_018_0071.mp4', 4, '2025-04-21 08:46:40+00'),
	(72, 19, 'Stream #72', 'Just Chatting', NULL, '2025-04-21 16:00:00+00', '2025-04-21 18:12:00+00', NULL, '/recordings/streamer_019/streamer_019_0072.mp4', NULL, '2025-04-21 16:00:00+00'),
	(73, 20, 'Stream #73', 'Minecraft', 'en', '2025-04-21 23:13:20+00', '2025-04-22 01:26:20+00', '40000010001', '/recordings/streamer_020/streamer_020_0073.mp4', 4, '2025-04-21 23:13:20+00'),
	(74, 21, 'Stream #74', 'Elden Ring', 'de', '2025-04-22 06:26:40+00', '2025-04-22 08:40:40+00', '40000010138', '/recordings/streamer_021/streamer_021_0074.mp4', 4, '2025-04-22 06:26:40+00'),
	(75, 22, 'Stream #75', 'ポケモン 🐉', 'ja', '2025-04-22 13:40:00+00', '2025-04-22 15:55:00+00', '40000010275', NULL, 4, '2025-04-22 13:40:00+00'),
	(76, 1, 'Stream #76', 'Software and Game Development', NULL, '2025-04-22 20:53:20+00', '2025-04-22 23:09:20+00', '40000010412', '/recordings/streamer_001/streamer_001_0076.mp4', 4, '2025-04-22 20:53:20+00'),
	(77, 2, 'ゲーム配信 第77回 🎮', NULL, 'en', '2025-04-23 04:06:40+00', '2025-04-23 06:23:40+00', '40000010549', '/recordings/streamer_002/streamer_002_0077.mp4', 4, '2025-04-23 04:06:40+00'),
	(78, 3, E'Windows path C:\\games\\78', 'Just Chatting', 'de', '2025-04-23 11:20:00+00', '2025-04-23 13:38:00+00', NULL, '/recordings/streamer_003/streamer_003_0078.mp4', 4, '2025-04-23 11:20:00+00'),
	(79, 4, 'Stream #79', 'Minecraft', 'ja', '2025-04-23 18:33:20+00', '2025-04-23 20:52:20+00', '40000010823', '/recordings/streamer_004/streamer_004_0079.mp4', 4, '2025-04-23 18:33:20+00'),
	(80, 5, 'Stream #80', 'Elden Ring', NULL, '2025-04-24 01:46:40+00', '2025-04-24 04:06:40+00', '40000010960', NULL, 5, '2025-04-24 01:46:40+00'),
	(81, 6, 'Stream #81', 'ポケモン 🐉', 'en', '2025-04-24 09:00:00+00', '2025-04-24 11:21:00+00', '40000011097', '/recordings/streamer_006/streamer_006_0081.mp4', NULL, '2025-04-24 09:00:00+00'),
	(82, 8, NULL, 'Software and Game Development', 'de', '2025-04-24 16:13:20+00', '2025-04-24 18:35:20+00', '40000011234', '/recordings/streamer_008/streamer_008_0082.mp4', 5, '2025-04-24 16:13:20+00'),
	(83, 9, 'Stream #83', NULL, 'ja', '2025-04-24 23:26:40+00', '2025-04-25 01:49:40+00', '40000011371', '/recordings/streamer_009/streamer_009_0083.mp4', 5, '2025-04-24 23:26:40+00'),
	(84, 10, 'Let''s play "Dark Souls" – part 84', 'Just Chatting', NULL, '2025-04-25 06:40:00+00', '2025-04-25 09:04:00+00', NULL, '/recordings/streamer_010/streamer_010_0084.mp4', 5, '2025-04-25 06:40:00+00'),
	(85, 12, 'Stream #85', 'Minecraft', 'en', '2025-04-25 13:53:20+00', '2025-04-25 16:18:20+00', '40000011645', NULL, 5, '2025-04-25 13:53:20+00'),
	(86, 13, '', 'Elden Ring', 'de', '2025-04-25 21:06:40+00', '2025-04-25 23:32:40+00', '40000011782', '/recordings/streamer_013/streamer_013_0086.mp4', 5, '2025-04-25 21:06:40+00'),
	(88, 15, 'ゲーム配信 第88回 🎮', 'Software and Game Development', NULL, '2025-04-26 11:33:20+00', '2025-04-26 14:01:20+00', '40000012056', '/recordings/streamer_015/streamer_015_0088.mp4', 5, '2025-04-26 11:33:20+00'),
	(89, 16, 'Stream #89', NULL, 'en', '2025-04-26 18:46:40+00', '2025-04-26 21:15:40+00', '40000012193', '/recordings/streamer_016/streamer_016_0089.mp4', 5, '2025-04-26 18:46:40+00'),
	(90, 18, 'Stream #90', 'Just Chatting', 'de', '2025-04-27 02:00:00+00', '2025-04-27 04:30:00+00', NULL, NULL, NULL, '2025-04-27 02:00:00+00'),
	(91, 19, 'Let''s play "Dark Souls" – part 91', 'Minecraft', 'ja', '2025-04-27 09:13:20+00', '2025-04-27 11:44:20+00', '40000012467', '/recordings/streamer_019/streamer_019_0091.mp4', 5, '2025-04-27 09:13:20+00'),
	(92, 20, 'Stream #92', 'Elden Ring', NULL, '2025-04-27 16:26:40+00', '2025-04-27 18:58:40+00', '40000012604', '/recordings/streamer_020/streamer_020_0092.mp4', 5, '2025-04-27 16:26:40+00'),
	(93, 21, 'Stream #93', 'ポケモン 🐉', 'en', '2025-04-27 23:40:00+00', '2025-04-28 02:13:00+00', '40000012741', '/recordings/streamer_021/streamer_021_0093.mp4', 5, '2025-04-27 23:40:00+00'),
	(94, 22, 'Stream #94', 'Software and Game Development', 'de', '2025-04-28 06:53:20+00', '2025-04-28 09:27:20+00', '40000012878', '/recordings/streamer_022/streamer_022_0094.mp4', 5, '2025-04-28 06:53:20+00'),
	(95, 1, 'Stream #95', NULL, 'ja', '2025-04-28 14:06:40+00', '2025-04-28 16:41:40+00', '40000013015', NULL, 5, '2025-04-28 14:06:40+00'),
	(96, 2, 'Stream #96', 'Just Chatting', NULL, '2025-04-28 21:20:00+00', '2025-04-28 23:56:00+00', NULL, '/recordings/streamer_002/streamer_002_0096.mp4', 5, '2025-04-28 21:20:00+00'),
	(97, 3, 'Stream #97', 'Minecraft', 'en', '2025-04-29 04:33:20+00', '2025-04-29 05:33:20+00', '40000013289', '/recordings/streamer_003/streamer_003_0097.mp4', 5, '2025-04-29 04:33:20+00'),
	(98, 4, 'Let''s play "Dark Souls" – part 98', 'Elden Ring', 'de', '2025-04-29 11:46:40+00', '2025-04-29 12:47:40+00', '40000013426', '/recordings/streamer_004/streamer_004_0098.mp4', 5, '2025-04-29 11:46:40+00'),
	(99, 5, 'ゲーム配信 第99回 🎮', 'ポケモン 🐉', 'ja', '2025-04-29 19:00:00+00', '2025-04-29 20:02:00+00', '40000013563', '/recordings/streamer_005/streamer_005_0099.mp4', NULL, '2025-04-29 19:00:00+00'),
	(100, 6, 'Stream #100', 'Software and Game Development', NULL, '2025-04-30 02:13:20+00', '2025-04-30 03:16:20+00', '40000013700', NULL, 6, '2025-04-30 02:13:20+00'),
	(101, 8, 'Stream #101', NULL, 'en', '2025-04-30 09:26:40+00', '2025-04-30 10:30:40+00', '40000013837', '/recordings/streamer_008/streamer_008_0101.mp4', 6, '2025-04-30 09:26:40+00'),
	(102, 9, 'Stream #102', 'Just Chatting', 'de', '2025-04-30 16:40:00+00', '2025-04-30 17:45:00+00', NULL, '/recordings/streamer_009/streamer_009_0102.mp4', 6, '2025-04-30 16:40:00+00'),
	(103, 10, 'Stream #103', 'Minecraft', 'ja', '2025-04-30 23:53:20+00', '2025-05-01 00:59:20+00', '40000014111', '/recordings/streamer_010/streamer_010_0103.mp4', 6, '2025-04-30 23:53:20+00'),
	(104, 12, E'Windows path C:\\games\\104', 'Elden Ring', NULL, '2025-05-01 07:06:40+00', '2025-05-01 08:13:40+00', '40000014248', '/recordings/streamer_012/streamer_012_0104.mp4', 6, '2025-05-01 07:06:40+00'),
	(105, 13, 'Let''s play "Dark Souls" – part 105', 'ポケモン 🐉', 'en', '2025-05-01 14:20:00+00', '2025-05-01 15:28:00+00', '40000014385', NULL, 6, '2025-05-01 14:20:00+00'),
	(106, 14, 'Stream #106', 'Software and Game Development', 'de', '2025-05-01 21:33:20+00', NULL, '40000014522', '/recordings/streamer_014/streamer_014_0106.mp4', 6, '2025-05-01 21:33:20+00'),
	(107, 15, 'Stream #107', NULL, 'ja', '2025-05-02 04:46:40+00', '2025-05-02 05:56:40+00', '40000014659', '/recordings/streamer_015/streamer_015_0107.mp4', 6, '2025-05-02 04:46:40+00'),
	(108, 16, 'Stream #108', 'Just Chatting', NULL, '2025-05-02 12:00:00+00', '2025-05-02 13:11:00+00', NULL, '/recordings/streamer_016/streamer_016_0108.mp4', NULL, '2025-05-02 12:00:00+00'),
	(109, 18, 'Stream #109', 'Minecraft', 'en', '2025-05-02 19:13:20+00', '2025-05-02 20:25:20+00', '40000014933', '/recordings/streamer_018/streamer_018_0109.mp4', 6, '2025-05-02 19:13:20+00'),
	(110, 19, 'ゲーム配信 第110回 🎮', 'Elden Ring', 'de', '2025-05-03 02:26:40+00', '2025-05-03 03:39:40+00', '40000015070', NULL, 6, '2025-05-03 02:26:40+00'),
	(111, 20, 'Stream #111', 'ポケモン 🐉', 'ja', '2025-05-03 09:40:00+00', '2025-05-03 10:54:00+00', '40000015207', '/recordings/streamer_020/streamer_020_0111.mp4', 6, '2025-05-03 09:40:00+00'),
	(112, 21, 'Let''s play "Dark Souls" – part 112', 'Software and Game Development', NULL, '2025-05-03 16:53:20+00', '2025-05-03 18:08:20+00', '40000015344', '/recordings/streamer_021/streamer_021_0112.mp4', 6, '2025-05-03 16:53:20+00'),
	(113, 22, 'Stream #113', NULL, 'en', '2025-05-04 00:06:40+00', '2025-05-04 01:22:40+00', '40000015481', '/recordings/streamer_022/streamer_022_0113.mp4', 6, '2025-05-04 00:06:40+00'),
	(114, 1, 'Stream #114', 'Just Chatting', 'de', '2025-05-04 07:20:00+00', '2025-05-04 08:37:00+00', NULL, '/recordings/streamer_001/streamer_001_0114.mp4', 6, '2025-05-04 07:20:00+00'),
	(115, 2, 'Stream #115', 'Minecraft', 'ja', '2025-05-04 14:33:20+00', '2025-05-04 15:51:20+00', '40000015755', NULL, 6, '2025-05-04 14:33:20+00'),
	(117, 4, E'Windows path C:\\games\\117', 'ポケモン 🐉', 'en', '2025-05-05 05:00:00+00', '2025-05-05 06:20:00+00', '40000016029', '/recordings/streamer_004/streamer_004_0117.mp4', NULL, '2025-05-05 05:00:00+00'),
	(118, 5, 'Stream #118', 'Software and Game Development', 'de', '2025-05-05 12:13:20+00', '2025-05-05 13:34:20+00', '40000016166', '/recordings/streamer_005/streamer_005_0118.mp4', 6, '2025-05-05 12:13:20+00'),
	(119, 6, 'Let''s play "Dark Souls" – part 119', NULL, 'ja', '2025-05-05 19:26:40+00', '2025-05-05 20:48:40+00', '40000016303', '/recordings/streamer_006/streamer_006_0119.mp4', 6, '2025-05-05 19:26:40+00'),
	(120, 8, 'Stream #120', 'Just Chatting', NULL, '2025-05-06 02:40:00+00', '2025-05-06 04:03:00+00', NULL, NULL, 7, '2025-05-06 02:40:00+00'),
	(121, 9, 'ゲーム配信 第121回 🎮', 'Minecraft', 'en', '2025-05-06 09:53:20+00', '2025-05-06 11:17:20+00', '40000016577', '/recordings/streamer_009/streamer_009_0121.mp4', 7, '2025-05-06 09:53:20+00'),
	(122, 10, 'Stream #122', 'Elden Ring', 'de', '2025-05-06 17:06:40+00', '2025-05-06 18:31:40+00', '40000016714', '/recordings/streamer_010/streamer_010_0122.mp4', 7, '2025-05-06 17:06:40+00'),
	(123, 12, NULL, 'ポケモン 🐉', 'ja', '2025-05-07 00:20:00+00', '2025-05-07 01:46:00+00', '40000016851', '/recordings/streamer_012/streamer_012_0123.mp4', 7, '2025-05-07 00:20:00+00'),
	(124, 13, 'Stream #124', 'Software and Game Development', NULL, '2025-05-07 07:33:20+00', '2025-05-07 09:00:20+00', '40000016988', '/recordings/streamer_013/streamer_013_0124.mp4', 7, '2025-05-07 07:33:20+00'),
	(125, 14, 'Stream #125', NULL, 'en', '2025-05-07 14:46:40+00', '2025-05-07 16:14:40+00', '40000017125', NULL, 7, '2025-05-07 14:46:40+00'),
	(126, 15, 'Let''s play "Dark Souls" – part 126', 'Just Chatting', 'de', '2025-05-07 22:00:00+00', '2025-05-07 23:29:00+00', NULL, '/recordings/streamer_015/streamer_015_0126.mp4', NULL, '2025-05-07 22:00:00+00'),
	(127, 16, 'Stream #127', 'Minecraft', 'ja', '2025-05-08 05:13:20+00', '2025-05-08 06:43:20+00', '40000017399', '/recordings/streamer_016/streamer_016_0127.mp4', 7, '2025-05-08 05:13:20+00'),
	(128, 18, 'Stream #128', 'Elden Ring', NULL, '2025-05-08 12:26:40+00', '2025-05-08 13:57:40+00', '40000017536', '/recordings/streamer_018/streamer_018_0128.mp4', 7, '2025-05-08 12:26:40+00'),
	(129, 19, '', 'ポケモン 🐉', 'en', '2025-05-08 19:40:00+00', '2025-05-08 21:12:00+00', '40000017673', '/recordings/streamer_019/streamer_019_0129.mp4', 7, '2025-05-08 19:40:00+00'),
	(130, 20, E'Windows path C:\\games\\130', 'Software and Game Development', 'de', '2025-05-09 02:53:20+00', '2025-05-09 04:26:20+00', '40000017810', NULL, 7, '2025-05-09 02:53:20+00'),
	(131, 21, 'Stream #131', NULL, 'ja', '2025-05-09 10:06:40+00', '2025-05-09 11:40:40+00', '40000017947', '/recordings/streamer_021/streamer_021_0131.mp4', 7, '2025-05-09 10:06:40+00'),
	(132, 22, 'ゲーム配信 第132回 🎮', 'Just Chatting', NULL, '2025-05-09 17:20:00+00', '2025-05-09 18:55:00+00', NULL, '/recordings/streamer_022/streamer_022_0132.mp4', 7, '2025-05-09 17:20:00+00'),
	(133, 1, 'Let''s play "Dark Souls" – part 133', 'Minecraft', 'en', '2025-05-10 00:33:20+00', '2025-05-10 02:09:20+00', '40000018221', '/recordings/streamer_001/streamer_001_0133.mp4', 7, '2025-05-10 00:33:20+00'),
	(134, 2, 'Stream #134', 'Elden Ring', 'de', '2025-05-10 07:46:40+00', '2025-05-10 09:23:40+00', '40000018358', '/recordings/streamer_002/streamer_002_0134.mp4', 7, '2025-05-10 07:46:40+00'),
	(135, 3, 'Stream #135', 'ポケモン 🐉', 'ja', '2025-05-10 15:00:00+00', '2025-05-10 16:38:00+00', '40000018495', NULL, NULL, '2025-05-10 15:00:00+00'),
	(136, 4, 'Stream #136', 'Software and Game Development', NULL, '2025-05-10 22:13:20+00', '2025-05-10 23:52:20+00', '40000018632', '/recordings/streamer_004/streamer_004_0136.mp4', 7, '2025-05-10 22:13:20+00'),
	(137, 5, 'Stream #137', NULL, 'en', '2025-05-11 05:26:40+00', '2025-05-11 07:06:40+00', '40000018769', '/recordings/streamer_005/streamer_005_0137.mp4', 7, '2025-05-11 05:26:40+00'),
	(138, 6, 'Stream #138', 'Just Chatting', 'de', '2025-05-11 12:40:00+00', '2025-05-11 14:21:00+00', NULL, '/recordings/streamer_006/streamer_006_0138.mp4', 7, '2025-05-11 12:40:00+00'),
	(139, 8, 'Stream #139', 'Minecraft', 'ja', '2025-05-11 19:53:20+00', '2025-05-11 21:35:20+00', '40000019043', '/recordings/streamer_008/streamer_008_0139.mp4', 7, '2025-05-11 19:53:20+00'),
	(140, 9, 'Let''s play "Dark Souls" – part 140', 'Elden Ring', NULL, '2025-05-12 03:06:40+00', '2025-05-12 04:49:40+00', '40000019180', NULL, 8, '2025-05-12 03:06:40+00'),
	(141, 10, 'Stream #141', 'ポケモン 🐉', 'en', '2025-05-12 10:20:00+00', '2025-05-12 12:04:00+00', '40000019317', '/recordings/streamer_010/streamer_010_0141.mp4', 8, '2025-05-12 10:20:00+00'),
	(142, 12, 'Stream #142', 'Software and Game Development', 'de', '2025-05-12 17:33:20+00', '2025-05-12 19:18:20+00', '40000019454', '/recordings/streamer_012/streamer_012_0142.mp4', 8, '2025-05-12 17:33:20+00'),
	(143, 13, 'ゲーム配信 第143回 🎮', NULL, 'ja', '2025-05-13 00:46:40+00', '2025-05-13 02:32:40+00', '40000019591', '/recordings/streamer_013/streamer_013_0143.mp4', 8, '2025-05-13 00:46:40+00'),
	(144, 14, 'Stream #144', 'Just Chatting', NULL, '2025-05-13 08:00:00+00', '2025-05-13 09:47:00+00', NULL, '/recordings/streamer_014/streamer_014_0144.mp4', NULL, '2025-05-13 08:00:00+00'),
	(146, 16, 'Stream #146', 'Elden Ring', 'de', '2025-05-13 22:26:40+00', '2025-05-14 00:15:40+00', '40000020002', '/recordings/streamer_016/streamer_016_0146.mp4', 8, '2025-05-13 22:26:40+00'),
	(147, 18, 'Let''s play "Dark Souls" – part 147', 'ポケモン 🐉', 'ja', '2025-05-14 05:40:00+00', '2025-05-14 07:30:00+00', '40000020139', '/recordings/streamer_018/streamer_018_0147.mp4', 8, '2025-05-14 05:40:00+00'),
	(148, 19, 'Stream #148', 'Software and Game Development', NULL, '2025-05-14 12:53:20+00', '2025-05-14 14:44:20+00', '40000020276', '/recordings/streamer_019/streamer_019_0148.mp4', 8, '2025-05-14 12:53:20+00'),
	(149, 20, 'Stream #149', NULL, 'en', '2025-05-14 20:06:40+00', '2025-05-14 21:58:40+00', '40000020413', '/recordings/streamer_020/streamer_020_0149.mp4', 8, '2025-05-14 20:06:40+00'),
	(150, 21, 'Stream #150', 'Just Chatting', 'de', '2025-05-15 03:20:00+00', '2025-05-15 05:13:00+00', NULL, NULL, 8, '2025-05-15 03:20:00+00'),
	(151, 22, 'Stream #151', 'Minecraft', 'ja', '2025-05-15 10:33:20+00', '2025-05-15 12:27:20+00', '40000020687', '/recordings/streamer_022/streamer_022_0151.mp4', 8, '2025-05-15 10:33:20+00'),
	(152, 1, 'Stream #152', 'Elden Ring', NULL, '2025-05-15 17:46:40+00', '2025-05-15 19:41:40+00', '40000020824', '/recordings/streamer_001/streamer_001_0152.mp4', 8, '2025-05-15 17:46:40+00'),
	(153, 2, 'Stream #153', 'ポケモン 🐉', 'en', '2025-05-16 01:00:00+00', '2025-05-16 02:56:00+00', '40000020961', '/recordings/streamer_002/streamer_002_0153.mp4', NULL, '2025-05-16 01:00:00+00'),
	(154, 3, 'ゲーム配信 第154回 🎮', 'Software and Game Development', 'de', '2025-05-16 08:13:20+00', '2025-05-16 10:10:20+00', '40000021098', '/recordings/streamer_003/streamer_003_0154.mp4', 8, '2025-05-16 08:13:20+00'),
	(155, 4, 'Stream #155', NULL, 'ja', '2025-05-16 15:26:40+00', '2025-05-16 17:24:40+00', '40000021235', NULL, 8, '2025-05-16 15:26:40+00'),
	(156, 5, E'Windows path C:\\games\\156', 'Just Chatting', NULL, '2025-05-16 22:40:00+00', '2025-05-17 00:39:00+00', NULL, '/recordings/streamer_005/streamer_005_0156.mp4', 8, '2025-05-16 22:40:00+00'),
	(157, 6, 'Stream #157', 'Minecraft', 'en', '2025-05-17 05:53:20+00', '2025-05-17 07:53:20+00', '40000021509', '/recordings/streamer_006/streamer_006_0157.mp4', 8, '2025-05-17 05:53:20+00'),
	(158, 8, 'Stream #158', 'Elden Ring', 'de', '2025-05-17 13:06:40+00', '2025-05-17 15:07:40+00', '40000021646', '/recordings/streamer_008/streamer_008_0158.mp4', 8, '2025-05-17 13:06:40+00'),
	(159, 9, 'Stream #159', 'ポケモン 🐉', 'ja', '2025-05-17 20:20:00+00', NULL, '40000021783', '/recordings/streamer_009/streamer_009_0159.mp4', 8, '2025-05-17 20:20:00+00'),
	(160, 10, 'Stream #160', 'Software and Game Development', NULL, '2025-05-18 03:33:20+00', '2025-05-18 05:36:20+00', '40000021920', NULL, 9, '2025-05-18 03:33:20+00'),
	(161, 12, 'Let''s play "Dark Souls" – part 161', NULL, 'en', '2025-05-18 10:46:40+00', '2025-05-18 12:50:40+00', '40000022057', '/recordings/streamer_012/streamer_012_0161.mp4', 9, '2025-05-18 10:46:40+00'),
	(162, 13, 'Stream #162', 'Just Chatting', 'de', '2025-05-18 18:00:00+00', '2025-05-18 20:05:00+00', NULL, '/recordings/streamer_013/streamer_013_0162.mp4', NULL, '2025-05-18 18:00:00+00'),
	(163, 14, 'Stream #163', 'Minecraft', 'ja', '2025-05-19 01:13:20+00', '2025-05-19 03:19:20+00', '40000022331', '/recordings/streamer_014/streamer_014_0163.mp4', 9, '2025-05-19 01:13:20+00'),
	(164, 15, NULL, 'Elden Ring', NULL, '2025-05-19 08:26:40+00', '2025-05-19 10:33:40+00', '40000022468', '/recordings/streamer_015/streamer_015_0164.mp4', 9, '2025-05-19 08:26:40+00'),
	(165, 16, 'ゲーム配信 第165回 🎮', 'ポケモン 🐉', 'en', '2025-05-19 15:40:00+00', '2025-05-19 17:48:00+00', '40000022605', NULL, 9, '2025-05-19 15:40:00+00'),
	(166, 18, 'Stream #166', 'Software and Game Development', 'de', '2025-05-19 22:53:20+00', '2025-05-20 01:02:20+00', '40000022742', '/recordings/streamer_018/streamer_018_0166.mp4', 9, '2025-05-19 22:53:20+00'),
	(167, 19, 'Stream #167', NULL, 'ja', '2025-05-20 06:06:40+00', '2025-05-20 08:16:40+00', '40000022879', '/recordings/streamer_019/streamer_019_0167.mp4', 9, '2025-05-20 06:06:40+00'),
	(168, 20, 'Let''s play "Dark Souls" – part 168', 'Just Chatting', NULL, '2025-05-20 13:20:00+00', '2025-05-20 15:31:00+00', NULL, '/recordings/streamer_020/streamer_020_0168.mp4', 9, '2025-05-20 13:20:00+00'),
	(169, 21, E'Windows path C:\\games\\169', 'Minecraft', 'en', '2025-05-20 20:33:20+00', '2025-05-20 22:45:20+00', '40000023153', '/recordings/streamer_021/streamer_021_0169.mp4', 9, '2025-05-20 20:33:20+00'),
	(170, 22, 'Stream #170', 'Elden Ring', 'de', '2025-05-21 03:46:40+00', '2025-05-21 05:59:40+00', '40000023290', NULL, 9, '2025-05-21 03:46:40+00'),
	(171, 1, 'Stream #171', 'ポケモン 🐉', 'ja', '2025-05-21 11:00:00+00', NULL, '40000023427', '/recordings/streamer_001/streamer_001_0171.mp4', NULL, '2025-05-21 11:00:00+00'),
	(172, 2, '', 'Software and Game Development', NULL, '2025-05-21 18:13:20+00', NULL, '40000023564', '/recordings/streamer_002/streamer_002_0172.mp4', 9, '2025-05-21 18:13:20+00'),
	(173, 3, 'Stream #173', NULL, 'en', '2025-05-22 01:26:40+00', NULL, '40000023701', '/recordings/streamer_003/streamer_003_0173.mp4', 9, '2025-05-22 01:26:40+00'),
	(175, 5, 'Let''s play "Dark Souls" – part 175', 'Minecraft', 'ja', '2025-05-22 15:53:20+00', NULL, '40000023975', NULL, 9, '2025-05-22 15:53:20+00'),
	(176, 6, 'ゲーム配信 第176回 🎮', 'Elden Ring', NULL, '2025-05-22 23:06:40+00', NULL, '40000024112', '/recordings/streamer_006/streamer_006_0176.mp4', 9, '2025-05-22 23:06:40+00'),
	(177, 8, 'Stream #177', 'ポケモン 🐉', 'en', '2025-05-23 06:20:00+00', NULL, '40000024249', '/recordings/streamer_008/streamer_008_0177.mp4', 9, '2025-05-23 06:20:00+00'),
	(178, 9, 'Stream #178', 'Software and Game Development', 'de', '2025-05-23 13:33:20+00', NULL, '40000024386', '/recordings/streamer_009/streamer_009_0178.mp4', 9, '2025-05-23 13:33:20+00'),
	(179, 10, 'Stream #179', NULL, 'ja', '2025-05-23 20:46:40+00', NULL, '40000024523', '/recordings/streamer_010/streamer_010_0179.mp4', 9, '2025-05-23 20:46:40+00'),
	(180, 12, 'Stream #180', 'Just Chatting', NULL, '2025-05-24 04:00:00+00', NULL, NULL, NULL, NULL, '2025-05-24 04:00:00+00'),
	(201, 1, 'tie A', 'Just Chatting', 'en', '2025-10-13 22:00:00+00', '2025-10-14 00:00:00+00', '41000000201', NULL, NULL, '2025-10-13 22:00:00+00'),
	(202, 1, 'tie B', 'Minecraft', 'en', '2025-10-13 23:00:00+00', '2025-10-14 00:00:00+00', '41000000202', NULL, NULL, '2025-10-13 23:00:00+00'),
	(203, 2, NULL, NULL, 'ja', '2025-10-14 23:00:00+00', '2025-10-15 00:00:00+00', '41000000203', NULL, NULL, '2025-10-14 23:00:00+00'),
	(204, 2, 'live now 🔴', 'Just Chatting', 'ja', '2025-10-16 23:30:00+00', NULL, '41000000204', NULL, NULL, '2025-10-16 23:30:00+00'),
	(205, 8, 'only a live stream', 'Just Chatting', 'ko', '2025-10-17 08:50:00+09', NULL, '41000000205', NULL, NULL, '2025-10-17 08:50:00+09'),
	(210, 3, NULL, 'Music', NULL, '2025-10-12 00:00:00+00', NULL, '42000000001', NULL, NULL, '2025-10-12 00:00:00+00'),
	(211, 3, 'dup group A – has recording', 'Music', 'en', '2025-10-12 00:00:05+00', '2025-10-12 02:00:00+00', '42000000001', '/recordings/O''Brien/a.mp4', NULL, '2025-10-12 00:00:05+00'),
	(212, 5, 'dup group B #1', NULL, 'en', '2025-10-13 00:00:00+00', '2025-10-13 01:00:00+00', '42000000002', NULL, NULL, '2025-10-13 00:00:00+00'),
	(213, 5, 'dup group B #2 – has events', 'Fortnite', NULL, '2025-10-13 00:00:02+00', NULL, '42000000002', NULL, NULL, '2025-10-13 00:00:02+00'),
	(214, 6, NULL, NULL, NULL, NULL, NULL, '42000000002', '/recordings/Müller_Zoë/b.mp4', NULL, NULL),
	(215, 9, 'dup across streamers (9)', '', '', '2025-10-11 00:00:00+00', '2025-10-11 00:01:00+00', '42000000003', NULL, NULL, '2025-10-11 00:00:00+00'),
	(216, 10, 'dup across streamers (10)', NULL, 'fr', '2025-10-11 00:00:01+00', '2025-10-11 00:02:00+00', '42000000003', NULL, NULL, '2025-10-11 00:00:01+00'),
	(217, 12, 'empty-string id twin', NULL, 'en', '2025-10-10 00:00:00+00', '2025-10-10 00:01:00+00', '', NULL, NULL, '2025-10-10 00:00:00+00');

INSERT INTO public.notification_settings (id, streamer_id, notify_online, notify_offline, notify_update, notify_favorite_category, created_at) VALUES
	(1, 1, TRUE, FALSE, TRUE, FALSE, '2025-07-09 00:01:00+00'),
	(2, 2, TRUE, TRUE, TRUE, FALSE, '2025-07-09 00:02:00+00'),
	(3, 3, TRUE, FALSE, NULL, FALSE, '2025-07-09 00:03:00+00'),
	(4, 4, TRUE, TRUE, TRUE, FALSE, NULL),
	(5, 5, TRUE, FALSE, TRUE, FALSE, '2025-07-09 00:05:00+00'),
	(6, 6, TRUE, TRUE, NULL, FALSE, '2025-07-09 00:06:00+00'),
	(7, 7, TRUE, FALSE, TRUE, FALSE, '2025-07-09 00:07:00+00'),
	(8, 8, TRUE, TRUE, TRUE, FALSE, NULL);

INSERT INTO public.streamer_recording_settings (id, streamer_id, enabled, quality, custom_filename, max_streams, cleanup_policy, created_at, updated_at, use_global_cleanup_policy) VALUES
	(1, 1, TRUE, 'best', NULL, 0, NULL, '2025-07-19 00:00:00+00', '2025-07-19 00:00:00+00', TRUE),
	(2, 2, TRUE, '1080p60', '{streamer}/{year}-{month}-{day}_{title}', 10, '{"type":"count","threshold":10,"preserve_favorites":true}', '2025-07-29 00:00:00+00', '2025-10-16 00:00:00+00', FALSE),
	(3, 3, FALSE, NULL, NULL, NULL, NULL, NULL, NULL, TRUE),
	(4, 5, TRUE, 'audio_only', E'C:\\rec\\{streamer}', 3, NULL, '2025-08-08 00:00:00+00', NULL, TRUE),
	(6, 12, NULL, NULL, '{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{streamer}/{', NULL, '{"type":"age","threshold":30}', NULL, NULL, FALSE);

INSERT INTO public.stream_events (id, stream_id, event_type, title, category_name, language, "timestamp") VALUES
	(1, 1, 'stream.online', 'Stream #1', 'Minecraft', 'en', '2025-03-31 07:13:20+00'),
	(2, 1, 'stream.offline', NULL, 'Minecraft', 'en', '2025-03-31 08:14:20+00'),
	(3, 2, 'stream.online', 'Stream #2', 'Elden Ring', 'de', '2025-03-31 14:26:40+00'),
	(4, 2, 'stream.offline', NULL, 'Elden Ring', 'de', '2025-03-31 15:28:40+00'),
	(5, 3, 'stream.online', 'Stream #3', 'ポケモン 🐉', 'ja', '2025-03-31 21:40:00+00'),
	(6, 3, 'channel.update', 'Renamed: Stream #3', 'ポケモン 🐉', 'ja', '2025-03-31 22:43:00+00'),
	(7, 4, 'stream.online', 'Stream #4', 'Software and Game Development', NULL, '2025-04-01 04:53:20+00'),
	(8, 4, 'stream.offline', NULL, 'Software and Game Development', NULL, '2025-04-01 05:57:20+00'),
	(9, 5, 'stream.online', 'Stream #5', NULL, 'en', '2025-04-01 12:06:40+00'),
	(10, 5, 'stream.offline', NULL, NULL, 'en', '2025-04-01 13:11:40+00'),
	(11, 6, 'stream.online', 'Stream #6', 'Just Chatting', 'de', '2025-04-01 19:20:00+00'),
	(12, 6, 'channel.update', 'Renamed: Stream #6', 'Just Chatting', 'de', '2025-04-01 20:26:00+00'),
	(13, 7, 'stream.online', 'Let''s play "Dark Souls" – part 7', 'Minecraft', 'ja', '2025-04-02 02:33:20+00'),
	(14, 7, 'stream.offline', NULL, 'Minecraft', 'ja', '2025-04-02 03:40:20+00'),
	(15, 8, 'stream.online', 'Stream #8', 'Elden Ring', NULL, '2025-04-02 09:46:40+00'),
	(16, 8, 'stream.offline', NULL, 'Elden Ring', NULL, '2025-04-02 10:54:40+00'),
	(17, 9, 'stream.online', 'Stream #9', 'ポケモン 🐉', 'en', '2025-04-02 17:00:00+00'),
	(18, 9, 'channel.update', 'Renamed: Stream #9', 'ポケモン 🐉', 'en', '2025-04-02 18:09:00+00'),
	(19, 10, 'stream.online', 'Stream #10', 'Software and Game Development', 'de', '2025-04-03 00:13:20+00'),
	(20, 10, 'stream.offline', NULL, 'Software and Game Development', 'de', '2025-04-03 01:23:20+00'),
	(21, 11, 'stream.online', 'ゲーム配信 第11回 🎮', NULL, 'ja', '2025-04-03 07:26:40+00'),
	(22, 11, 'stream.offline', NULL, NULL, 'ja', '2025-04-03 08:37:40+00'),
	(23, 12, 'stream.online', 'long', 'Just Chatting', NULL, '2025-04-03 14:40:00+00'),
	(24, 12, 'channel.update', NULL, 'Just Chatting', NULL, '2025-04-03 15:52:00+00'),
	(25, 13, 'stream.online', E'Windows path C:\\games\\13', 'Minecraft', 'en', '2025-04-03 21:53:20+00'),
	(26, 13, 'stream.offline', NULL, 'Minecraft', 'en', '2025-04-03 23:06:20+00'),
	(27, 14, 'stream.online', 'Let''s play "Dark Souls" – part 14', 'Elden Ring', 'de', '2025-04-04 05:06:40+00'),
	(28, 14, 'stream.offline', NULL, 'Elden Ring', 'de', '2025-04-04 06:20:40+00'),
	(29, 15, 'stream.online', 'Stream #15', 'ポケモン 🐉', 'ja', '2025-04-04 12:20:00+00'),
	(30, 15, 'channel.update', 'Renamed: Stream #15', 'ポケモン 🐉', 'ja', '2025-04-04 13:35:00+00'),
	(31, 16, 'stream.online', 'Stream #16', 'Software and Game Development', NULL, '2025-04-04 19:33:20+00'),
	(32, 16, 'stream.offline', NULL, 'Software and Game Development', NULL, '2025-04-04 20:49:20+00'),
	(33, 17, 'stream.online', 'Stream #17', NULL, 'en', '2025-04-05 02:46:40+00'),
	(34, 17, 'stream.offline', NULL, NULL, 'en', '2025-04-05 04:03:40+00'),
	(35, 18, 'stream.online', 'Stream #18', 'Just Chatting', 'de', '2025-04-05 10:00:00+00'),
	(36, 18, 'channel.update', 'Renamed: Stream #18', 'Just Chatting', 'de', '2025-04-05 11:18:00+00'),
	(37, 19, 'stream.online', 'Stream #19', 'Minecraft', 'ja', '2025-04-05 17:13:20+00'),
	(38, 19, 'stream.offline', NULL, 'Minecraft', 'ja', '2025-04-05 18:32:20+00'),
	(39, 20, 'stream.online', 'Stream #20', 'Elden Ring', NULL, '2025-04-06 00:26:40+00'),
	(40, 20, 'stream.offline', NULL, 'Elden Ring', NULL, '2025-04-06 01:46:40+00'),
	(41, 21, 'stream.online', 'Let''s play "Dark Souls" – part 21', 'ポケモン 🐉', 'en', '2025-04-06 07:40:00+00'),
	(42, 21, 'channel.update', 'Renamed: Let''s play "Dark Souls" – part 21', 'ポケモン 🐉', 'en', '2025-04-06 09:01:00+00'),
	(43, 22, 'stream.online', 'ゲーム配信 第22回 🎮', 'Software and Game Development', 'de', '2025-04-06 14:53:20+00'),
	(44, 22, 'stream.offline', NULL, 'Software and Game Development', 'de', '2025-04-06 16:15:20+00'),
	(45, 23, 'stream.online', 'Stream #23', NULL, 'ja', '2025-04-06 22:06:40+00'),
	(46, 23, 'stream.offline', NULL, NULL, 'ja', '2025-04-06 23:29:40+00'),
	(47, 24, 'stream.online', 'Stream #24', 'Just Chatting', NULL, '2025-04-07 05:20:00+00'),
	(48, 24, 'channel.update', 'Renamed: Stream #24', 'Just Chatting', NULL, '2025-04-07 06:44:00+00'),
	(401, NULL, 'stream.online', 'orphaned event (stream deleted)', NULL, NULL, '2025-10-08 00:00:00+00'),
	(402, 204, 'stream.online', 'live now 🔴', 'Just Chatting', 'ja', NULL),
	(403, 213, 'stream.online', 'dup group B #2', NULL, NULL, '2025-10-13 00:00:02+00'),
	(404, 211, 'stream.offline', NULL, NULL, NULL, '2025-10-12 02:00:00+00');

INSERT INTO public.stream_metadata (id, stream_id, thumbnail_path, thumbnail_url, nfo_path, json_path, chapters_vtt_path, chapters_srt_path, chapters_ffmpeg_path, avg_viewers, max_viewers, follower_count, tags, mature, original_language, original_title, original_category, created_at, updated_at, chapters_xml_path, tvshow_nfo_path, season_nfo_path) VALUES
	(1, 1, '/recordings/meta/1/thumb.jpg', NULL, '/recordings/meta/1/stream.nfo', '/recordings/meta/1/stream.json', '/recordings/meta/1/chapters.vtt', NULL, '/recordings/meta/1/chapters.ffmpeg', 10, 25, 1001, '["English","Chill"]', FALSE, 'en', 'Stream #1', 'Minecraft', '2025-03-31 07:13:20+00', '2025-03-31 08:14:20+00', '/recordings/meta/1/chapters.xml', '/recordings/tvshow.nfo', '/recordings/Season 2025-08/season.nfo'),
	(2, 2, '/recordings/meta/2/thumb.jpg', 'https://static-cdn.jtvnw.net/previews-ttv/live_user_2-1920x1080.jpg', '/recordings/meta/2/stream.nfo', '/recordings/meta/2/stream.json', '/recordings/meta/2/chapters.vtt', NULL, '/recordings/meta/2/chapters.ffmpeg', 20, 50, 1002, '["日本語","🎮"]', FALSE, 'de', 'Stream #2', 'Elden Ring', '2025-03-31 14:26:40+00', '2025-03-31 15:28:40+00', NULL, '/recordings/tvshow.nfo', '/recordings/Season 2025-08/season.nfo'),
	(3, 3, '/recordings/meta/3/thumb.jpg', NULL, '/recordings/meta/3/stream.nfo', '/recordings/meta/3/stream.json', '/recordings/meta/3/chapters.vtt', NULL, '/recordings/meta/3/chapters.ffmpeg', 30, 75, 1003, NULL, FALSE, 'ja', 'Stream #3', 'ポケモン 🐉', '2025-03-31 21:40:00+00', '2025-03-31 22:43:00+00', '/recordings/meta/3/chapters.xml', '/recordings/tvshow.nfo', '/recordings/Season 2025-08/season.nfo'),
	(4, 4, '/recordings/meta/4/thumb.jpg', 'https://static-cdn.jtvnw.net/previews-ttv/live_user_4-1920x1080.jpg', '/recordings/meta/4/stream.nfo', '/recordings/meta/4/stream.json', '/recordings/meta/4/chapters.vtt', NULL, '/recordings/meta/4/chapters.ffmpeg', 40, 100, 1004, '["English","Chill"]', TRUE, NULL, 'Stream #4', 'Software and Game Development', '2025-04-01 04:53:20+00', '2025-04-01 05:57:20+00', NULL, '/recordings/tvshow.nfo', '/recordings/Season 2025-08/season.nfo'),
	(5, 5, '/recordings/meta/5/thumb.jpg', NULL, '/recordings/meta/5/stream.nfo', '/recordings/meta/5/stream.json', '/recordings/meta/5/chapters.vtt', NULL, '/recordings/meta/5/chapters.ffmpeg', 50, 125, NULL, '["日本語","🎮"]', FALSE, 'en', 'Stream #5', NULL, '2025-04-01 12:06:40+00', '2025-04-01 13:11:40+00', '/recordings/meta/5/chapters.xml', NULL, NULL),
	(6, 6, '/recordings/meta/6/thumb.jpg', 'https://static-cdn.jtvnw.net/previews-ttv/live_user_6-1920x1080.jpg', '/recordings/meta/6/stream.nfo', '/recordings/meta/6/stream.json', '/recordings/meta/6/chapters.vtt', NULL, '/recordings/meta/6/chapters.ffmpeg', 60, 150, 1006, NULL, FALSE, 'de', 'Stream #6', 'Just Chatting', '2025-04-01 19:20:00+00', '2025-04-01 20:26:00+00', NULL, NULL, NULL),
	(7, 7, '/recordings/meta/7/thumb.jpg', NULL, '/recordings/meta/7/stream.nfo', '/recordings/meta/7/stream.json', '/recordings/meta/7/chapters.vtt', NULL, '/recordings/meta/7/chapters.ffmpeg', 70, 175, 1007, '["English","Chill"]', NULL, 'ja', 'Let''s play "Dark Souls" – part 7', 'Minecraft', '2025-04-02 02:33:20+00', '2025-04-02 03:40:20+00', '/recordings/meta/7/chapters.xml', NULL, NULL),
	(8, 8, '/recordings/meta/8/thumb.jpg', 'https://static-cdn.jtvnw.net/previews-ttv/live_user_8-1920x1080.jpg', '/recordings/meta/8/stream.nfo', '/recordings/meta/8/stream.json', '/recordings/meta/8/chapters.vtt', NULL, '/recordings/meta/8/chapters.ffmpeg', 80, 200, 1008, '["日本語","🎮"]', TRUE, NULL, 'Stream #8', 'Elden Ring', '2025-04-02 09:46:40+00', '2025-04-02 10:54:40+00', NULL, NULL, NULL),
	(9, 9, '/recordings/meta/9/thumb.jpg', NULL, '/recordings/meta/9/stream.nfo', '/recordings/meta/9/stream.json', '/recordings/meta/9/chapters.vtt', NULL, '/recordings/meta/9/chapters.ffmpeg', 90, 225, 1009, NULL, FALSE, 'en', 'Stream #9', 'ポケモン 🐉', '2025-04-02 17:00:00+00', '2025-04-02 18:09:00+00', '/recordings/meta/9/chapters.xml', NULL, NULL),
	(10, 10, '/recordings/meta/10/thumb.jpg', 'https://static-cdn.jtvnw.net/previews-ttv/live_user_10-1920x1080.jpg', '/recordings/meta/10/stream.nfo', '/recordings/meta/10/stream.json', '/recordings/meta/10/chapters.vtt', NULL, '/recordings/meta/10/chapters.ffmpeg', 100, 250, NULL, '["English","Chill"]', FALSE, 'de', 'Stream #10', 'Software and Game Development', '2025-04-03 00:13:20+00', '2025-04-03 01:23:20+00', NULL, NULL, NULL),
	(11, 11, '/recordings/meta/11/thumb.jpg', NULL, '/recordings/meta/11/stream.nfo', '/recordings/meta/11/stream.json', '/recordings/meta/11/chapters.vtt', NULL, '/recordings/meta/11/chapters.ffmpeg', 110, 275, 1011, '["日本語","🎮"]', FALSE, 'ja', 'ゲーム配信 第11回 🎮', NULL, '2025-04-03 07:26:40+00', '2025-04-03 08:37:40+00', '/recordings/meta/11/chapters.xml', NULL, NULL),
	(12, 12, '/recordings/meta/12/thumb.jpg', 'https://static-cdn.jtvnw.net/previews-ttv/live_user_12-1920x1080.jpg', '/recordings/meta/12/stream.nfo', '/recordings/meta/12/stream.json', '/recordings/meta/12/chapters.vtt', NULL, '/recordings/meta/12/chapters.ffmpeg', 120, 300, 1012, NULL, TRUE, NULL, 'long title', 'Just Chatting', '2025-04-03 14:40:00+00', '2025-04-03 15:52:00+00', NULL, NULL, NULL),
	(13, 13, '/recordings/meta/13/thumb.jpg', NULL, '/recordings/meta/13/stream.nfo', '/recordings/meta/13/stream.json', '/recordings/meta/13/chapters.vtt', NULL, '/recordings/meta/13/chapters.ffmpeg', 130, 325, 1013, '["English","Chill"]', FALSE, 'en', E'Windows path C:\\games\\13', 'Minecraft', '2025-04-03 21:53:20+00', '2025-04-03 23:06:20+00', '/recordings/meta/13/chapters.xml', NULL, NULL),
	(14, 14, '/recordings/meta/14/thumb.jpg', 'https://static-cdn.jtvnw.net/previews-ttv/live_user_14-1920x1080.jpg', '/recordings/meta/14/stream.nfo', '/recordings/meta/14/stream.json', '/recordings/meta/14/chapters.vtt', NULL, '/recordings/meta/14/chapters.ffmpeg', 140, 350, 1014, '["日本語","🎮"]', NULL, 'de', 'Let''s play "Dark Souls" – part 14', 'Elden Ring', '2025-04-04 05:06:40+00', '2025-04-04 06:20:40+00', NULL, NULL, NULL),
	(50, 210, '/recordings/meta/210/thumb.jpg', NULL, NULL, NULL, NULL, NULL, NULL, 1, 2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
	(51, 212, '/recordings/meta/212/thumb.jpg', NULL, NULL, NULL, NULL, NULL, NULL, 3, 4, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);

INSERT INTO public.recordings (id, stream_id, start_time, end_time, status, duration, path, created_at) VALUES
	(1, 1, '2025-03-31 07:13:20+00', '2025-03-31 08:14:20+00', 'completed', 3660, '/recordings/streamer_002/streamer_002_0001.mp4', '2025-03-31 07:13:20+00'),
	(2, 2, '2025-03-31 14:26:40+00', '2025-03-31 15:28:40+00', 'completed', 3720, '/recordings/streamer_003/streamer_003_0002.mp4', '2025-03-31 14:26:40+00'),
	(3, 3, '2025-03-31 21:40:00+00', '2025-03-31 22:43:00+00', 'completed', 3780, '/recordings/streamer_004/streamer_004_0003.mp4', '2025-03-31 21:40:00+00'),
	(4, 4, '2025-04-01 04:53:20+00', '2025-04-01 05:57:20+00', 'completed', 3840, '/recordings/streamer_005/streamer_005_0004.mp4', '2025-04-01 04:53:20+00'),
	(5, 5, '2025-04-01 12:06:40+00', '2025-04-01 13:11:40+00', 'completed', 3900, NULL, '2025-04-01 12:06:40+00'),
	(6, 6, '2025-04-01 19:20:00+00', '2025-04-01 20:26:00+00', 'completed', 3960, '/recordings/streamer_008/streamer_008_0006.mp4', '2025-04-01 19:20:00+00'),
	(7, 7, '2025-04-02 02:33:20+00', '2025-04-02 03:40:20+00', 'failed', 4020, '/recordings/streamer_009/streamer_009_0007.mp4', '2025-04-02 02:33:20+00'),
	(8, 8, '2025-04-02 09:46:40+00', '2025-04-02 10:54:40+00', 'completed', 4080, '/recordings/streamer_010/streamer_010_0008.mp4', '2025-04-02 09:46:40+00'),
	(9, 9, '2025-04-02 17:00:00+00', '2025-04-02 18:09:00+00', 'completed', 4140, '/recordings/streamer_012/streamer_012_0009.mp4', '2025-04-02 17:00:00+00'),
	(10, 10, '2025-04-03 00:13:20+00', '2025-04-03 01:23:20+00', 'completed', 4200, NULL, '2025-04-03 00:13:20+00'),
	(11, 11, '2025-04-03 07:26:40+00', '2025-04-03 08:37:40+00', 'completed', 4260, '/recordings/streamer_014/streamer_014_0011.mp4', NULL),
	(12, 12, '2025-04-03 14:40:00+00', '2025-04-03 15:52:00+00', 'completed', 4320, '/recordings/streamer_015/streamer_015_0012.mp4', '2025-04-03 14:40:00+00'),
	(40, 204, '2025-10-16 23:30:00+00', NULL, 'recording', NULL, '/recordings/streamer_002/live.ts', '2025-10-16 23:30:01+00'),
	(41, 211, '2025-10-12 00:00:05+00', '2025-10-12 02:00:00+00', 'completed', 7195, '/recordings/O''Brien/a.mp4', '2025-10-12 00:00:05+00');

INSERT INTO public.active_recordings_state (id, stream_id, recording_id, process_id, process_identifier, streamer_name, started_at, ts_output_path, force_mode, quality, status, last_heartbeat, config_json, created_at, updated_at) VALUES
	(1, 204, 40, 4242, 'streamlink_4242_204', 'ストリーマー', '2025-10-16 23:30:00+00', '/recordings/streamer_002/live.ts', FALSE, 'best', 'recording', '2025-10-16 23:59:30+00', '{"quality":"best","proxy":null}', '2025-10-16 23:30:00+00', '2025-10-16 23:59:30+00');

INSERT INTO public.recording_processing_state (id, recording_id, stream_id, streamer_id, metadata_status, chapters_status, mp4_remux_status, mp4_validation_status, thumbnail_status, cleanup_status, last_error, task_ids_json, created_at, updated_at) VALUES
	(1, 7, 7, 9, 'completed', 'completed', 'failed', 'pending', 'completed', 'pending', 'ffmpeg: moov atom not found', '["task-7-meta","task-7-remux"]', '2025-08-28 00:00:00+00', '2025-08-28 00:05:00+00'),
	(2, 40, 204, 2, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, NULL, NULL, '2025-10-16 23:30:00+00', NULL);

INSERT INTO public.share_tokens (id, token, stream_id, expires_at, created_at) VALUES
	(1, 'shr_9c1f0e5b7a3d4c2e8f6a0b1c2d3e4f50', 2, '2025-10-24 00:00:00+00', '2025-10-17 00:00:00+00'),
	(2, 'shr_points_at_a_duplicate', 212, '2025-10-16 02:00:00+02', '2025-10-09 00:00:00+00');

-- the rows the fresh install seeded (migration 015) as later changed in the settings pages
UPDATE public.global_settings SET
	notification_url = 'ntfy://ntfy.sh/streamvault-test?priority=high&tags=tv,ünï',
	notifications_enabled = TRUE,
	notify_online_global = TRUE,
	notify_offline_global = FALSE,
	notify_update_global = TRUE,
	notify_favorite_category_global = NULL,
	http_proxy = 'http://user:p%40ss@proxy.internal:3128',
	https_proxy = ''
WHERE id = 1;

UPDATE public.recording_settings SET
	enabled = TRUE,
	output_directory = '/recordings',
	filename_template = '{streamer}/Season {year}-{month}/{streamer} - S{year}{month}E{episode:02d} - {title}',
	default_quality = 'best',
	use_chapters = TRUE,
	filename_preset = 'mediaserver',
	use_category_as_chapter_title = TRUE,
	max_streams_per_streamer = 25,
	cleanup_policy = '{"type":"count","threshold":25,"preserve_favorites":true}'
WHERE id = 1;

INSERT INTO public.push_subscriptions (id, endpoint, subscription_data, user_agent, is_active, created_at, updated_at, p256dh_key, auth_key, last_used) VALUES
	(1, 'https://fcm.googleapis.com/fcm/send/dGVzdC1lbmRwb2ludC0x', '{"endpoint":"https://fcm.googleapis.com/fcm/send/dGVzdC1lbmRwb2ludC0x","keys":{"p256dh":"BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM","auth":"tBHItJI5svbpez7KI4CCXg"}}', 'Mozilla/5.0 (X11; Linux x86_64) Chrome/138.0', TRUE, '2025-07-09 00:00:00+00', '2025-10-07 00:00:00+00', 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM', 'tBHItJI5svbpez7KI4CCXg', '2025-10-16 23:00:00+00'),
	(2, 'https://web.push.apple.com/QGV4YW1wbGU', '{"endpoint":"https://web.push.apple.com/QGV4YW1wbGU","keys":{"p256dh":"BDef","auth":"uvw"}}', NULL, FALSE, '2025-07-19 00:00:00+00', '2025-08-18 00:00:00+00', 'BDef', 'uvw', NULL),
	(4, 'https://fcm.googleapis.com/fcm/send/ünïcode-and-''quote''', '{"note":"it''s fine"}', 'Safari/18.5 😀 (iPhone; ストリーマー)', TRUE, NULL, NULL, NULL, NULL, NULL),
	(5, 'https://fcm.googleapis.com/fcm/send/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', '{}', '', TRUE, '2025-10-16 00:00:00+00', '2025-10-16 00:00:00+00', '', '', '2025-10-16 00:00:00+00');

INSERT INTO public.system_config (id, key, value, description, created_at, updated_at) VALUES
	(1, 'vapid_public_key', 'BEl62iUYgUivxIkv69yViEuiBIa-Ib9-SkvMeAtA3LFgDzkrxZJjSgSnfckjBJuBkr3qBUYIHBQFLXYp5Nksh8U', 'VAPID public key for web push', '2025-07-09 00:00:00+00', '2025-07-09 00:00:00+00'),
	(2, 'vapid_private_key', E'-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n', 'VAPID private key for web push', '2025-07-09 00:00:00+00', '2025-07-09 00:00:00+00'),
	(3, 'vapid_claims_email', 'mailto:admin@streamvault.local', NULL, '2025-07-09 00:00:01+00', NULL),
	(4, 'motd', E'It\'s "quoted", has a backslash \\ and unicode ✓', 'value with quotes', NULL, NULL),
	(6, 'kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk', '', 'kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk', '2025-10-16 00:00:00+00', '2025-10-16 00:00:00+00'),
	(7, 'last_cleanup_run', NULL, 'NULL value (allowed once system_config.value became nullable)', '2025-10-16 00:00:00+00', '2025-10-16 00:00:00+00');

-- Explicit ids bypass the sequences; move them to max(id) as a live database would have them.
SELECT setval('public.active_recordings_state_id_seq', max(id)) FROM public.active_recordings_state;
SELECT setval('public.categories_id_seq', max(id)) FROM public.categories;
SELECT setval('public.favorite_categories_id_seq', max(id)) FROM public.favorite_categories;
SELECT setval('public.global_settings_id_seq', max(id)) FROM public.global_settings;
SELECT setval('public.notification_settings_id_seq', max(id)) FROM public.notification_settings;
SELECT setval('public.push_subscriptions_id_seq', max(id)) FROM public.push_subscriptions;
SELECT setval('public.recording_processing_state_id_seq', max(id)) FROM public.recording_processing_state;
SELECT setval('public.recording_settings_id_seq', max(id)) FROM public.recording_settings;
SELECT setval('public.recordings_id_seq', max(id)) FROM public.recordings;
SELECT setval('public.sessions_id_seq', max(id)) FROM public.sessions;
SELECT setval('public.share_tokens_id_seq', max(id)) FROM public.share_tokens;
SELECT setval('public.stream_events_id_seq', max(id)) FROM public.stream_events;
SELECT setval('public.stream_metadata_id_seq', max(id)) FROM public.stream_metadata;
SELECT setval('public.streamer_recording_settings_id_seq', max(id)) FROM public.streamer_recording_settings;
SELECT setval('public.streamers_id_seq', max(id)) FROM public.streamers;
SELECT setval('public.streams_id_seq', max(id)) FROM public.streams;
SELECT setval('public.system_config_id_seq', max(id)) FROM public.system_config;
SELECT setval('public.users_id_seq', max(id)) FROM public.users;

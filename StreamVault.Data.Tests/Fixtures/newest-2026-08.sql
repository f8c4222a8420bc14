-- Fixture: a StreamVault database as the NEWEST Python app (Serph91P/StreamVault
-- 6eaf5ac0, v2.13.15, 2026-08-02) leaves it after a fresh install and some use.
-- Schema below the header is pg_dump's output from
-- the reference dump streamvault-python-2026-08.sql (fresh install: migrations
-- 001..039 + 20251110, then create_all), statement for statement (only the
-- CREATE SEQUENCE options are joined onto one line), with pg_dump's
-- comment blocks and its session SETs (search_path etc.) removed; every object
-- lives in schema public. Then the 42 rows of the app's `migrations` ledger
-- (shape (b): id SERIAL, script_name UNIQUE, applied_at timestamptz) exactly as
-- in that dump. There is NO applied_migrations table (the newest app never
-- creates one). The data section at the end adds varied, deterministic rows.
--
-- Row counts: streamers 50 (ids 1..55, 23, 30, 41, 44 and 50 missing; 51..55
-- have no streams; 12 and 53..55 are is_test_data), streams 3000 (ids 1..3099
-- except multiples of 31; twitch_stream_id unique where not NULL, NULL in 750
-- rows, '' once), global_settings 1, push_subscriptions 5 (1 inactive),
-- system_config 6 (one value NULL, one ''), users 2, sessions 2, api_keys 2,
-- notification_state 1, system_state 1, categories 3, favorite_categories 2,
-- recording_settings 1, proxy_settings 2, notification_settings 10,
-- streamer_recording_settings 6, stream_events 82, stream_metadata 25,
-- recordings 32, active_recordings_state 1, recording_processing_state 2,
-- share_tokens 1, migrations 42.
--
-- Timestamps carry explicit offsets or come from to_timestamp(epoch) so the
-- stored values do not depend on the session TimeZone (the one naive column,
-- global_settings.twitch_token_expires_at, gets a naive literal); no column
-- default that reads the clock is relied on, and no UPDATE fires the
-- updated_at triggers. Backslashes only appear in E'' strings.
SET client_encoding = 'UTF8';

-- ------------------------------------------------- schema (pg_dump, 2026-08)
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

CREATE TABLE public.api_keys (
    id integer NOT NULL,
    user_id integer NOT NULL,
    name character varying NOT NULL,
    key_hash character varying NOT NULL,
    key_prefix character varying(12) NOT NULL,
    created_at timestamp with time zone DEFAULT now(),
    last_used_at timestamp with time zone,
    revoked_at timestamp with time zone
);

CREATE SEQUENCE public.api_keys_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE public.api_keys_id_seq OWNED BY public.api_keys.id;

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
    https_proxy character varying(255),
    supported_codecs character varying DEFAULT 'h264,h265'::character varying NOT NULL,
    prefer_higher_quality boolean DEFAULT true NOT NULL,
    notify_recording_started boolean DEFAULT false,
    notify_recording_failed boolean DEFAULT true,
    notify_recording_completed boolean DEFAULT false,
    proxy_encryption_key character varying(255) DEFAULT NULL::character varying,
    twitch_refresh_token text,
    twitch_token_expires_at timestamp without time zone,
    twitch_access_token text
);

COMMENT ON COLUMN public.global_settings.supported_codecs IS 'Comma-separated list of supported codecs for Streamlink (h264, h265, av1)';

COMMENT ON COLUMN public.global_settings.prefer_higher_quality IS 'Automatically select highest available quality when using h265/av1';

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

CREATE TABLE public.notification_state (
    id integer NOT NULL,
    user_id integer NOT NULL,
    last_read_timestamp timestamp with time zone,
    last_cleared_timestamp timestamp with time zone,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP
);

CREATE SEQUENCE public.notification_state_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE public.notification_state_id_seq OWNED BY public.notification_state.id;

CREATE TABLE public.proxy_settings (
    id integer NOT NULL,
    proxy_url character varying NOT NULL,
    priority integer DEFAULT 0 NOT NULL,
    enabled boolean DEFAULT true NOT NULL,
    last_health_check timestamp with time zone,
    health_status character varying DEFAULT 'unknown'::character varying NOT NULL,
    consecutive_failures integer DEFAULT 0 NOT NULL,
    average_response_time_ms integer,
    total_recordings integer DEFAULT 0 NOT NULL,
    failed_recordings integer DEFAULT 0 NOT NULL,
    success_rate double precision,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

CREATE SEQUENCE public.proxy_settings_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE public.proxy_settings_id_seq OWNED BY public.proxy_settings.id;

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
    cleanup_policy text DEFAULT 'keep_all'::text,
    enable_proxy boolean DEFAULT true NOT NULL,
    proxy_health_check_enabled boolean DEFAULT true NOT NULL,
    proxy_health_check_interval_seconds integer DEFAULT 300 NOT NULL,
    proxy_max_consecutive_failures integer DEFAULT 3 NOT NULL,
    fallback_to_direct_connection boolean DEFAULT true NOT NULL
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
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    error_message text,
    failure_reason character varying(255),
    failure_timestamp timestamp with time zone
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
    season_nfo_path text,
    segments_dir_path character varying(500),
    segments_removed boolean DEFAULT false
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
    use_global_cleanup_policy boolean DEFAULT true NOT NULL,
    supported_codecs character varying(255) DEFAULT NULL::character varying
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
    created_at timestamp with time zone DEFAULT now(),
    last_stream_title character varying,
    last_stream_category_name character varying,
    last_stream_viewer_count integer,
    last_stream_ended_at timestamp with time zone,
    is_test_data boolean DEFAULT false NOT NULL,
    description text,
    offline_image_url character varying,
    original_offline_image_url character varying
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

CREATE TABLE public.system_state (
    id integer DEFAULT 1 NOT NULL,
    welcome_completed boolean DEFAULT false NOT NULL,
    welcome_completed_at timestamp with time zone,
    updated_at timestamp with time zone DEFAULT now(),
    CONSTRAINT system_state_singleton CHECK ((id = 1))
);

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
ALTER TABLE ONLY public.api_keys ALTER COLUMN id SET DEFAULT nextval('public.api_keys_id_seq'::regclass);
ALTER TABLE ONLY public.categories ALTER COLUMN id SET DEFAULT nextval('public.categories_id_seq'::regclass);
ALTER TABLE ONLY public.favorite_categories ALTER COLUMN id SET DEFAULT nextval('public.favorite_categories_id_seq'::regclass);
ALTER TABLE ONLY public.global_settings ALTER COLUMN id SET DEFAULT nextval('public.global_settings_id_seq'::regclass);
ALTER TABLE ONLY public.migrations ALTER COLUMN id SET DEFAULT nextval('public.migrations_id_seq'::regclass);
ALTER TABLE ONLY public.notification_settings ALTER COLUMN id SET DEFAULT nextval('public.notification_settings_id_seq'::regclass);
ALTER TABLE ONLY public.notification_state ALTER COLUMN id SET DEFAULT nextval('public.notification_state_id_seq'::regclass);
ALTER TABLE ONLY public.proxy_settings ALTER COLUMN id SET DEFAULT nextval('public.proxy_settings_id_seq'::regclass);
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

ALTER TABLE ONLY public.api_keys
    ADD CONSTRAINT api_keys_key_hash_key UNIQUE (key_hash);

ALTER TABLE ONLY public.api_keys
    ADD CONSTRAINT api_keys_pkey PRIMARY KEY (id);

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

ALTER TABLE ONLY public.notification_state
    ADD CONSTRAINT notification_state_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.notification_state
    ADD CONSTRAINT notification_state_user_id_key UNIQUE (user_id);

ALTER TABLE ONLY public.proxy_settings
    ADD CONSTRAINT proxy_settings_pkey PRIMARY KEY (id);

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

ALTER TABLE ONLY public.system_state
    ADD CONSTRAINT system_state_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_username_key UNIQUE (username);

CREATE INDEX idx_active_recordings_heartbeat ON public.active_recordings_state USING btree (last_heartbeat);
CREATE INDEX idx_active_recordings_process_id ON public.active_recordings_state USING btree (process_id);
CREATE INDEX idx_active_recordings_status ON public.active_recordings_state USING btree (status);
CREATE INDEX idx_notification_settings_streamer_id ON public.notification_settings USING btree (streamer_id);
CREATE INDEX idx_notification_state_user_id ON public.notification_state USING btree (user_id);
CREATE INDEX idx_proxy_enabled ON public.proxy_settings USING btree (enabled);
CREATE INDEX idx_proxy_health ON public.proxy_settings USING btree (health_status);
CREATE INDEX idx_proxy_priority ON public.proxy_settings USING btree (priority);
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
CREATE INDEX idx_streamers_test_data ON public.streamers USING btree (is_test_data);
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
CREATE INDEX ix_api_keys_key_hash ON public.api_keys USING btree (key_hash);
CREATE INDEX ix_api_keys_user_id ON public.api_keys USING btree (user_id);
CREATE INDEX ix_push_subscriptions_endpoint ON public.push_subscriptions USING btree (endpoint);
CREATE INDEX ix_push_subscriptions_is_active ON public.push_subscriptions USING btree (is_active);
CREATE UNIQUE INDEX ix_rps_recording_id ON public.recording_processing_state USING btree (recording_id);
CREATE INDEX ix_rps_stream_id ON public.recording_processing_state USING btree (stream_id);
CREATE INDEX ix_rps_updated_at ON public.recording_processing_state USING btree (updated_at);
CREATE UNIQUE INDEX ix_streams_twitch_stream_id ON public.streams USING btree (twitch_stream_id);

CREATE TRIGGER update_push_subscriptions_updated_at BEFORE UPDATE ON public.push_subscriptions FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();

CREATE TRIGGER update_recording_processing_state_updated_at BEFORE UPDATE ON public.recording_processing_state FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();

ALTER TABLE ONLY public.active_recordings_state
    ADD CONSTRAINT active_recordings_state_recording_id_fkey FOREIGN KEY (recording_id) REFERENCES public.recordings(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.active_recordings_state
    ADD CONSTRAINT active_recordings_state_stream_id_fkey FOREIGN KEY (stream_id) REFERENCES public.streams(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.api_keys
    ADD CONSTRAINT api_keys_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.favorite_categories
    ADD CONSTRAINT favorite_categories_category_id_fkey FOREIGN KEY (category_id) REFERENCES public.categories(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.favorite_categories
    ADD CONSTRAINT favorite_categories_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.notification_settings
    ADD CONSTRAINT notification_settings_streamer_id_fkey FOREIGN KEY (streamer_id) REFERENCES public.streamers(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.notification_state
    ADD CONSTRAINT notification_state_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;

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

-- ------------------------------------------- rows of the migration ledger
INSERT INTO public.migrations VALUES (1, '001_create_base_tables.py', '2026-11-29 09:10:39.821369+00', true);
INSERT INTO public.migrations VALUES (2, '002_create_main_entities.py', '2026-11-29 09:10:39.863854+00', true);
INSERT INTO public.migrations VALUES (3, '003_create_dependent_tables.py', '2026-11-29 09:10:39.932379+00', true);
INSERT INTO public.migrations VALUES (4, '004_add_database_indexes.py', '2026-11-29 09:10:39.977028+00', true);
INSERT INTO public.migrations VALUES (5, '005_add_max_streams_columns.py', '2026-11-29 09:10:39.997226+00', true);
INSERT INTO public.migrations VALUES (6, '006_add_cleanup_policy_columns.py', '2026-11-29 09:10:40.01642+00', true);
INSERT INTO public.migrations VALUES (7, '007_add_proxy_settings.py', '2026-11-29 09:10:40.034953+00', true);
INSERT INTO public.migrations VALUES (8, '008_add_active_recording_fields.py', '2026-11-29 09:10:40.065096+00', true);
INSERT INTO public.migrations VALUES (9, '009_add_cascade_constraints.py', '2026-11-29 09:10:40.090966+00', true);
INSERT INTO public.migrations VALUES (10, '010_setup_category_images.py', '2026-11-29 09:10:40.190997+00', true);
INSERT INTO public.migrations VALUES (11, '011_add_recording_path_to_streams.py', '2026-11-29 09:10:40.220878+00', true);
INSERT INTO public.migrations VALUES (12, '012_add_created_at_to_recordings.py', '2026-11-29 09:10:40.261656+00', true);
INSERT INTO public.migrations VALUES (13, '013_add_episode_number_to_streams.py', '2026-11-29 09:10:40.289472+00', true);
INSERT INTO public.migrations VALUES (14, '014_add_streamer_preferences.py', '2026-11-29 09:10:40.375285+00', true);
INSERT INTO public.migrations VALUES (15, '015_add_default_settings.py', '2026-11-29 09:10:40.399964+00', true);
INSERT INTO public.migrations VALUES (16, '016_add_use_global_cleanup_policy.py', '2026-11-29 09:10:40.438068+00', true);
INSERT INTO public.migrations VALUES (17, '017_add_xml_chapters_column.py', '2026-11-29 09:10:40.483201+00', true);
INSERT INTO public.migrations VALUES (18, '018_enable_session_cleanup.py', '2026-11-29 09:10:40.499641+00', true);
INSERT INTO public.migrations VALUES (19, '018_remove_unused_metadata_columns.py', '2026-11-29 09:10:40.535349+00', true);
INSERT INTO public.migrations VALUES (20, '019_create_share_tokens.py', '2026-11-29 09:10:40.54651+00', true);
INSERT INTO public.migrations VALUES (21, '019_update_twitch_profile_urls.py', '2026-11-29 09:10:40.57708+00', true);
INSERT INTO public.migrations VALUES (22, '020_remove_unused_metadata_columns.py', '2026-11-29 09:10:40.616358+00', true);
INSERT INTO public.migrations VALUES (23, '021_add_xml_chapters_column.py', '2026-11-29 09:10:40.677769+00', true);
INSERT INTO public.migrations VALUES (24, '022_add_recording_processing_state.py', '2026-11-29 09:10:40.692335+00', true);
INSERT INTO public.migrations VALUES (25, '023_add_last_stream_info.py', '2026-11-29 09:10:40.750207+00', true);
INSERT INTO public.migrations VALUES (26, '024_add_codec_preferences.py', '2026-11-29 09:10:40.772845+00', true);
INSERT INTO public.migrations VALUES (27, '025_add_multi_proxy_support.py', '2026-11-29 09:10:40.800725+00', true);
INSERT INTO public.migrations VALUES (28, '026_encrypt_proxy_credentials.py', '2026-11-29 09:10:40.926421+00', true);
INSERT INTO public.migrations VALUES (29, '027_add_recording_error_tracking.py', '2026-11-29 09:10:40.932963+00', true);
INSERT INTO public.migrations VALUES (30, '028_add_system_notification_settings.py', '2026-11-29 09:10:40.939715+00', true);
INSERT INTO public.migrations VALUES (31, '029_add_is_test_data_flag.py', '2026-11-29 09:10:40.946379+00', true);
INSERT INTO public.migrations VALUES (32, '030_add_notification_state.py', '2026-11-29 09:10:40.953565+00', true);
INSERT INTO public.migrations VALUES (33, '031_add_per_streamer_codecs.py', '2026-11-29 09:10:40.96343+00', true);
INSERT INTO public.migrations VALUES (34, '032_add_proxy_encryption_key.py', '2026-11-29 09:10:40.97323+00', true);
INSERT INTO public.migrations VALUES (35, '033_add_twitch_token_refresh.py', '2026-11-29 09:10:40.985193+00', true);
INSERT INTO public.migrations VALUES (36, '034_add_twitch_access_token.py', '2026-11-29 09:10:40.996654+00', true);
INSERT INTO public.migrations VALUES (37, '035_add_segments_dir_path.py', '2026-11-29 09:10:41.015054+00', true);
INSERT INTO public.migrations VALUES (38, '036_add_streamer_description.py', '2026-11-29 09:10:41.029797+00', true);
INSERT INTO public.migrations VALUES (39, '037_add_api_keys.py', '2026-11-29 09:10:41.04249+00', true);
INSERT INTO public.migrations VALUES (40, '038_add_system_state.py', '2026-11-29 09:10:41.049244+00', true);
INSERT INTO public.migrations VALUES (41, '039_add_unique_twitch_stream_id.py', '2026-11-29 09:10:41.057757+00', true);
INSERT INTO public.migrations VALUES (42, '20251110_add_streamer_banner.py', '2026-11-29 09:10:41.063442+00', true);
SELECT pg_catalog.setval('public.migrations_id_seq', 42, true);

-- ---------------------------------------------------------------- fixture data
INSERT INTO public.users (id, username, password, is_admin, created_at) VALUES
	(1, 'admin', '$2b$12$KIXQJzE6yK1Jm3n0cW4nVeZk3c1mHcQyq0lq8n6O1t2b3c4d5e6f7', TRUE, '2025-11-20 08:00:00+00'),
	(3, 'Zoë O''Neil', '$2b$12$AbCdEfGhIjKlMnOpQrStUuVwXyZ0123456789abcdefghijklmnopq', NULL, NULL);

INSERT INTO public.sessions (id, user_id, token, expires_at, created_at) VALUES
	(1, 1, 'tok_0f9e8d7c6b5a4938271605f4e3d2c1b0', '2026-08-02 10:00:00+00', '2026-08-01 10:00:00+00'),
	(3, 3, 'tok_with''quote', '2026-08-03 09:30:00+02', NULL);

INSERT INTO public.api_keys (id, user_id, name, key_hash, key_prefix, created_at, last_used_at, revoked_at) VALUES
	(1, 1, 'Home Assistant 🏠', 'c2hhMjU2JGFiY2RlZjAxMjM0NTY3ODlhYmNkZWYwMTIzNDU2Nzg5', 'sv_3f9a1c0b', '2026-05-07 12:00:00+00', '2026-08-01 23:59:59.999999+00', NULL),
	(2, 1, 'old key "revoked"', 'c2hhMjU2JDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAw', 'sv_00000000', '2026-05-06 08:00:00+00', NULL, '2026-06-01 00:00:00+00');

INSERT INTO public.notification_state (id, user_id, last_read_timestamp, last_cleared_timestamp, created_at, updated_at) VALUES
	(1, 1, '2026-08-01 20:00:00+00', NULL, '2025-11-20 08:00:00+00', '2026-08-01 20:00:00+00');

INSERT INTO public.system_state (id, welcome_completed, welcome_completed_at, updated_at) VALUES
	(1, TRUE, '2025-11-20 08:05:00+00', '2025-11-20 08:05:00+00');

INSERT INTO public.categories (id, twitch_id, name, box_art_url, first_seen, last_seen) VALUES
	(1, '509658', 'Just Chatting', 'https://static-cdn.jtvnw.net/ttv-boxart/509658-{width}x{height}.jpg', '2025-11-20 00:00:00+00', '2026-08-01 23:59:59+00'),
	(2, '512953', 'Elden Ring', NULL, '2025-12-24 23:59:59.999999+00', NULL),
	(4, '490100', 'ポケモン 🐉', '', NULL, NULL);

INSERT INTO public.favorite_categories (id, user_id, category_id, created_at) VALUES
	(1, 1, 1, '2025-12-01 00:00:00+00'),
	(2, 3, 4, NULL);

INSERT INTO public.recording_settings (id, enabled, output_directory, filename_template, default_quality, use_chapters, filename_preset, use_category_as_chapter_title, max_streams_per_streamer, cleanup_policy, enable_proxy, proxy_health_check_enabled, proxy_health_check_interval_seconds, proxy_max_consecutive_failures, fallback_to_direct_connection) VALUES
	(1, TRUE, '/recordings', '{streamer}/Season {year}-{month}/{streamer} - S{year}{month}E{episode:02d} - {title}', 'best', TRUE, 'mediaserver', TRUE, 25, '{"type":"count","threshold":25,"preserve_favorites":true}', TRUE, TRUE, 300, 3, FALSE);

INSERT INTO public.proxy_settings (id, proxy_url, priority, enabled, last_health_check, health_status, consecutive_failures, average_response_time_ms, total_recordings, failed_recordings, success_rate, created_at, updated_at) VALUES
	(1, 'gAAAAABmZ3h5_encrypted_proxy_url_one==', 0, TRUE, '2026-08-01 23:55:00+00', 'healthy', 0, 142, 311, 4, 0.9871382636655949, '2025-11-13 10:00:00+00', '2026-08-01 23:55:00+00'),
	(3, 'http://user:p%40ss@proxy.internal:3129', 5, FALSE, NULL, 'unknown', 7, NULL, 0, 0, NULL, '2026-01-01 00:00:00+00', '2026-01-01 00:00:00+00');

-- Streamers: hand-picked awkward rows (1..15), generated ordinary ones after (16..55 with gaps).
INSERT INTO public.streamers (id, twitch_id, username, is_live, title, category_name, language, last_updated, profile_image_url, original_profile_image_url, is_favorite, auto_record, created_at, last_stream_title, last_stream_category_name, last_stream_viewer_count, last_stream_ended_at, is_test_data, description, offline_image_url, original_offline_image_url) VALUES
	(1, '12826', 'twitch', FALSE, 'Twitch Dev Stream', 'Software and Game Development', 'en', '2026-08-01 18:00:00+00', '/recordings/.media/profile_images/12826.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/twitch-profile_image-300x300.png', TRUE, TRUE, '2025-11-20 08:10:00+00', 'Twitch Dev Stream', 'Software and Game Development', 1523, '2026-07-31 20:00:00+00', FALSE, 'The official Twitch channel.', '/recordings/.media/offline_images/12826.png', 'https://static-cdn.jtvnw.net/jtv_user_pictures/twitch-channel_offline_image-1920x1080.png'),
	(2, '44322889', 'ストリーマー', TRUE, '今日もまったり配信 ☕', 'Just Chatting', 'ja', '2026-08-01 21:15:30.123456+09', '/recordings/.media/profile_images/44322889.jpg', 'https://static-cdn.jtvnw.net/jtv_user_pictures/44322889-profile_image-300x300.png', TRUE, FALSE, '2025-11-20 08:11:00+00', '昨日の配信 🌙', 'Just Chatting', 87, '2026-07-31 23:59:59.999999+09', FALSE, E'毎日配信しています！\nスケジュール: 月〜金 21時〜', '/recordings/.media/offline_images/44322889.png', NULL),
	(3, '500000001', 'O''Brien', FALSE, 'Sláinte! It''s "quote" night', 'Music', 'en', '2026-01-01 00:00:00+00', NULL, NULL, FALSE, TRUE, '2025-11-21 00:00:00+00', 'It''s "quote" night', 'Music', 0, '2026-01-01 00:00:00+00', FALSE, 'He said "hi" and it''s fine', NULL, NULL),
	(4, '500000002', E'back\\slash', FALSE, E'C:\\Users\\stream\\title \\n is not a newline', NULL, NULL, NULL, E'C:\\media\\p.jpg', NULL, FALSE, FALSE, '2025-11-22 00:00:00+00', E'\\\\server\\share', NULL, NULL, NULL, FALSE, E'trailing backslash \\', E'D:\\offline\\img.png', NULL),
	(5, '500000003', '🎮 GamerGirl 🎮', TRUE, 'Road to 🏆 — day 42 👩🏽‍💻', 'Fortnite', 'en', '2026-08-01 20:00:00+00', NULL, NULL, TRUE, TRUE, '2025-11-23 00:00:00+00', '👨‍👩‍👧‍👦 family stream 🇩🇪', 'Fortnite', 2147483647, '2026-07-30 02:00:00+00', FALSE, '🎮🎮🎮', NULL, NULL),
	(6, '500000004', 'Müller_Zoë', FALSE, 'Grüße aus Köln – ß ẞ', 'Minecraft', 'de', '2026-03-29 01:30:00+01', NULL, NULL, FALSE, NULL, '2025-11-24 00:00:00+00', 'Grüße', 'Minecraft', 12, '2026-03-29 03:30:00+02', FALSE, NULL, NULL, NULL),
	(7, '500000005', 'Дмитрий', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, FALSE, NULL, NULL, NULL),
	(8, '500000006', '한국어방송', TRUE, '안녕하세요 여러분', 'Just Chatting', 'ko', '2026-08-01 12:00:00+00', NULL, NULL, NULL, TRUE, '2025-11-26 00:00:00+00', NULL, NULL, NULL, NULL, FALSE, '한국어 설명', NULL, NULL),
	(9, '500000007', 'العربية', FALSE, 'بث مباشر', NULL, 'ar', '2026-02-02 02:02:02+00', NULL, NULL, FALSE, FALSE, '2025-11-27 00:00:00+00', 'بث', NULL, 5, '2026-02-02 02:02:02+00', FALSE, 'وصف القناة', NULL, NULL),
	(10, '500000008', 'x', FALSE, '', '', '', '1970-01-01 00:00:00+00', '', '', FALSE, FALSE, '1970-01-01 00:00:00+00', '', '', 0, '1970-01-01 00:00:00+00', FALSE, '', '', ''),
	(11, '500000009', rpad('a_rather_long_username_that_keeps_going_', 255, '_and_going'), FALSE, rpad('Max length title ', 255, '+-'), NULL, 'fr', NULL, NULL, NULL, FALSE, FALSE, '2025-11-29 00:00:00+00', repeat('Café ', 300), NULL, NULL, NULL, FALSE, repeat('lorem ipsum ', 500), NULL, NULL),
	(12, '500000010', '100%_legit', FALSE, 'LIKE wildcards % and _ in text', NULL, 'en', NULL, NULL, NULL, FALSE, FALSE, '2025-11-30 00:00:00+00', NULL, NULL, -1, NULL, TRUE, '% _ [abc] ^$', NULL, NULL),
	(13, '500000011', 'semi;colon -- not a comment', FALSE, '/* not a comment */ ; DROP TABLE streams; --', NULL, 'en', NULL, NULL, NULL, FALSE, FALSE, '2025-12-01 00:00:00+00', NULL, NULL, NULL, NULL, FALSE, '/* ; */ -- ; $$', NULL, NULL),
	(14, '500000012', 'Tab Newline', TRUE, E'line one\nline two\ttabbed', NULL, 'en', '2026-08-01 23:59:59.999999+00', NULL, NULL, TRUE, FALSE, '2025-12-02 00:00:00+00', E'last\r\nwindows line', NULL, 1, NULL, FALSE, E'\n\n\t', NULL, NULL),
	(15, '500000013', 'dollar$$quote', FALSE, 'costs $5 or $1 and $$ signs', NULL, 'en', NULL, NULL, NULL, FALSE, FALSE, '2025-12-03 00:00:00+00', '$tag$ not a quote $tag$', NULL, NULL, NULL, FALSE, NULL, NULL, NULL);

-- ids 16..55 minus 23, 30, 41, 44 and 50 (deleted streamers leave gaps); 53..55 are test data.
INSERT INTO public.streamers (id, twitch_id, username, is_live, title, category_name, language, last_updated, profile_image_url, original_profile_image_url, is_favorite, auto_record, created_at, last_stream_title, last_stream_category_name, last_stream_viewer_count, last_stream_ended_at, is_test_data, description, offline_image_url, original_offline_image_url)
SELECT g,
	(600000000 + g)::text,
	CASE WHEN g >= 53 THEN 'test_streamer_' || g ELSE 'streamer_' || lpad(g::text, 3, '0') END,
	CASE WHEN g % 7 = 0 THEN NULL ELSE g % 4 = 0 END,
	CASE WHEN g % 5 = 0 THEN NULL ELSE 'Stream title no. ' || g END,
	CASE g % 4 WHEN 0 THEN NULL WHEN 1 THEN 'Just Chatting' WHEN 2 THEN 'Elden Ring' ELSE 'ポケモン 🐉' END,
	CASE g % 3 WHEN 0 THEN NULL WHEN 1 THEN 'en' ELSE 'de' END,
	CASE WHEN g % 6 = 0 THEN NULL ELSE to_timestamp(1785000000 + g * 3600) END,
	CASE WHEN g % 6 = 0 THEN NULL ELSE '/recordings/.media/profile_images/' || (600000000 + g) || '.jpg' END,
	CASE WHEN g % 6 = 0 THEN NULL ELSE 'https://static-cdn.jtvnw.net/jtv_user_pictures/' || (600000000 + g) || '-profile_image-300x300.png' END,
	CASE WHEN g % 11 = 0 THEN NULL ELSE g % 5 = 1 END,
	CASE WHEN g % 13 = 0 THEN NULL ELSE g % 3 = 1 END,
	CASE WHEN g % 17 = 0 THEN NULL ELSE to_timestamp(1763600000 + g * 86400) END,
	CASE WHEN g % 4 = 3 THEN NULL ELSE 'Last stream of streamer ' || g END,
	CASE WHEN g % 4 = 3 THEN NULL ELSE 'Just Chatting' END,
	CASE WHEN g % 4 = 3 THEN NULL ELSE g * 17 END,
	CASE WHEN g % 4 = 3 THEN NULL ELSE to_timestamp(1784000000 + g * 7200) END,
	g >= 53,
	CASE WHEN g % 3 = 0 THEN 'Description of streamer ' || g END,
	CASE WHEN g % 8 = 0 THEN '/recordings/.media/offline_images/' || (600000000 + g) || '.png' END,
	CASE WHEN g % 8 = 0 THEN 'https://static-cdn.jtvnw.net/jtv_user_pictures/' || (600000000 + g) || '-channel_offline_image-1920x1080.png' END
FROM generate_series(16, 55) AS g
WHERE g NOT IN (23, 30, 41, 44, 50);

INSERT INTO public.notification_settings (id, streamer_id, notify_online, notify_offline, notify_update, notify_favorite_category, created_at)
SELECT g, g, TRUE, g % 2 = 0, CASE WHEN g % 3 = 0 THEN NULL ELSE TRUE END, FALSE,
	CASE WHEN g % 4 = 0 THEN NULL ELSE to_timestamp(1763700000 + g * 60) END
FROM generate_series(1, 10) AS g;

INSERT INTO public.streamer_recording_settings (id, streamer_id, enabled, quality, custom_filename, max_streams, cleanup_policy, created_at, updated_at, use_global_cleanup_policy, supported_codecs) VALUES
	(1, 1, TRUE, 'best', NULL, 0, NULL, '2025-11-20 08:10:00+00', '2025-11-20 08:10:00+00', TRUE, NULL),
	(2, 2, TRUE, '1080p60', '{streamer}/{year}-{month}-{day}_{title}', 10, '{"type":"count","threshold":10,"preserve_favorites":true}', '2025-11-20 08:11:00+00', '2026-07-01 00:00:00+00', FALSE, 'h264,h265,av1'),
	(3, 3, FALSE, NULL, NULL, NULL, NULL, NULL, NULL, TRUE, ''),
	(4, 5, TRUE, 'audio_only', E'C:\\rec\\{streamer}', 3, NULL, '2025-11-23 00:00:00+00', NULL, TRUE, 'h264'),
	(5, 14, TRUE, '720p', NULL, 5, '{"type":"age","threshold":30}', '2025-12-02 00:00:00+00', '2025-12-02 00:00:00+00', FALSE, 'av1,h265'),
	(7, 52, NULL, NULL, NULL, NULL, NULL, NULL, NULL, TRUE, NULL);

-- 3000 streams spread over 45 of the streamers (the last five by id, 51..55, have none).
-- twitch_stream_id is unique where not NULL (NULL for every fourth row, '' once).
INSERT INTO public.streams (id, streamer_id, title, category_name, language, started_at, ended_at, twitch_stream_id, recording_path, episode_number, created_at)
SELECT g,
	s.id,
	CASE
		WHEN g = 1234 THEN rpad('very long title ', 255, 'very long title ')
		WHEN g % 97 = 0 THEN NULL
		WHEN g % 11 = 0 THEN 'ゲーム配信 第' || g || '回 🎮'
		WHEN g % 7 = 0 THEN 'Let''s play "Dark Souls" – part ' || g
		WHEN g % 13 = 0 THEN E'Windows path C:\\games\\' || g
		WHEN g % 17 = 0 THEN 'Ünïcödé stream ' || g || ' 😀👍🏽'
		WHEN g % 43 = 0 THEN ''
		ELSE 'Stream #' || g || ' with ' || left(s.username, 40)
	END,
	CASE g % 6 WHEN 0 THEN NULL WHEN 1 THEN 'Just Chatting' WHEN 2 THEN 'Minecraft' WHEN 3 THEN 'Elden Ring' WHEN 4 THEN 'ポケモン 🐉' ELSE 'Software and Game Development' END,
	CASE g % 4 WHEN 0 THEN NULL WHEN 1 THEN 'en' WHEN 2 THEN 'de' ELSE 'ja' END,
	CASE WHEN g % 89 = 0 THEN NULL ELSE to_timestamp(1754006400 + g * 9000) END,
	CASE WHEN g % 89 = 0 OR g % 53 = 0 OR g > 3090 THEN NULL ELSE to_timestamp(1754006400 + g * 9000 + 1800 + (g % 240) * 60) END,
	CASE
		WHEN g = 3 THEN ''
		WHEN g = 5 THEN '000000000005'
		WHEN g % 4 = 0 THEN NULL
		ELSE (50000000000 + g * 131)::text
	END,
	CASE
		WHEN g = 1500 THEN rpad('/recordings/deep/', 1020, 'nested_dir/') || '.mp4'
		WHEN g % 5 = 0 OR g % 89 = 0 THEN NULL
		WHEN g % 29 = 0 THEN '/recordings/' || s.username || '/Season 2026-01/' || s.username || ' - S202601E' || lpad((g % 100)::text, 2, '0') || ' - ' || g || '.mp4'
		ELSE '/recordings/' || left(s.username, 40) || '/' || left(s.username, 40) || '_'
			|| to_char(to_timestamp(1754006400 + g * 9000) AT TIME ZONE 'UTC', 'YYYY-MM-DD_HH24-MI') || '_' || g || '.mp4'
	END,
	CASE WHEN g % 9 = 0 THEN NULL ELSE 1 + g / 45 END,
	CASE
		WHEN g % 89 = 0 THEN to_timestamp(1754006400 + g * 9000)
		WHEN g % 101 = 0 THEN NULL
		ELSE to_timestamp(1754006400 + g * 9000 + 7)
	END
FROM generate_series(1, 3100) AS g
JOIN (SELECT id, username, row_number() OVER (ORDER BY id) AS rn FROM public.streamers) AS s ON s.rn = 1 + (g * 7) % 45
WHERE g % 31 <> 0;

INSERT INTO public.stream_events (id, stream_id, event_type, title, category_name, language, "timestamp")
SELECT st.id * 2 - 1, st.id, 'stream.online', st.title, st.category_name, st.language, st.started_at
FROM public.streams AS st WHERE st.id <= 41
UNION ALL
SELECT st.id * 2, st.id, CASE WHEN st.id % 3 = 0 THEN 'channel.update' ELSE 'stream.offline' END,
	CASE WHEN st.id % 3 = 0 THEN 'Renamed: ' || st.title END, st.category_name, st.language, st.ended_at
FROM public.streams AS st WHERE st.id <= 41;
INSERT INTO public.stream_events (id, stream_id, event_type, title, category_name, language, "timestamp") VALUES
	(101, NULL, 'stream.online', 'orphaned event (stream deleted)', NULL, NULL, '2026-07-01 12:00:00+00'),
	(105, 3095, 'stream.online', 'Live right now 🔴', 'Just Chatting', 'en', NULL);

INSERT INTO public.stream_metadata (id, stream_id, thumbnail_path, thumbnail_url, nfo_path, json_path, chapters_vtt_path, chapters_srt_path, chapters_ffmpeg_path, avg_viewers, max_viewers, follower_count, tags, mature, original_language, original_title, original_category, created_at, updated_at, chapters_xml_path, tvshow_nfo_path, season_nfo_path, segments_dir_path, segments_removed)
SELECT st.id, st.id,
	'/recordings/meta/' || st.id || '/thumb.jpg',
	CASE WHEN st.id % 2 = 0 THEN 'https://static-cdn.jtvnw.net/previews-ttv/live_user_' || st.id || '-1920x1080.jpg' END,
	'/recordings/meta/' || st.id || '/stream.nfo',
	'/recordings/meta/' || st.id || '/stream.json',
	'/recordings/meta/' || st.id || '/chapters.vtt',
	NULL,
	'/recordings/meta/' || st.id || '/chapters.ffmpeg',
	st.id * 10, st.id * 25, CASE WHEN st.id % 5 = 0 THEN NULL ELSE 1000 + st.id END,
	CASE st.id % 3 WHEN 0 THEN NULL WHEN 1 THEN '["English","Chill"]' ELSE '["日本語","🎮"]' END,
	CASE WHEN st.id % 7 = 0 THEN NULL ELSE st.id % 4 = 0 END,
	st.language, st.title, st.category_name,
	st.started_at, st.ended_at,
	CASE WHEN st.id % 2 = 1 THEN '/recordings/meta/' || st.id || '/chapters.xml' END,
	CASE WHEN st.id < 10 THEN '/recordings/tvshow.nfo' END,
	CASE WHEN st.id < 10 THEN '/recordings/Season 2025-08/season.nfo' END,
	CASE WHEN st.id % 4 = 1 THEN '/recordings/.segments/' || st.id END,
	CASE WHEN st.id % 4 = 1 THEN TRUE WHEN st.id % 4 = 2 THEN NULL ELSE FALSE END
FROM public.streams AS st WHERE st.id <= 25;

-- Recordings for a handful of streams: completed, failed (with error), one still running.
INSERT INTO public.recordings (id, stream_id, start_time, end_time, status, duration, path, created_at, error_message, failure_reason, failure_timestamp)
SELECT st.id, st.id, COALESCE(st.started_at, '2025-08-01 00:00:00+00'), st.ended_at,
	CASE WHEN st.id % 10 = 7 THEN 'failed' WHEN st.ended_at IS NULL THEN 'stopped' ELSE 'completed' END,
	CASE WHEN st.ended_at IS NULL THEN NULL ELSE extract(epoch FROM st.ended_at - st.started_at)::int END,
	st.recording_path,
	st.created_at,
	CASE WHEN st.id % 10 = 7 THEN E'streamlink exited with code 1:\nerror: Unable to open URL: https://usher.ttvnw.net/… (403 "Forbidden")' END,
	CASE WHEN st.id % 10 = 7 THEN 'streamlink_error' END,
	CASE WHEN st.id % 10 = 7 THEN st.ended_at END
FROM public.streams AS st WHERE st.id <= 30;
INSERT INTO public.recordings (id, stream_id, start_time, end_time, status, duration, path, created_at, error_message, failure_reason, failure_timestamp) VALUES
	(40, 3095, '2026-06-20 10:00:00+00', NULL, 'recording', NULL, '/recordings/streamer_021/streamer_021_live.ts', '2026-06-20 10:00:01+00', NULL, NULL, NULL),
	(41, 1500, '2026-01-04 00:00:00+00', '2026-01-04 02:00:00+00', 'completed', 7200, rpad('/recordings/deep/', 1020, 'nested_dir/') || '.mp4', NULL, '', '', NULL);

INSERT INTO public.active_recordings_state (id, stream_id, recording_id, process_id, process_identifier, streamer_name, started_at, ts_output_path, force_mode, quality, status, last_heartbeat, config_json, created_at, updated_at) VALUES
	(1, 3095, 40, 4242, 'streamlink_4242_3095', 'streamer_021', '2026-06-20 10:00:00+00', '/recordings/streamer_021/streamer_021_live.ts', FALSE, 'best', 'recording', '2026-06-20 13:59:30+00', '{"quality":"best","proxy":null,"codecs":"h264,h265,av1"}', '2026-06-20 10:00:00+00', '2026-06-20 13:59:30+00');

INSERT INTO public.recording_processing_state (id, recording_id, stream_id, streamer_id, metadata_status, chapters_status, mp4_remux_status, mp4_validation_status, thumbnail_status, cleanup_status, last_error, task_ids_json, created_at, updated_at) VALUES
	(1, 7, 7, 5, 'completed', 'completed', 'failed', 'pending', 'completed', 'pending', 'ffmpeg: moov atom not found', '["task-7-meta","task-7-remux"]', '2025-08-02 00:00:00+00', '2025-08-02 00:05:00+00'),
	(2, 40, 3095, 21, 'pending', 'pending', 'pending', 'pending', 'pending', 'pending', NULL, NULL, '2026-06-20 10:00:00+00', NULL);

INSERT INTO public.share_tokens (id, token, stream_id, expires_at, created_at) VALUES
	(1, 'shr_9c1f0e5b7a3d4c2e8f6a0b1c2d3e4f50', 2, '2026-08-09 00:00:00+00', '2026-08-02 00:00:00+00');

INSERT INTO public.global_settings (id, notification_url, notifications_enabled, notify_online_global, notify_offline_global, notify_update_global, notify_favorite_category_global, http_proxy, https_proxy, supported_codecs, prefer_higher_quality, notify_recording_started, notify_recording_failed, notify_recording_completed, proxy_encryption_key, twitch_refresh_token, twitch_token_expires_at, twitch_access_token) VALUES
	(1, 'ntfy://ntfy.sh/streamvault-test?priority=high&tags=tv,ünï', TRUE, TRUE, FALSE, TRUE, FALSE, 'http://proxy.internal:3128', 'http://user:p%40ss@proxy.internal:3129', 'h264,h265,av1', FALSE, TRUE, TRUE, FALSE, 'q3Zr1tK9mX2vB8nL4pD7sF0gH5jW6yE1cA3uI9oR2e0=', 'v1.refresh_tok_Zm9vYmFyYmF6cXV4cXV1eA', '2026-08-01 12:34:56.789', 'v1.access_tok_c2VjcmV0LXRva2VuLXZhbHVl');

INSERT INTO public.push_subscriptions (id, endpoint, subscription_data, user_agent, is_active, created_at, updated_at, p256dh_key, auth_key, last_used) VALUES
	(1, 'https://fcm.googleapis.com/fcm/send/dGVzdC1lbmRwb2ludC0x', '{"endpoint":"https://fcm.googleapis.com/fcm/send/dGVzdC1lbmRwb2ludC0x","keys":{"p256dh":"BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM","auth":"tBHItJI5svbpez7KI4CCXg"}}', 'Mozilla/5.0 (X11; Linux x86_64) Chrome/138.0', TRUE, '2025-11-21 08:00:00+00', '2026-07-30 08:00:00+00', 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM', 'tBHItJI5svbpez7KI4CCXg', '2026-08-01 21:00:00+00'),
	(2, 'https://updates.push.services.mozilla.com/wpush/v2/gAAAAABmZ', '{"endpoint":"https://updates.push.services.mozilla.com/wpush/v2/gAAAAABmZ","keys":{"p256dh":"BAbc","auth":"xyz"}}', 'Mozilla/5.0 (Windows NT 10.0; rv:141.0) Gecko/20100101 Firefox/141.0', TRUE, '2025-12-21 09:30:00+00', '2025-12-22 10:00:00+00', 'BAbc', 'xyz', NULL),
	(3, 'https://web.push.apple.com/QGV4YW1wbGU', '{"endpoint":"https://web.push.apple.com/QGV4YW1wbGU","keys":{"p256dh":"BDef","auth":"uvw"}}', NULL, FALSE, '2025-12-20 12:00:00+00', '2026-01-22 12:00:00+00', 'BDef', 'uvw', '2026-01-20 12:00:00+00'),
	(5, 'https://fcm.googleapis.com/fcm/send/ünïcode-and-''quote''', '{"note":"it''s fine"}', 'Safari/18.5 😀 (iPhone; ストリーマー)', TRUE, NULL, NULL, NULL, NULL, NULL),
	(6, 'https://fcm.googleapis.com/fcm/send/' || repeat('A', 1800), '{}', '', TRUE, '2026-08-01 00:00:00+00', '2026-08-01 00:00:00+00', '', '', '2026-08-01 00:00:00+00');

INSERT INTO public.system_config (id, key, value, description, created_at, updated_at) VALUES
	(1, 'vapid_public_key', 'BEl62iUYgUivxIkv69yViEuiBIa-Ib9-SkvMeAtA3LFgDzkrxZJjSgSnfckjBJuBkr3qBUYIHBQFLXYp5Nksh8U', 'VAPID public key for web push', '2025-11-20 18:00:00+00', '2025-11-20 18:00:00+00'),
	(2, 'vapid_private_key', E'-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n', 'VAPID private key for web push', '2025-11-20 18:00:00+00', '2025-11-20 18:00:00+00'),
	(3, 'vapid_claims_email', 'mailto:admin@streamvault.local', NULL, '2025-11-20 18:00:01+00', NULL),
	(4, 'motd', E'It''s "quoted", has a backslash \\ and unicode ✓', 'value with quotes', NULL, NULL),
	(6, 'last_cleanup_run', NULL, 'value is NULL (allowed since the numbered 001)', '2026-08-01 03:00:00+00', '2026-08-01 03:00:00+00'),
	(7, 'empty_value', '', '', '2026-08-01 03:00:00+00', '2026-08-01 03:00:00+00');

-- Explicit ids bypass the sequences; move them to max(id) as a live database would have them
-- (every table with a sequence has rows; migrations_id_seq was set above, as in the dump).
SELECT setval('public.active_recordings_state_id_seq', max(id)) FROM public.active_recordings_state;
SELECT setval('public.api_keys_id_seq', max(id)) FROM public.api_keys;
SELECT setval('public.categories_id_seq', max(id)) FROM public.categories;
SELECT setval('public.favorite_categories_id_seq', max(id)) FROM public.favorite_categories;
SELECT setval('public.global_settings_id_seq', max(id)) FROM public.global_settings;
SELECT setval('public.notification_settings_id_seq', max(id)) FROM public.notification_settings;
SELECT setval('public.notification_state_id_seq', max(id)) FROM public.notification_state;
SELECT setval('public.proxy_settings_id_seq', max(id)) FROM public.proxy_settings;
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

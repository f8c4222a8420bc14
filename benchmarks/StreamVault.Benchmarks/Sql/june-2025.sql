-- StreamVault database as the Python (FastAPI + SQLAlchemy) application left it in June 2025
-- (create_all, the five "safe" migrations and both tracking tables). Embedded in the benchmark so a
-- run needs nothing outside the repository.
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

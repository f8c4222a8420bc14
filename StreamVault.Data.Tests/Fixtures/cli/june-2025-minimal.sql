-- The five modelled tables and the ledger as the Python app left them in June 2025 (create_all, its five
-- "safe" migrations and their applied_migrations rows), with a few rows, for the CLI and bundle tests.
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

CREATE INDEX IF NOT EXISTS idx_streams_streamer_id ON streams (streamer_id);
CREATE INDEX IF NOT EXISTS idx_streams_started_at ON streams (started_at);
CREATE INDEX IF NOT EXISTS idx_streams_title ON streams (title);
CREATE INDEX IF NOT EXISTS ix_push_subscriptions_endpoint ON push_subscriptions (endpoint);
CREATE INDEX IF NOT EXISTS ix_push_subscriptions_is_active ON push_subscriptions (is_active);
CREATE INDEX IF NOT EXISTS idx_system_config_key ON system_config(key);

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

INSERT INTO streamers (twitch_id, username, is_live, title) VALUES
	('1001', 'alice', TRUE, 'Speedrun'),
	('1002', 'bob', FALSE, NULL);
INSERT INTO streams (streamer_id, title, started_at, recording_path) VALUES
	(1, 'Speedrun', '2025-06-20 18:00:00+00', '/recordings/alice/1.mp4'),
	(2, 'Chill', '2025-06-21 19:30:00+00', NULL);
INSERT INTO global_settings (notifications_enabled, http_proxy) VALUES (TRUE, 'http://proxy:3128');
INSERT INTO system_config (key, value, description) VALUES ('recordings_root', '/recordings', 'where recordings go');
INSERT INTO push_subscriptions (endpoint, subscription_data, is_active) VALUES ('https://push.example/1', '{}', TRUE);

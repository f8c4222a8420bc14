namespace StreamVault.Data.Tests.Operations;

/// <summary>
/// Small Python-era databases, inlined from the legacy DDL (the tests never read files outside the project):
/// the five modelled tables as create_all made them, a couple of tables the app owns besides, a few rows,
/// and each era's migration bookkeeping.
/// </summary>
internal static class LegacySchemas
{
    /// <summary>June 2025: every "safe" migration applied and recorded in applied_migrations; the older migrations table too.</summary>
    public const string June2025 = """
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
        CREATE TABLE stream_events (
            id SERIAL NOT NULL,
            stream_id INTEGER,
            event_type VARCHAR NOT NULL,
            timestamp TIMESTAMP WITH TIME ZONE DEFAULT now(),
            PRIMARY KEY (id),
            FOREIGN KEY(stream_id) REFERENCES streams (id) ON DELETE CASCADE
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
        INSERT INTO streamers (twitch_id, username, is_live, title) VALUES ('1001', 'alice', TRUE, 'Speedrun'), ('1002', 'bob', FALSE, NULL);
        INSERT INTO streams (streamer_id, title, started_at, recording_path) VALUES
            (1, 'Any% attempt', '2025-06-20 18:00+00', '/recordings/alice/1.mp4'),
            (2, 'Chill', '2025-06-21 19:00+00', NULL);
        INSERT INTO stream_events (stream_id, event_type) VALUES (1, 'online');
        INSERT INTO global_settings (notifications_enabled, http_proxy) VALUES (TRUE, 'http://proxy:3128');
        INSERT INTO push_subscriptions (endpoint, subscription_data, is_active) VALUES ('https://push.example/1', '{}', TRUE);
        INSERT INTO system_config (key, value) VALUES ('vapid_public_key', 'BPub');
        INSERT INTO users (username, password, is_admin) VALUES ('admin', 'hash', TRUE);
        """;

    /// <summary>
    /// Before June 2025: no recording_path, no proxies, no push_subscriptions or system_config, no
    /// applied_migrations; only the older file-based <c>migrations</c> table, which had built the stream indices.
    /// </summary>
    public const string PreJune2025 = """
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
            PRIMARY KEY (id),
            UNIQUE (username)
        );
        CREATE TABLE global_settings (
            id SERIAL NOT NULL,
            notification_url VARCHAR,
            notifications_enabled BOOLEAN,
            notify_online_global BOOLEAN,
            notify_offline_global BOOLEAN,
            notify_update_global BOOLEAN,
            notify_favorite_category_global BOOLEAN,
            PRIMARY KEY (id)
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
            PRIMARY KEY (id),
            FOREIGN KEY(streamer_id) REFERENCES streamers (id) ON DELETE CASCADE
        );
        CREATE INDEX idx_streams_streamer_id ON streams (streamer_id);
        CREATE INDEX idx_streams_started_at ON streams (started_at);
        CREATE INDEX idx_streams_title ON streams (title);
        CREATE TABLE migrations (
            script_name VARCHAR NOT NULL,
            applied_at TIMESTAMP WITHOUT TIME ZONE,
            success BOOLEAN,
            PRIMARY KEY (script_name)
        );
        INSERT INTO migrations (script_name, applied_at, success) VALUES
            ('20250522_add_stream_indices.py', '2025-05-22 18:40:03.5521', TRUE),
            ('add_max_streams.py', '2025-05-22 18:40:03.7012', TRUE),
            ('add_cleanup_policy.py', '2025-05-25 11:02:44.9034', TRUE);
        INSERT INTO streamers (twitch_id, username, title) VALUES ('2001', 'carol', 'Retro');
        INSERT INTO streams (streamer_id, title, started_at) VALUES (1, 'SNES night', '2025-05-30 20:00+00');
        INSERT INTO global_settings (notifications_enabled) VALUES (FALSE);
        """;
}

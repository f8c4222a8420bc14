using Microsoft.EntityFrameworkCore.Migrations;

namespace StreamVault.Data.Migrations;

/// <summary>
/// The columns the app's releases from July 2025 to August 2026 added to the five tables, with the server defaults
/// those releases rely on, and <c>system_config.value</c> nullable as they made it. Only what is missing is
/// changed: every statement runs only where the database lacks its change, so a database a newer release made
/// takes no lock. Types and defaults a release already set are kept as they are.
/// </summary>
internal partial class AddColumnsOfNewerReleases : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);

        // Catalog-only additions: nullable columns, or constant defaults PostgreSQL stores once instead of rewriting
        // the table. Existing rows get the default the app's own migration gave them. Timestamps whose default is
        // the current time get it afterwards, so existing rows keep NULL rather than the time of this migration.
        migrationBuilder.Sql("""
            DO $columns$
            BEGIN
                IF (SELECT count(*) FROM pg_attribute WHERE attrelid = 'streamers'::regclass AND NOT attisdropped
                    AND attname IN ('is_favorite', 'auto_record', 'last_stream_title', 'last_stream_category_name',
                                    'last_stream_viewer_count', 'last_stream_ended_at', 'is_test_data', 'description',
                                    'offline_image_url', 'original_offline_image_url')) < 10 THEN
                    ALTER TABLE streamers
                        ADD COLUMN IF NOT EXISTS is_favorite BOOLEAN DEFAULT false,
                        ADD COLUMN IF NOT EXISTS auto_record BOOLEAN DEFAULT false,
                        ADD COLUMN IF NOT EXISTS last_stream_title VARCHAR,
                        ADD COLUMN IF NOT EXISTS last_stream_category_name VARCHAR,
                        ADD COLUMN IF NOT EXISTS last_stream_viewer_count INTEGER,
                        ADD COLUMN IF NOT EXISTS last_stream_ended_at TIMESTAMP WITH TIME ZONE,
                        ADD COLUMN IF NOT EXISTS is_test_data BOOLEAN NOT NULL DEFAULT false,
                        ADD COLUMN IF NOT EXISTS description TEXT,
                        ADD COLUMN IF NOT EXISTS offline_image_url VARCHAR,
                        ADD COLUMN IF NOT EXISTS original_offline_image_url VARCHAR;
                END IF;

                IF (SELECT count(*) FROM pg_attribute WHERE attrelid = 'streams'::regclass AND NOT attisdropped
                    AND attname IN ('episode_number', 'created_at')) < 2 THEN
                    ALTER TABLE streams ADD COLUMN IF NOT EXISTS episode_number INTEGER;
                    IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'streams'::regclass AND attname = 'created_at' AND NOT attisdropped) THEN
                        ALTER TABLE streams ADD COLUMN created_at TIMESTAMP WITH TIME ZONE, ALTER COLUMN created_at SET DEFAULT now();
                    END IF;
                END IF;

                IF (SELECT count(*) FROM pg_attribute WHERE attrelid = 'global_settings'::regclass AND NOT attisdropped
                    AND attname IN ('supported_codecs', 'prefer_higher_quality', 'notify_recording_started',
                                    'notify_recording_failed', 'notify_recording_completed', 'proxy_encryption_key',
                                    'twitch_refresh_token', 'twitch_token_expires_at', 'twitch_access_token')) < 9 THEN
                    ALTER TABLE global_settings
                        ADD COLUMN IF NOT EXISTS supported_codecs VARCHAR NOT NULL DEFAULT 'h264,h265',
                        ADD COLUMN IF NOT EXISTS prefer_higher_quality BOOLEAN NOT NULL DEFAULT true,
                        ADD COLUMN IF NOT EXISTS notify_recording_started BOOLEAN DEFAULT false,
                        ADD COLUMN IF NOT EXISTS notify_recording_failed BOOLEAN DEFAULT true,
                        ADD COLUMN IF NOT EXISTS notify_recording_completed BOOLEAN DEFAULT false,
                        ADD COLUMN IF NOT EXISTS proxy_encryption_key VARCHAR(255),
                        ADD COLUMN IF NOT EXISTS twitch_refresh_token TEXT,
                        ADD COLUMN IF NOT EXISTS twitch_token_expires_at TIMESTAMP WITHOUT TIME ZONE,
                        ADD COLUMN IF NOT EXISTS twitch_access_token TEXT;
                END IF;

                IF (SELECT count(*) FROM pg_attribute WHERE attrelid = 'push_subscriptions'::regclass AND NOT attisdropped
                    AND attname IN ('p256dh_key', 'auth_key', 'last_used')) < 3 THEN
                    ALTER TABLE push_subscriptions
                        ADD COLUMN IF NOT EXISTS p256dh_key TEXT,
                        ADD COLUMN IF NOT EXISTS auth_key TEXT;
                    IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'push_subscriptions'::regclass AND attname = 'last_used' AND NOT attisdropped) THEN
                        ALTER TABLE push_subscriptions ADD COLUMN last_used TIMESTAMP WITH TIME ZONE, ALTER COLUMN last_used SET DEFAULT CURRENT_TIMESTAMP;
                    END IF;
                END IF;
            END
            $columns$;
            """);

        // Older releases had no default where newer ones insert without naming the column; a missing default is
        // added (metadata only), one a release already set is left as it is.
        migrationBuilder.Sql("""
            DO $defaults$
            DECLARE
                wanted record;
            BEGIN
                FOR wanted IN
                    SELECT w.table_name, w.column_name, w.expression
                    FROM (VALUES
                        ('streamers', 'is_live', 'false'),
                        ('global_settings', 'notifications_enabled', 'false'),
                        ('global_settings', 'notify_online_global', 'true'),
                        ('global_settings', 'notify_offline_global', 'true'),
                        ('global_settings', 'notify_update_global', 'true'),
                        ('global_settings', 'notify_favorite_category_global', 'true'),
                        ('push_subscriptions', 'is_active', 'true')) AS w (table_name, column_name, expression)
                    JOIN pg_attribute a ON a.attrelid = to_regclass(w.table_name) AND a.attname = w.column_name AND NOT a.attisdropped
                    WHERE NOT a.atthasdef
                LOOP
                    EXECUTE format('ALTER TABLE %I ALTER COLUMN %I SET DEFAULT %s', wanted.table_name, wanted.column_name, wanted.expression);
                END LOOP;
            END
            $defaults$;
            """);

        // Newer releases store configuration keys without a value; dropping NOT NULL is metadata only and widens.
        migrationBuilder.Sql("""
            DO $nullable$
            BEGIN
                IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'system_config'::regclass AND attname = 'value' AND attnotnull) THEN
                    ALTER TABLE system_config ALTER COLUMN value DROP NOT NULL;
                END IF;
            END
            $nullable$;
            """);

        // The unique constraints on streamers.twitch_id, push_subscriptions.endpoint and system_config.key stay as
        // they are: EF now models them as unique indexes of the same names, which is what backs them.
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        // Nothing to undo: these columns and defaults are the app's own in every newer release, and which of them a
        // database had before is not recorded. Reverting leaves them, so an app of either age keeps working.
    }
}

using Microsoft.EntityFrameworkCore.Migrations;

namespace StreamVault.Data.Migrations;

/// <summary>streamers, streams and global_settings as SQLAlchemy's create_all first made them (July 2024).</summary>
internal partial class BaseSchema : Migration, IAdoptableMigration
{
    /// <summary>Its redundant ix_streamers_id is not required: streamers_pkey indexes the same column.</summary>
    public string PresenceCheck => ReleasedMigrationAdoption.All(
        ReleasedMigrationAdoption.Columns("streamers", "id", "twitch_id", "username", "is_live", "title", "category_name", "language", "last_updated",
            "profile_image_url", "original_profile_image_url", "created_at"),
        ReleasedMigrationAdoption.Columns("streams", "id", "streamer_id", "title", "category_name", "language", "started_at", "ended_at", "twitch_stream_id"),
        ReleasedMigrationAdoption.Columns("global_settings", "id", "notification_url", "notifications_enabled", "notify_online_global",
            "notify_offline_global", "notify_update_global", "notify_favorite_category_global"));

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);

        // Every installation already has these from create_all; IF NOT EXISTS adopts them untouched.
        migrationBuilder.Sql("""
            CREATE TABLE IF NOT EXISTS streamers (
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
                CONSTRAINT streamers_pkey PRIMARY KEY (id),
                CONSTRAINT streamers_twitch_id_key UNIQUE (twitch_id)
            );
            DO $index$
            BEGIN
                -- CREATE INDEX locks out writers before it notices the index exists: check first.
                IF to_regclass('ix_streamers_id') IS NULL THEN
                    CREATE INDEX ix_streamers_id ON streamers (id);
                END IF;
            END
            $index$;

            CREATE TABLE IF NOT EXISTS streams (
                id SERIAL NOT NULL,
                streamer_id INTEGER NOT NULL,
                title VARCHAR,
                category_name VARCHAR,
                language VARCHAR,
                started_at TIMESTAMP WITH TIME ZONE,
                ended_at TIMESTAMP WITH TIME ZONE,
                twitch_stream_id VARCHAR,
                CONSTRAINT streams_pkey PRIMARY KEY (id),
                CONSTRAINT streams_streamer_id_fkey FOREIGN KEY (streamer_id) REFERENCES streamers (id) ON DELETE CASCADE
            );

            CREATE TABLE IF NOT EXISTS global_settings (
                id SERIAL NOT NULL,
                notification_url VARCHAR,
                notifications_enabled BOOLEAN,
                notify_online_global BOOLEAN,
                notify_offline_global BOOLEAN,
                notify_update_global BOOLEAN,
                notify_favorite_category_global BOOLEAN,
                CONSTRAINT global_settings_pkey PRIMARY KEY (id)
            );
            """);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);

        // Dropping these tables would lose every recording's history: only empty ones may go.
        migrationBuilder.Sql("""
            DO $guard$
            DECLARE
                t text;
                has_rows boolean;
            BEGIN
                FOREACH t IN ARRAY ARRAY['streams', 'streamers', 'global_settings'] LOOP
                    CONTINUE WHEN to_regclass(quote_ident(t)) IS NULL;
                    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I)', t) INTO has_rows;
                    IF has_rows THEN
                        RAISE EXCEPTION 'refusing to revert BaseSchema: table % holds rows; back it up and empty it first', t;
                    END IF;
                END LOOP;
            END
            $guard$;
            """);
        migrationBuilder.Sql("""
            DROP TABLE IF EXISTS streams;
            DROP TABLE IF EXISTS global_settings;
            DROP TABLE IF EXISTS streamers;
            """);
    }
}

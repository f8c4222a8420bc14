using Microsoft.EntityFrameworkCore.Migrations;

namespace StreamVault.Data.Migrations;

/// <summary>
/// Brings every database the Python app left behind to the one shape the earlier migrations create on an
/// empty server: columns its hand-run migration SQL made as VARCHAR(n) become unbounded VARCHAR,
/// CURRENT_TIMESTAMP defaults become now(), and push_subscriptions.is_active loses the default create_all
/// never had. All of it is catalog-only (no table rewrite, no row touched), and each ALTER runs only where
/// the database differs, so an already converged database takes no lock at all.
/// </summary>
internal partial class ConvergeLegacySchema : Migration, IAdoptableMigration
{
    /// <summary>It only rewrote release variants into one shape; every release's variant is kept now, so it never has work.</summary>
    public string PresenceCheck => ReleasedMigrationAdoption.All(
        ReleasedMigrationAdoption.Columns("streamers", "twitch_id", "username", "title", "category_name", "language", "profile_image_url",
            "original_profile_image_url", "created_at"),
        ReleasedMigrationAdoption.Columns("streams", "title", "category_name", "language", "twitch_stream_id", "recording_path"),
        ReleasedMigrationAdoption.Columns("global_settings", "notification_url", "http_proxy", "https_proxy"),
        ReleasedMigrationAdoption.Columns("push_subscriptions", "endpoint", "user_agent", "is_active", "created_at", "updated_at"),
        ReleasedMigrationAdoption.Columns("system_config", "key", "description", "created_at", "updated_at"));

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);

        // Relaxing varchar(n) to varchar is binary-coercible: PostgreSQL changes the catalog only.
        migrationBuilder.Sql("""
            DO $converge$
            DECLARE
                target record;
            BEGIN
                FOR target IN
                    SELECT c.relname AS table_name, a.attname AS column_name
                    FROM pg_attribute a
                    JOIN pg_class c ON c.oid = a.attrelid
                    WHERE c.relnamespace = current_schema()::regnamespace
                      AND (c.relname, a.attname) IN (
                          ('streamers', 'twitch_id'), ('streamers', 'username'), ('streamers', 'title'),
                          ('streamers', 'category_name'), ('streamers', 'language'),
                          ('streamers', 'profile_image_url'), ('streamers', 'original_profile_image_url'),
                          ('streams', 'title'), ('streams', 'category_name'), ('streams', 'language'),
                          ('streams', 'twitch_stream_id'), ('streams', 'recording_path'),
                          ('global_settings', 'notification_url'), ('global_settings', 'http_proxy'),
                          ('global_settings', 'https_proxy'),
                          ('push_subscriptions', 'endpoint'), ('push_subscriptions', 'user_agent'),
                          ('system_config', 'key'), ('system_config', 'description'))
                      AND a.atttypid = 'character varying'::regtype
                      AND a.atttypmod <> -1
                      AND NOT a.attisdropped
                LOOP
                    EXECUTE format('ALTER TABLE %I ALTER COLUMN %I TYPE VARCHAR', target.table_name, target.column_name);
                END LOOP;
            END
            $converge$;
            """);

        // Defaults are metadata: changing them rewrites nothing and leaves existing rows as they are.
        migrationBuilder.Sql("""
            DO $converge$
            DECLARE
                target record;
            BEGIN
                FOR target IN
                    SELECT c.relname AS table_name, a.attname AS column_name
                    FROM pg_attribute a
                    JOIN pg_class c ON c.oid = a.attrelid
                    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                    WHERE c.relnamespace = current_schema()::regnamespace
                      AND (c.relname, a.attname) IN (
                          ('streamers', 'created_at'),
                          ('push_subscriptions', 'created_at'), ('push_subscriptions', 'updated_at'),
                          ('system_config', 'created_at'), ('system_config', 'updated_at'))
                      AND pg_get_expr(d.adbin, d.adrelid) IS DISTINCT FROM 'now()'
                LOOP
                    EXECUTE format('ALTER TABLE %I ALTER COLUMN %I SET DEFAULT now()', target.table_name, target.column_name);
                END LOOP;

                IF EXISTS (
                    SELECT 1 FROM pg_attrdef d
                    JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
                    WHERE d.adrelid = to_regclass('push_subscriptions') AND a.attname = 'is_active')
                THEN
                    ALTER TABLE push_subscriptions ALTER COLUMN is_active DROP DEFAULT;
                END IF;
            END
            $converge$;
            """);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        // Nothing to undo: Up only rewrites legacy variants into the shape the earlier migrations define,
        // and which variant a database came from is not recorded anywhere.
    }
}

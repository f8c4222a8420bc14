using Microsoft.EntityFrameworkCore.Migrations;

namespace StreamVault.Data.Migrations;

/// <summary>The Python migration 20250617_add_proxy_settings: HTTP/HTTPS proxies for Twitch and streamlink.</summary>
[LedgerName("20250617_add_proxy_settings")]
internal partial class AddProxySettings : Migration, IAdoptableMigration
{
    /// <summary>Everything this migration creates that holds data or serves queries (see <see cref="ReleasedMigrationAdoption"/>).</summary>
    public string PresenceCheck => ReleasedMigrationAdoption.Columns("global_settings", "http_proxy", "https_proxy");

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);

        // Unbounded VARCHAR as create_all makes it (hand-migrated databases got VARCHAR(255), converged later);
        // checked first because ALTER TABLE locks the table even when IF NOT EXISTS then does nothing.
        migrationBuilder.Sql("""
            DO $add$
            BEGIN
                IF (SELECT count(*) FROM pg_attribute
                    WHERE attrelid = 'global_settings'::regclass AND attname IN ('http_proxy', 'https_proxy') AND NOT attisdropped) < 2 THEN
                    ALTER TABLE global_settings
                        ADD COLUMN IF NOT EXISTS http_proxy VARCHAR,
                        ADD COLUMN IF NOT EXISTS https_proxy VARCHAR;
                END IF;
            END
            $add$;
            """);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);

        // A configured proxy is operator data: refuse while either column is set anywhere.
        migrationBuilder.Sql("""
            DO $guard$
            DECLARE
                c text;
                has_values boolean;
            BEGIN
                FOREACH c IN ARRAY ARRAY['http_proxy', 'https_proxy'] LOOP
                    CONTINUE WHEN NOT EXISTS (
                        SELECT 1 FROM information_schema.columns
                        WHERE table_schema = current_schema() AND table_name = 'global_settings' AND column_name = c);
                    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE %I IS NOT NULL)', 'global_settings', c) INTO has_values;
                    IF has_values THEN
                        RAISE EXCEPTION 'refusing to revert AddProxySettings: column global_settings.% holds values; back it up and clear it first', c;
                    END IF;
                END LOOP;
            END
            $guard$;
            """);
        migrationBuilder.Sql("""
            ALTER TABLE global_settings DROP COLUMN IF EXISTS https_proxy;
            ALTER TABLE global_settings DROP COLUMN IF EXISTS http_proxy;
            """);
    }
}

using Microsoft.EntityFrameworkCore.Migrations;

namespace StreamVault.Data.Migrations;

/// <summary>The Python migration 20250617_add_proxy_settings: HTTP/HTTPS proxies for Twitch and streamlink.</summary>
internal partial class AddProxySettings : Migration
{
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
        migrationBuilder.Sql(RevertGuard.RefuseIfColumnsHoldValues(nameof(AddProxySettings), "global_settings", "http_proxy", "https_proxy"));
        migrationBuilder.Sql("""
            ALTER TABLE global_settings DROP COLUMN IF EXISTS https_proxy;
            ALTER TABLE global_settings DROP COLUMN IF EXISTS http_proxy;
            """);
    }
}

using Microsoft.EntityFrameworkCore.Migrations;

namespace StreamVault.Data.Migrations;

/// <summary>The Python migration 20250620_add_system_config: persistent settings such as the VAPID keys.</summary>
internal partial class AddSystemConfig : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);

        // Same definition as create_all; the extra key index is what the Python migration added.
        migrationBuilder.Sql("""
            CREATE TABLE IF NOT EXISTS system_config (
                id SERIAL NOT NULL,
                key VARCHAR NOT NULL,
                value TEXT NOT NULL,
                description VARCHAR,
                created_at TIMESTAMP WITH TIME ZONE DEFAULT now(),
                updated_at TIMESTAMP WITH TIME ZONE DEFAULT now(),
                CONSTRAINT system_config_pkey PRIMARY KEY (id),
                CONSTRAINT system_config_key_key UNIQUE (key)
            );
            DO $index$
            BEGIN
                -- CREATE INDEX locks out writers before it notices the index exists: check first.
                IF to_regclass('idx_system_config_key') IS NULL THEN
                    CREATE INDEX idx_system_config_key ON system_config (key);
                END IF;
            END
            $index$;
            """);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);

        // Losing the VAPID keys breaks every push subscription: only an empty table may go.
        migrationBuilder.Sql(RevertGuard.RefuseIfTablesHoldRows(nameof(AddSystemConfig), "system_config"));
        migrationBuilder.Sql("""
            DROP TABLE IF EXISTS system_config;
            """);
    }
}

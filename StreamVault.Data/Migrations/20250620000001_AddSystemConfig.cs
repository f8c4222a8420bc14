using Microsoft.EntityFrameworkCore.Migrations;

namespace StreamVault.Data.Migrations;

/// <summary>The Python migration 20250620_add_system_config: persistent settings such as the VAPID keys.</summary>
[LedgerName("20250620_add_system_config")]
internal partial class AddSystemConfig : Migration, IAdoptableMigration
{
    /// <summary>Its redundant idx_system_config_key is not required: system_config_key_key indexes the same column.</summary>
    public string PresenceCheck => ReleasedMigrationAdoption.Columns("system_config", "id", "key", "value", "description", "created_at", "updated_at");

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
        migrationBuilder.Sql("""
            DO $guard$
            DECLARE
                t text;
                has_rows boolean;
            BEGIN
                FOREACH t IN ARRAY ARRAY['system_config'] LOOP
                    CONTINUE WHEN to_regclass(quote_ident(t)) IS NULL;
                    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I)', t) INTO has_rows;
                    IF has_rows THEN
                        RAISE EXCEPTION 'refusing to revert AddSystemConfig: table % holds rows; back it up and empty it first', t;
                    END IF;
                END LOOP;
            END
            $guard$;
            """);
        migrationBuilder.Sql("""
            DROP TABLE IF EXISTS system_config;
            """);
    }
}

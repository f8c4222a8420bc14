using Microsoft.EntityFrameworkCore.Migrations;

namespace StreamVault.Data.Migrations;

/// <summary>The Python migration 20250620_add_push_subscriptions: browsers subscribed to PWA notifications.</summary>
internal partial class AddPushSubscriptions : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);

        // The create_all shape (is_active without a default); hand-migrated variants are converged later.
        migrationBuilder.Sql("""
            CREATE TABLE IF NOT EXISTS push_subscriptions (
                id SERIAL NOT NULL,
                endpoint VARCHAR NOT NULL,
                subscription_data TEXT NOT NULL,
                user_agent VARCHAR,
                is_active BOOLEAN NOT NULL,
                created_at TIMESTAMP WITH TIME ZONE DEFAULT now(),
                updated_at TIMESTAMP WITH TIME ZONE DEFAULT now(),
                CONSTRAINT push_subscriptions_pkey PRIMARY KEY (id),
                CONSTRAINT push_subscriptions_endpoint_key UNIQUE (endpoint)
            );
            DO $index$
            BEGIN
                -- CREATE INDEX locks out writers before it notices the index exists: check first.
                IF to_regclass('ix_push_subscriptions_endpoint') IS NULL THEN
                    CREATE INDEX ix_push_subscriptions_endpoint ON push_subscriptions (endpoint);
                END IF;
                IF to_regclass('ix_push_subscriptions_is_active') IS NULL THEN
                    CREATE INDEX ix_push_subscriptions_is_active ON push_subscriptions (is_active);
                END IF;
            END
            $index$;
            """);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);

        // Subscriptions cannot be recreated without every browser re-subscribing: only an empty table may go.
        migrationBuilder.Sql(RevertGuard.RefuseIfTablesHoldRows(nameof(AddPushSubscriptions), "push_subscriptions"));
        migrationBuilder.Sql("""
            DROP TABLE IF EXISTS push_subscriptions;
            """);
    }
}

using Microsoft.EntityFrameworkCore.Migrations;

namespace StreamVault.Data.Migrations;

/// <summary>The Python migration 20250620_add_push_subscriptions: browsers subscribed to PWA notifications.</summary>
[LedgerName("20250620_add_push_subscriptions")]
internal partial class AddPushSubscriptions : Migration, IAdoptableMigration
{
    /// <summary>Everything this migration creates that holds data or serves queries (see <see cref="ReleasedMigrationAdoption"/>).</summary>
    public string PresenceCheck => ReleasedMigrationAdoption.All(
        ReleasedMigrationAdoption.Columns("push_subscriptions", "id", "endpoint", "subscription_data", "user_agent", "is_active", "created_at", "updated_at"),
        ReleasedMigrationAdoption.Index("push_subscriptions", "ix_push_subscriptions_endpoint", "endpoint"),
        ReleasedMigrationAdoption.Index("push_subscriptions", "ix_push_subscriptions_is_active", "is_active"));

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
        migrationBuilder.Sql("""
            DO $guard$
            DECLARE
                t text;
                has_rows boolean;
            BEGIN
                FOREACH t IN ARRAY ARRAY['push_subscriptions'] LOOP
                    CONTINUE WHEN to_regclass(quote_ident(t)) IS NULL;
                    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I)', t) INTO has_rows;
                    IF has_rows THEN
                        RAISE EXCEPTION 'refusing to revert AddPushSubscriptions: table % holds rows; back it up and empty it first', t;
                    END IF;
                END LOOP;
            END
            $guard$;
            """);
        migrationBuilder.Sql("""
            DROP TABLE IF EXISTS push_subscriptions;
            """);
    }
}

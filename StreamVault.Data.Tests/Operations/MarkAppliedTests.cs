using StreamVault.Data.Operations;
using Xunit;

namespace StreamVault.Data.Tests.Operations;

public sealed class MarkAppliedTests
{
    private const string PushSubscriptions = "20250620000000_AddPushSubscriptions";

    [Fact]
    public async Task Mark_applied_refuses_when_the_migration_objects_are_missing()
    {
        await using var database = await OperationsDatabases.EmptyAsync();
        await OperationsDatabases.MigrateAsync(database.ConnectionString, "20250617000000_AddProxySettings");

        var report = await SchemaRepair.MarkAppliedAsync(database.ConnectionString, PushSubscriptions, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(MarkAppliedOutcome.Refused, report.Outcome);
        var missing = Assert.Single(report.ObjectChecks, c => !c.Passed);
        Assert.Equal(("table", "push_subscriptions", "missing"), (missing.Kind, missing.Name, missing.Problem));
        Assert.Contains("pass force", report.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await database.ScalarAsync<long>($"SELECT count(*) FROM \"__EFMigrationsHistory\" WHERE migration_id = '{PushSubscriptions}'"));
    }

    [Fact]
    public async Task Mark_applied_records_history_and_ledger_once_the_objects_exist()
    {
        await using var database = await OperationsDatabases.EmptyAsync();
        await OperationsDatabases.MigrateAsync(database.ConnectionString, "20250617000000_AddProxySettings");
        await database.ExecuteSqlAsync("""
            CREATE TABLE push_subscriptions (
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
            CREATE INDEX ix_push_subscriptions_endpoint ON push_subscriptions (endpoint);
            CREATE INDEX ix_push_subscriptions_is_active ON push_subscriptions (is_active);
            """);

        var report = await SchemaRepair.MarkAppliedAsync(database.ConnectionString, "20250620_add_push_subscriptions", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal((MarkAppliedOutcome.Applied, PushSubscriptions), (report.Outcome, report.MigrationId));
        Assert.All(report.ObjectChecks, c => Assert.True(c.Passed, c.Message));
        Assert.Equal(1L, await database.ScalarAsync<long>($"SELECT count(*) FROM \"__EFMigrationsHistory\" WHERE migration_id = '{PushSubscriptions}'"));
        Assert.True(await database.ScalarAsync<bool>(
            $"SELECT success AND ef_migration_id = '{PushSubscriptions}' AND checksum IS NOT NULL FROM applied_migrations WHERE migration_name = '20250620_add_push_subscriptions'"));

        await OperationsDatabases.MigrateAsync(database.ConnectionString);
        Assert.True((await SchemaValidator.ValidateAsync(database.ConnectionString, cancellationToken: TestContext.Current.CancellationToken)).IsClean);
    }

    [Fact]
    public async Task Mark_applied_with_explicit_force_records_even_when_objects_are_missing()
    {
        await using var database = await OperationsDatabases.EmptyAsync();
        await OperationsDatabases.MigrateAsync(database.ConnectionString, "20250617000000_AddProxySettings");

        var report = await SchemaRepair.MarkAppliedAsync(database.ConnectionString, PushSubscriptions, force: true, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal((MarkAppliedOutcome.Applied, true), (report.Outcome, report.Forced));
        Assert.Contains("(forced)", report.Message, StringComparison.Ordinal);
        Assert.Equal(1L, await database.ScalarAsync<long>($"SELECT count(*) FROM \"__EFMigrationsHistory\" WHERE migration_id = '{PushSubscriptions}'"));
    }

    [Fact]
    public async Task Mark_applied_dry_run_writes_nothing()
    {
        await using var database = await OperationsDatabases.EmptyAsync();
        await OperationsDatabases.MigrateAsync(database.ConnectionString, "20250617000000_AddProxySettings");

        var report = await SchemaRepair.MarkAppliedAsync(
            database.ConnectionString, PushSubscriptions, force: true, dryRun: true, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(MarkAppliedOutcome.Planned, report.Outcome);
        Assert.Contains(report.Sql, s => s.Contains("INSERT INTO applied_migrations", StringComparison.Ordinal));
        Assert.Equal(0L, await database.ScalarAsync<long>($"SELECT count(*) FROM \"__EFMigrationsHistory\" WHERE migration_id = '{PushSubscriptions}'"));
    }
}

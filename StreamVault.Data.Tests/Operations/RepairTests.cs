using StreamVault.Data.Operations;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Operations;

public sealed class RepairTests
{
    [Fact]
    public async Task Repair_rebuilds_dropped_and_invalid_indexes_then_validate_passes()
    {
        await using var database = await OperationsDatabases.MigratedFromJune2025Async();
        await database.ExecuteSqlAsync("""
            DROP INDEX idx_streams_started_at;
            UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'idx_streams_title'::regclass;
            """);

        var report = await SchemaRepair.RepairAsync(database.ConnectionString, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(
            [("idx_streams_started_at", RepairActionStatus.Applied), ("idx_streams_title", RepairActionStatus.Applied)],
            report.Actions.Select(a => (a.Name, a.Status)).Order());
        Assert.Equal(
            ["DROP INDEX CONCURRENTLY IF EXISTS \"idx_streams_title\"", "CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_streams_title ON streams USING btree (title)"],
            report.Actions.Single(a => a.Name == "idx_streams_title").Sql);
        Assert.True(report.After!.IsClean);
        Assert.True((await SchemaValidator.ValidateAsync(database.ConnectionString, cancellationToken: TestContext.Current.CancellationToken)).IsClean);
    }

    [Fact]
    public async Task Repair_recreates_dropped_unique_constraint_and_foreign_key_then_validate_passes()
    {
        await using var database = await OperationsDatabases.MigratedFromJune2025Async();
        await database.ExecuteSqlAsync("""
            ALTER TABLE streams DROP CONSTRAINT streams_streamer_id_fkey;
            ALTER TABLE streamers DROP CONSTRAINT streamers_twitch_id_key;
            """);

        var report = await SchemaRepair.RepairAsync(database.ConnectionString, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(
            [("streamers_twitch_id_key", RepairActionStatus.Applied), ("streams_streamer_id_fkey", RepairActionStatus.Applied)],
            report.Actions.Select(a => (a.Name, a.Status)));
        Assert.True(report.After!.IsClean);
        Assert.Equal(
            "FOREIGN KEY (streamer_id) REFERENCES streamers(id) ON DELETE CASCADE",
            await database.ScalarAsync<string>("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'streams_streamer_id_fkey'"));
    }

    [Fact]
    public async Task Repair_reconciles_a_deleted_ledger_row_then_validate_passes()
    {
        await using var database = await OperationsDatabases.MigratedFromJune2025Async();
        await database.ExecuteSqlAsync("DELETE FROM applied_migrations WHERE migration_name = '20250620_add_system_config'");

        var report = await SchemaRepair.RepairAsync(database.ConnectionString, cancellationToken: TestContext.Current.CancellationToken);

        var action = Assert.Single(report.Actions);
        Assert.Equal(("ledger", RepairActionStatus.Applied), (action.Kind, action.Status));
        Assert.True(report.After!.IsClean);
        Assert.True(await database.ScalarAsync<bool>(
            "SELECT success AND ef_migration_id = '20250620000001_AddSystemConfig' FROM applied_migrations WHERE migration_name = '20250620_add_system_config'"));
    }

    [Fact]
    public async Task Repair_proposes_nothing_for_warnings_such_as_an_extra_column_or_the_apps_unique_index()
    {
        await using var database = await OperationsDatabases.MigratedFromJune2025Async();
        // June 2025's own variants (sized types, its foreign keys) are warnings already; the three planted below add to them.
        var june = await OperationsDatabases.MigratedFromJune2025WarningsAsync();
        await database.ExecuteSqlAsync("""
            ALTER TABLE streams ADD COLUMN notes text; UPDATE streams SET notes = 'keep me';
            CREATE UNIQUE INDEX ix_streams_language_title ON streams (language, title);
            ALTER TABLE streamers ALTER COLUMN username TYPE varchar(255);
            """);

        var report = await SchemaRepair.RepairAsync(database.ConnectionString, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Empty(report.Actions);
        Assert.Equal(june.Count + 3, report.Before.WarningCount);
        Assert.True(report.After!.IsClean);
        Assert.DoesNotContain("drop", report.ToText(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(3000L, await database.ScalarAsync<long>("SELECT count(*) FROM streams WHERE notes = 'keep me'"));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname = 'ix_streams_language_title'"));
    }

    [Fact]
    public async Task Repair_summary_lists_the_extra_column_wider_type_and_extra_index_it_keeps()
    {
        await using var database = await OperationsDatabases.MigratedFromEmptyAsync();
        await database.ExecuteSqlAsync("""
            DROP INDEX idx_streams_started_at;
            ALTER TABLE streams ADD COLUMN notes text;
            ALTER TABLE recordings ALTER COLUMN status TYPE varchar(200);
            CREATE INDEX ix_streams_language_title ON streams (language, title);
            """);

        var report = await SchemaRepair.RepairAsync(database.ConnectionString, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal([("idx_streams_started_at", RepairActionStatus.Applied)], report.Actions.Select(a => (a.Name, a.Status)));
        Assert.Equal(
            ["column recordings.status type", "column streams.notes extra", "index streams.ix_streams_language_title extra"],
            report.Kept.Select(OperationsDatabases.WarningKey).Order(StringComparer.Ordinal));
        Assert.Equal(
            [
                $"🛠️ Repairing {database.Name} on {report.Server}...",
                "🔧 Create missing index 'idx_streams_started_at' concurrently",
                "📌 Kept: Column 'recordings.status' has type character varying(200), the migrations make character varying(50) (wider)",
                "📌 Kept: Column 'streams.notes' (text null) is not created by the migrations (extra column, kept)",
                "📌 Kept: Index 'ix_streams_language_title' on streams is not created by the migrations (extra, kept): CREATE INDEX ix_streams_language_title ON streams USING btree (language, title)",
                "🎯 Repair summary: 1 repaired, 0 planned, 0 failed, 0 left for you, 3 kept; validation now passes",
            ],
            report.ToText().TrimEnd('\n').Split('\n'));
        using var json = System.Text.Json.JsonDocument.Parse(report.ToJson());
        Assert.Equal(
            ["recordings.status type warning", "streams.notes extra warning", "streams.ix_streams_language_title extra warning"],
            json.RootElement.GetProperty("kept").EnumerateArray().Select(k =>
                $"{k.GetProperty("table").GetString()}.{k.GetProperty("name").GetString()} {k.GetProperty("problem").GetString()} {k.GetProperty("severity").GetString()}"));
    }

    [Fact]
    public async Task Repair_dry_run_returns_the_sql_without_running_it()
    {
        await using var database = await OperationsDatabases.MigratedFromJune2025Async();
        await database.ExecuteSqlAsync("DROP INDEX idx_streams_started_at");

        var report = await SchemaRepair.RepairAsync(database.ConnectionString, dryRun: true, cancellationToken: TestContext.Current.CancellationToken);

        var action = Assert.Single(report.Actions);
        Assert.Equal(RepairActionStatus.Planned, action.Status);
        Assert.Equal(["CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_streams_started_at ON streams USING btree (started_at)"], action.Sql);
        Assert.Null(report.After);
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname = 'idx_streams_started_at'"));
    }
}

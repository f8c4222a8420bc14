using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using StreamVault.Data.Migrations;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Migrations;

/// <summary>
/// <c>migrate &lt;older target&gt;</c> checks every Down of the range before it runs any: rows in what they drop, and
/// objects outside the range depending on it. Any blocker refuses the whole revert in one line, in every entry point,
/// and nothing is reverted: EF history, applied_migrations and the schema stay exactly as they were.
/// </summary>
public sealed class PlannedRevertTests
{
    private const string BaseSchema = "20240705000000_BaseSchema";

    /// <summary>The June 2025 fixture after adoption: its rows, in the model's tables, newest migration first.</summary>
    private const string JuneRefusal =
        "revert to 0 refused, nothing reverted: "
        + "table stream_metadata holds 25 rows (AddTablesOfNewerReleases); "
        + "table stream_events holds 80 rows (AddTablesOfNewerReleases); "
        + "table recording_settings holds 1 row (AddTablesOfNewerReleases); "
        + "table streamer_recording_settings holds 6 rows (AddTablesOfNewerReleases); "
        + "table notification_settings holds 10 rows (AddTablesOfNewerReleases); "
        + "table favorite_categories holds 3 rows (AddTablesOfNewerReleases); "
        + "table categories holds 5 rows (AddTablesOfNewerReleases); "
        + "table sessions holds 3 rows (AddTablesOfNewerReleases); "
        + "table users holds 2 rows (AddTablesOfNewerReleases); "
        + "table system_config holds 4 rows (AddSystemConfig); "
        + "table push_subscriptions holds 4 rows (AddPushSubscriptions); "
        + "column global_settings.http_proxy holds values in 1 row (AddProxySettings); "
        + "column global_settings.https_proxy holds values in 1 row (AddProxySettings); "
        + "column streams.recording_path holds values in 2373 rows (AddRecordingPathToStreams); "
        + "table streams holds 3000 rows (BaseSchema); "
        + "table streamers holds 50 rows (BaseSchema); "
        + "table global_settings holds 1 row (BaseSchema)";

    private static readonly string[] AppTables =
        ["stream_clips", "stream_titles"];

    [Fact]
    public async Task Reverting_an_adopted_june_2025_database_to_zero_is_refused_naming_every_blocker_and_reverts_nothing()
    {
        await using var db = await StartingStates.CreateMigratedAsync(StartingStates.June2025);
        var before = await SnapshotAsync(db);

        var refusal = await Assert.ThrowsAsync<RevertRefusedException>(() => Infrastructure.Migrations.MigrateAsync(db.ConnectionString, "0"));

        Assert.Equal(JuneRefusal, refusal.Message);
        Assert.Equal(before, await SnapshotAsync(db));
        Assert.Equal(Infrastructure.Migrations.All(), await LedgerReader.HistoryAsync(db.ConnectionString));
    }

    [Fact]
    public async Task The_cli_refuses_the_same_revert_with_one_line_and_exit_code_1_and_reverts_nothing()
    {
        await using var db = await StartingStates.CreateMigratedAsync(StartingStates.June2025);
        var before = await SnapshotAsync(db);

        var run = await InProcessCli.RunAsync(["migrate", "0", "--connection", db.ConnectionString]);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"streamvault-db: {JuneRefusal}\n", run.StandardError);
        Assert.Equal(before, await SnapshotAsync(db));
    }

    [Theory]
    [InlineData("dotnet ef database update")]
    [InlineData("efbundle")]
    public async Task Dotnet_ef_and_the_bundle_refuse_the_same_revert_and_revert_nothing(string entryPoint)
    {
        await using var db = await StartingStates.CreateMigratedAsync(StartingStates.June2025);
        var before = await SnapshotAsync(db);

        ToolResult run;
        if (entryPoint == "efbundle")
        {
            await RepositoryTools.EnsureArtifactsAsync();
            run = await ProcessRunner.RunAsync(RepositoryTools.Bundle, ["0", "--connection", db.ConnectionString], timeout: TimeSpan.FromMinutes(3));
        }
        else
        {
            run = await RepositoryTools.DotnetEfAsync("database", "update", "0", "--connection", db.ConnectionString);
        }

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(JuneRefusal, run.Output, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync(db));
    }

    [Theory]
    [InlineData("CREATE TABLE stream_clips (id SERIAL PRIMARY KEY, stream_id INTEGER NOT NULL REFERENCES streams (id))",
        "stream_clips.stream_id references streams (BaseSchema)")]
    [InlineData("CREATE VIEW stream_titles AS SELECT id, title FROM streams",
        "view stream_titles depends on streams (BaseSchema)")]
    [InlineData("CREATE TABLE stream_titles (id SERIAL PRIMARY KEY, copy streams)",
        "column copy of table stream_titles depends on streams (BaseSchema)")]
    public async Task An_app_object_depending_on_streams_refuses_a_revert_to_zero_before_any_down_runs(string appObject, string blocker)
    {
        await using var db = await StartingStates.CreateMigratedAsync(StartingStates.Empty);
        await db.ExecuteSqlAsync(appObject);
        var before = await SnapshotAsync(db);

        var refusal = await Assert.ThrowsAsync<RevertRefusedException>(() => Infrastructure.Migrations.MigrateAsync(db.ConnectionString, "0"));

        Assert.Equal($"revert to 0 refused, nothing reverted: {blocker}", refusal.Message);
        Assert.Equal(before, await SnapshotAsync(db));
    }

    [Fact]
    public async Task A_view_on_a_column_an_older_down_drops_refuses_the_revert_before_the_newer_downs_run()
    {
        await using var db = await StartingStates.CreateMigratedAsync(StartingStates.Empty);
        await db.ExecuteSqlAsync("CREATE VIEW stream_titles AS SELECT id, recording_path FROM streams");
        var before = await SnapshotAsync(db);

        var refusal = await Assert.ThrowsAsync<RevertRefusedException>(
            () => Infrastructure.Migrations.MigrateAsync(db.ConnectionString, "20250522000000_AddStreamIndices"));

        Assert.Equal(
            "revert to 20250522000000_AddStreamIndices refused, nothing reverted: view stream_titles depends on streams.recording_path (AddRecordingPathToStreams)",
            refusal.Message);
        Assert.Equal(before, await SnapshotAsync(db));
    }

    [Fact]
    public async Task Rows_in_a_table_an_older_down_drops_refuse_the_revert_before_the_newer_downs_run()
    {
        await using var db = await StartingStates.CreateMigratedAsync(StartingStates.Empty);
        await db.ExecuteSqlAsync("INSERT INTO system_config (key, value) VALUES ('vapid_public_key', 'kept')");
        var before = await SnapshotAsync(db);

        var refusal = await Assert.ThrowsAsync<RevertRefusedException>(
            () => Infrastructure.Migrations.MigrateAsync(db.ConnectionString, "20250620000000_AddPushSubscriptions"));

        Assert.Equal(
            "revert to 20250620000000_AddPushSubscriptions refused, nothing reverted: table system_config holds 1 row (AddSystemConfig)",
            refusal.Message);
        Assert.Equal(before, await SnapshotAsync(db));
    }

    [Fact]
    public async Task A_revert_without_blockers_runs_every_down_and_keeps_both_ledgers_in_agreement()
    {
        await using var db = await StartingStates.CreateMigratedAsync(StartingStates.Empty);
        // An app table and a view that touch nothing the Downs drop are no blockers.
        await db.ExecuteSqlAsync("CREATE TABLE app_notes (id SERIAL PRIMARY KEY, note TEXT); CREATE VIEW app_note_texts AS SELECT note FROM app_notes;");

        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString, "20250617000000_AddProxySettings");

        var kept = Infrastructure.Migrations.All().Where(id => string.CompareOrdinal(id, "20250617000000_AddProxySettings") <= 0).ToList();
        Assert.Equal(kept, await LedgerReader.HistoryAsync(db.ConnectionString));
        Assert.Equal(
            kept.Select(KnownMigrations.LedgerNameFor).Order(StringComparer.Ordinal),
            (await LedgerReader.RowsAsync(db.ConnectionString)).Select(r => r.Name).Order(StringComparer.Ordinal));

        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString, "0");

        Assert.Empty(await LedgerReader.HistoryAsync(db.ConnectionString));
        Assert.Empty(await LedgerReader.RowsAsync(db.ConnectionString));
        Assert.Equal(
            ["__EFMigrationsHistory", "app_notes", "applied_migrations"],
            (await TableDigest.ListTablesAsync(db.ConnectionString)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_down_is_planned_with_what_it_drops_and_guards()
    {
        using var context = StreamVaultDatabase.CreateContext("Host=unused");
        var assembly = context.GetService<IMigrationsAssembly>();
        // The migrations up to the newest release's shape; a later one's Down is held to the same rules by MigrationRules
        // (down-without-guard).
        var planned = assembly.Migrations.OrderBy(m => m.Key, StringComparer.Ordinal)
            .Where(m => Infrastructure.Migrations.UpTo(Infrastructure.Migrations.NewestReleaseConverged).Contains(m.Key))
            .Select(m => m.Key + ": " + string.Join(", ", Data.Engine.RevertPlan.TargetsOf(assembly.CreateMigration(m.Value, context.Database.ProviderName!))
                .Select(t => $"{t.Kind.ToString().ToLowerInvariant()} {t.Label}")))
            .ToList();

        Assert.Equal(
        [
            "20240705000000_BaseSchema: table streams, table streamers, table global_settings",
            "20250522000000_AddStreamIndices: index idx_streams_title, index idx_streams_started_at, index idx_streams_streamer_id",
            "20250609160908_AddRecordingPathToStreams: column streams.recording_path",
            "20250617000000_AddProxySettings: column global_settings.http_proxy, column global_settings.https_proxy",
            "20250620000000_AddPushSubscriptions: table push_subscriptions",
            "20250620000001_AddSystemConfig: table system_config",
            "20261125000000_ConvergeLegacySchema: ",
            "20261129100000_AddColumnsOfNewerReleases: ",
            "20261129100001_AddIndexesOfNewerReleases: ",
            "20261129100002_AddUniqueTwitchStreamId: ",
        ], planned.Take(10));
        // The tables of the newest release: every model table the first migrations do not drop, each guarded by its Down.
        var first = planned.Take(10).SelectMany(p => p.Split(": ")[1].Split(", ", StringSplitOptions.RemoveEmptyEntries))
            .Where(t => t.StartsWith("table ", StringComparison.Ordinal)).Select(t => t[6..]);
        Assert.Equal(
            SchemaFingerprint.ModelTables.Except(first, StringComparer.Ordinal).Order(StringComparer.Ordinal),
            planned.Single(p => p.StartsWith("20261203100000_AddTablesOfNewerReleases: ", StringComparison.Ordinal))
                .Split(": ")[1].Split(", ").Select(t => t.StartsWith("table ", StringComparison.Ordinal) ? t[6..] : t).Order(StringComparer.Ordinal));
        Assert.Equal("20261203100001_BackfillLastStreamInfo: ", planned[^1]);
        Assert.Equal(Infrastructure.Migrations.UpTo(Infrastructure.Migrations.NewestReleaseConverged).Count, planned.Count);
    }

    /// <summary>History, ledger rows and the model tables' schema (MigrationState), the app tables' schema and every row of both.</summary>
    private static async Task<string> SnapshotAsync(TestDatabase db)
    {
        var text = new StringBuilder(await MigrationState.CaptureAsync(db.ConnectionString));
        text.Append(await SchemaFingerprint.CaptureAsync(db.ConnectionString, AppTables));
        var tables = (await TableDigest.ListTablesAsync(db.ConnectionString)).Order(StringComparer.Ordinal).ToList();
        text.AppendLine("tables: " + string.Join(", ", tables));
        foreach (var (table, digest) in (await TableDigest.CaptureAsync(db.ConnectionString, tables.Where(t => t != "applied_migrations")))
                     .OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            text.Append(table).Append(": ").AppendLine(digest);
        }

        text.AppendLine("views: " + await db.ScalarAsync<string>(
            "SELECT string_agg(viewname || ' ' || definition, ' | ' ORDER BY viewname) FROM pg_views WHERE schemaname = 'public'"));
        return text.ToString();
    }
}

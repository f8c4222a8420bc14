using System.Text.Json;
using StreamVault.Data.Operations;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Operations;

public sealed class StatusTests
{
    private static readonly string[] All = [.. Infrastructure.Migrations.All()];

    [Fact]
    public async Task Status_of_empty_database_lists_every_migration_pending()
    {
        await using var database = await OperationsDatabases.EmptyAsync();

        var root = await StatusJsonAsync(database.ConnectionString);

        Assert.True(root.GetProperty("hasPending").GetBoolean());
        Assert.False(root.GetProperty("historyTableExists").GetBoolean());
        Assert.Equal(All, Strings(root.GetProperty("pending")));
        Assert.All(root.GetProperty("migrations").EnumerateArray(), m =>
        {
            Assert.Equal("pending", m.GetProperty("state").GetString());
            Assert.Equal(JsonValueKind.Null, m.GetProperty("ledger").ValueKind);
        });
        Assert.Equal(JsonValueKind.Null, root.GetProperty("legacyHistory").ValueKind);
    }

    [Fact]
    public async Task Status_of_database_migrated_to_a_target_lists_applied_then_pending()
    {
        await using var database = await OperationsDatabases.EmptyAsync();
        await OperationsDatabases.MigrateAsync(database.ConnectionString, "20250609160908_AddRecordingPathToStreams");

        var root = await StatusJsonAsync(database.ConnectionString);

        Assert.True(root.GetProperty("hasPending").GetBoolean());
        Assert.Equal(All[3..], Strings(root.GetProperty("pending")));
        Assert.Equal(
            [.. Enumerable.Repeat("applied", 3), .. Enumerable.Repeat("pending", All.Length - 3)],
            root.GetProperty("migrations").EnumerateArray().Select(m => m.GetProperty("state").GetString()));
        var indices = root.GetProperty("migrations")[1];
        Assert.Equal("20250522_add_stream_indices", indices.GetProperty("ledgerName").GetString());
        Assert.True(indices.GetProperty("ledger").GetProperty("success").GetBoolean());
        Assert.True(indices.GetProperty("ledger").GetProperty("checksumMatches").GetBoolean());
        Assert.Equal(3, root.GetProperty("appliedCount").GetInt32());
    }

    [Fact]
    public async Task Status_of_fully_migrated_database_has_nothing_pending()
    {
        await using var database = await OperationsDatabases.MigratedFromEmptyAsync();

        var report = await DatabaseStatus.ReadAsync(database.ConnectionString, cancellationToken: TestContext.Current.CancellationToken);
        var root = JsonDocument.Parse(report.ToJson()).RootElement;

        Assert.False(report.HasPending);
        Assert.False(root.GetProperty("hasPending").GetBoolean());
        Assert.Empty(Strings(root.GetProperty("pending")));
        Assert.Equal(All, root.GetProperty("migrations").EnumerateArray().Select(m => m.GetProperty("id").GetString()));
        Assert.All(root.GetProperty("migrations").EnumerateArray(), m => Assert.Equal("applied", m.GetProperty("state").GetString()));
        Assert.Contains($"🎯 Migration summary: {All.Length} applied, 0 pending, 0 failed", report.ToText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_of_migrated_june_2025_database_shows_adopted_ledger_rows_and_older_migrations_table()
    {
        await using var database = await OperationsDatabases.MigratedFromJune2025Async();

        var root = await StatusJsonAsync(database.ConnectionString);

        var indices = root.GetProperty("migrations")[1].GetProperty("ledger");
        Assert.Equal(DateTimeOffset.Parse("2025-06-23T09:01:12.118+00:00", System.Globalization.CultureInfo.InvariantCulture),
            indices.GetProperty("appliedAt").GetDateTimeOffset());
        var legacy = root.GetProperty("legacyHistory").EnumerateArray().ToList();
        Assert.Equal(5, legacy.Count);
        Assert.Equal("20250522_add_stream_indices.py", legacy[0].GetProperty("scriptName").GetString());
        Assert.True(legacy[0].GetProperty("success").GetBoolean());
    }

    [Fact]
    public async Task Status_shows_the_apps_migrations_table_as_it_is_in_both_of_its_shapes_and_writes_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var june = await StartingStates.CreateAsync(StartingStates.June2025);
        await using var newest = await StartingStates.CreateAsync(StartingStates.Newest2026);
        var juneBefore = await TableDigest.CaptureAsync(june.ConnectionString, ["migrations"]);
        var newestBefore = await TableDigest.CaptureAsync(newest.ConnectionString, ["migrations"]);

        var keyed = await DatabaseStatus.ReadAsync(june.ConnectionString, cancellationToken: ct);
        var numbered = await DatabaseStatus.ReadAsync(newest.ConnectionString, cancellationToken: ct);

        // script_name as primary key, applied_at without time zone, in the order the app lists them (applied_at).
        Assert.Equal(
            [
                new LegacyMigration(null, "20250522_add_stream_indices.py", "2025-05-22T18:40:03.5521", true),
                new LegacyMigration(null, "add_max_streams.py", "2025-05-22T18:40:03.7012", true),
                new LegacyMigration(null, "add_cleanup_policy.py", "2025-05-25T11:02:44.9034", true),
                new LegacyMigration(null, "20250609160908_add_recording_path_to_streams.py", "2025-06-09T16:20:17.011", true),
                new LegacyMigration(null, "20250617_add_proxy_settings.py", "2025-06-17T20:11:52.3349", true),
            ],
            keyed.LegacyHistory);

        // id + unique script_name, applied_at with time zone, in id order.
        var rows = numbered.LegacyHistory!;
        Assert.Equal(Enumerable.Range(1, 42), rows.Select(r => r.Id!.Value));
        Assert.Equal(("001_create_base_tables.py", true), (rows[0].ScriptName, rows[0].Success));
        Assert.Equal("20251110_add_streamer_banner.py", rows[^1].ScriptName);
        Assert.Matches(@"^2026-11-29T\d\d:\d\d:39\.821369[+-]\d\d:\d\d$", rows[0].AppliedAt);
        Assert.Contains("📜 The app's migrations table: 42 scripts", numbered.ToText(), StringComparison.Ordinal);
        Assert.Contains("   ✅ 42 20251110_add_streamer_banner.py 2026-11-29 ", numbered.ToText(), StringComparison.Ordinal);
        Assert.Contains("   ✅ add_max_streams.py 2025-05-22 18:40:03.7012", keyed.ToText(), StringComparison.Ordinal);
        Assert.Equal(juneBefore, await TableDigest.CaptureAsync(june.ConnectionString, ["migrations"]));
        Assert.Equal(newestBefore, await TableDigest.CaptureAsync(newest.ConnectionString, ["migrations"]));
    }

    [Fact]
    public async Task Status_reports_a_failed_migration_with_its_error()
    {
        await using var database = await OperationsDatabases.EmptyAsync();
        await OperationsDatabases.MigrateAsync(database.ConnectionString, "20250617000000_AddProxySettings");
        await database.ExecuteSqlAsync("""
            INSERT INTO applied_migrations (migration_name, success, ef_migration_id, error)
            VALUES ('20250620_add_push_subscriptions', FALSE, '20250620000000_AddPushSubscriptions', '42P07: relation exists')
            """);

        var report = await DatabaseStatus.ReadAsync(database.ConnectionString, cancellationToken: TestContext.Current.CancellationToken);

        var failed = Assert.Single(report.Failed);
        Assert.Equal(("20250620000000_AddPushSubscriptions", "42P07: relation exists"), (failed.Id, failed.Error));
        Assert.True(report.HasPending);
    }

    [Fact]
    public async Task Status_json_after_a_failed_run_counts_the_failed_migration_once_and_never_contradicts_itself()
    {
        const string Unique = "20261129100002_AddUniqueTwitchStreamId";
        await using var database = await OperationsDatabases.EmptyAsync();
        await OperationsDatabases.MigrateAsync(database.ConnectionString, "20261129100001_AddIndexesOfNewerReleases");
        await database.ExecuteSqlAsync("""
            INSERT INTO streamers (twitch_id, username) VALUES ('1', 'a');
            INSERT INTO streams (streamer_id, twitch_stream_id) SELECT id, 'dup' FROM streamers;
            INSERT INTO streams (streamer_id, twitch_stream_id) SELECT id, 'dup' FROM streamers;
            """);
        await Assert.ThrowsAnyAsync<Exception>(() => OperationsDatabases.MigrateAsync(database.ConnectionString));

        var root = await StatusJsonAsync(database.ConnectionString);

        // EF stops at the failed migration: what follows it (if anything) is pending.
        Assert.Equal(Infrastructure.Migrations.After(Unique), Strings(root.GetProperty("pending")).OfType<string>());
        Assert.Equal(Infrastructure.Migrations.After(Unique).Count, root.GetProperty("pendingCount").GetInt32());
        Assert.Equal([Unique], root.GetProperty("failed").EnumerateArray().Select(f => f.GetProperty("id").GetString()));
        Assert.Equal(1, root.GetProperty("failedCount").GetInt32());
        Assert.Equal(Infrastructure.Migrations.All().TakeWhile(id => id != Unique).Count(), root.GetProperty("appliedCount").GetInt32());
        Assert.Equal(
            root.GetProperty("migrations").GetArrayLength(),
            root.GetProperty("appliedCount").GetInt32() + root.GetProperty("pendingCount").GetInt32() + root.GetProperty("failedCount").GetInt32());
        Assert.True(root.GetProperty("hasPending").GetBoolean());
    }

    private static async Task<JsonElement> StatusJsonAsync(string connectionString)
    {
        var report = await DatabaseStatus.ReadAsync(connectionString, cancellationToken: TestContext.Current.CancellationToken);
        return JsonDocument.Parse(report.ToJson()).RootElement.Clone();
    }

    private static List<string?> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()).ToList();
}

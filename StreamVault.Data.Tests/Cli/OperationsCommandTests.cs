using System.Text.Json;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Cli;

/// <summary>status, validate, repair and script as operators run them: streamvault-db's output and exit codes (in-process).</summary>
public sealed class OperationsCommandTests
{
    [Fact]
    public async Task Status_json_lists_pending_migrations_and_fail_on_pending_gates_until_migrated()
    {
        await using var db = await StartingStates.CreateAsync(StartingStates.June2025);

        var before = await CliAsync("status", "--json", "--fail-on-pending", "--connection", db.ConnectionString);
        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString);
        var after = await CliAsync("status", "--json", "--fail-on-pending", "--connection", db.ConnectionString);

        Assert.True(before.ExitCode == 4, before.Output);
        using (var pending = JsonDocument.Parse(before.StandardOutput))
        {
            Assert.True(pending.RootElement.GetProperty("hasPending").GetBoolean());
            Assert.Equal(Infrastructure.Migrations.All().Count, pending.RootElement.GetProperty("pendingCount").GetInt32());
            Assert.Equal(5, pending.RootElement.GetProperty("legacyHistory").GetArrayLength());
        }

        Assert.True(after.ExitCode == 0, after.Output);
        using var applied = JsonDocument.Parse(after.StandardOutput);
        Assert.False(applied.RootElement.GetProperty("hasPending").GetBoolean());
        Assert.Equal(Infrastructure.Migrations.All().Count, applied.RootElement.GetProperty("appliedCount").GetInt32());
    }

    [Fact]
    public async Task Validate_fails_naming_a_dropped_index_and_repair_rebuilds_it()
    {
        await using var db = await StartingStates.CreateMigratedAsync(StartingStates.PreJune2025);
        await db.ExecuteSqlAsync("DROP INDEX idx_streams_started_at;");

        var broken = await CliAsync("validate", "--connection", db.ConnectionString);
        var dryRun = await CliAsync("repair", "--dry-run", "--connection", db.ConnectionString);
        var repair = await CliAsync("repair", "--connection", db.ConnectionString);
        var clean = await CliAsync("validate", "--json", "--connection", db.ConnectionString);

        Assert.True(broken.ExitCode == 4, broken.Output);
        Assert.Contains("idx_streams_started_at", broken.StandardOutput, StringComparison.Ordinal);
        Assert.True(dryRun.ExitCode == 4, dryRun.Output);
        Assert.Contains("CREATE INDEX CONCURRENTLY", dryRun.StandardOutput, StringComparison.Ordinal);
        Assert.True(repair.ExitCode == 0, repair.Output);
        Assert.True(clean.ExitCode == 0, clean.Output);
        using var report = JsonDocument.Parse(clean.StandardOutput);
        Assert.True(report.RootElement.GetProperty("isClean").GetBoolean());
    }

    [Fact]
    public async Task An_extra_column_is_a_warning_repair_leaves_alone_and_strict_validate_fails_with_4()
    {
        await using var db = await StartingStates.CreateMigratedAsync(StartingStates.June2025);
        // June 2025's own variants (sized types, its foreign keys) are warnings already; the planted column adds one.
        var june = WarningsOf((await CliAsync("validate", "--json", "--connection", db.ConnectionString)).StandardOutput);
        await db.ExecuteSqlAsync("ALTER TABLE streamers ADD COLUMN nickname text; UPDATE streamers SET nickname = 'kept';");

        var validate = await CliAsync("validate", "--connection", db.ConnectionString);
        var strict = await CliAsync("validate", "--strict", "--json", "--connection", db.ConnectionString);
        var repair = await CliAsync("repair", "--connection", db.ConnectionString);

        Assert.True(validate.ExitCode == 0, validate.Output);
        Assert.Contains("⚠️ Column 'streamers.nickname'", validate.StandardOutput, StringComparison.Ordinal);
        Assert.True(strict.ExitCode == 4, strict.Output);
        using (var report = JsonDocument.Parse(strict.StandardOutput))
        {
            Assert.Equal(["streamers.nickname extra"], WarningsOf(strict.StandardOutput).Except(june));
            Assert.Equal(june.Count + 1, report.RootElement.GetProperty("warningCount").GetInt32());
            Assert.Equal(0, report.RootElement.GetProperty("errorCount").GetInt32());
            Assert.False(report.RootElement.GetProperty("isClean").GetBoolean());
        }

        Assert.True(repair.ExitCode == 0, repair.Output);
        // Listed as kept, never as an action: exactly one line names it.
        Assert.Equal(
            ["📌 Kept: Column 'streamers.nickname' (text null) is not created by the migrations (extra column, kept)"],
            repair.StandardOutput.Split('\n').Where(l => l.Contains("nickname", StringComparison.Ordinal)));
        Assert.Contains($", {june.Count + 1} kept; validation now passes", repair.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(50L, await db.ScalarAsync<long>("SELECT count(*) FROM streamers WHERE nickname = 'kept'"));
    }

    /// <summary>The warnings of a <c>validate --json</c> report, as <c>table.name problem</c>.</summary>
    private static List<string> WarningsOf(string json)
    {
        using var report = JsonDocument.Parse(json);
        return [.. report.RootElement.GetProperty("checks").EnumerateArray()
            .Where(c => c.GetProperty("severity").GetString() == "warning")
            .Select(c => $"{c.GetProperty("table").GetString()}.{c.GetProperty("name").GetString()} {c.GetProperty("problem").GetString()}")];
    }

    [Fact]
    public async Task Mark_applied_refuses_while_objects_are_missing_and_says_which_migration_is_unknown()
    {
        await using var db = await StartingStates.CreateAsync(StartingStates.Empty);
        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString, "20250617000000_AddProxySettings");

        var refused = await CliAsync("repair", "mark-applied", "AddPushSubscriptions", "--connection", db.ConnectionString);
        var unknown = await CliAsync("repair", "mark-applied", "NoSuchMigration", "--connection", db.ConnectionString);
        var forced = await CliAsync("repair", "mark-applied", "AddPushSubscriptions", "--force", "--connection", db.ConnectionString);

        Assert.True(refused.ExitCode == 4, refused.Output);
        Assert.True(unknown.ExitCode == 2, unknown.Output);
        Assert.Equal("streamvault-db: unknown migration 'NoSuchMigration'", unknown.StandardError.Trim());
        Assert.True(forced.ExitCode == 0, forced.Output);
        Assert.Contains("20250620000000_AddPushSubscriptions", await LedgerReader.HistoryAsync(db.ConnectionString));
    }

    [Fact]
    public async Task Script_output_run_twice_by_psql_migrates_like_migrate()
    {
        await using var db = await StartingStates.CreateAsync(StartingStates.PreJune2025);
        var file = Path.Combine(Path.GetTempPath(), $"streamvault-cli-script-{db.Name}.sql");
        var expected = await MigrationState.InProcessReferenceAsync(reference => reference.RunFixtureAsync("Fixtures/pre-june-2025.sql"));
        try
        {
            var script = await CliAsync("script", "--output", file);
            var first = await Psql.RunFileAsync(db.ConnectionString, file);
            var second = await Psql.RunFileAsync(db.ConnectionString, file);

            Assert.True(script.ExitCode == 0, script.Output);
            Assert.True(first.ExitCode == 0, first.Output);
            Assert.True(second.ExitCode == 0, second.Output);
            Assert.Equal(Strip(expected), Strip(await MigrationState.CaptureAsync(db.ConnectionString)));
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static Task<ToolResult> CliAsync(params string[] arguments) => InProcessCli.RunAsync(arguments);

    /// <summary>Ledger rows without applied_by: a script records the machine that generated it.</summary>
    private static string Strip(string state)
        => string.Join('\n', state.Split('\n').Select(l => l.Contains(" @ ", StringComparison.Ordinal) ? l[..l.LastIndexOf('|')] : l));
}

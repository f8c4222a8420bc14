using System.Text.Json;
using StreamVault.Data.Engine;
using StreamVault.Data.Operations;
using StreamVault.Data.Tests.Infrastructure;
using StreamVault.Data.Tests.Operations;
using Xunit;

namespace StreamVault.Data.Tests.Cli;

/// <summary><c>streamvault-db plan</c> in-process: its answers on an up-to-date and a pending database, and <c>--rehearse-on</c>.</summary>
public sealed class PlanCommandTests
{
    [Fact]
    public async Task Plan_of_an_up_to_date_database_says_so_and_exits_0()
    {
        await using var database = await OperationsDatabases.MigratedFromEmptyAsync();

        var result = await InProcessCli.RunAsync(["plan", "--fail-on-pending", "-c", database.ConnectionString]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            $"🧭 Plan for {database.Name} on {OperationContext.Describe(database.ConnectionString).Server} (nothing is changed)\nDatabase is up to date: nothing to apply or revert\n\n",
            result.StandardOutput.ReplaceLineEndings("\n"));
        Assert.Equal("", result.StandardError);
    }

    [Fact]
    public async Task Plan_fail_on_pending_exits_4_on_a_pending_database_and_plain_plan_exits_0()
    {
        await using var database = await OperationsDatabases.June2025Async();

        var gate = await InProcessCli.RunAsync(["plan", "--fail-on-pending", "-c", database.ConnectionString]);
        var plain = await InProcessCli.RunAsync(["plan", "-c", database.ConnectionString]);

        Assert.Equal(4, gate.ExitCode);
        Assert.Equal(0, plain.ExitCode);
        Assert.Equal(gate.StandardOutput, plain.StandardOutput);
        var summary = plain.StandardOutput.Split('\n').Single(l => l.StartsWith("🎯 Plan summary: ", StringComparison.Ordinal));
        Assert.StartsWith($"🎯 Plan summary: {Infrastructure.Migrations.All().Count} migrations (", summary, StringComparison.Ordinal);
        // What the statistics cannot judge is its own line each, counted apart from the refusals.
        var notChecked = plain.StandardOutput.Split('\n').Where(l => l.StartsWith("❔ ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(notChecked);
        Assert.All(notChecked, l => Assert.Contains("): duplicates not estimated", l, StringComparison.Ordinal));
        Assert.EndsWith($"; 0 refusals, {notChecked.Count} unchecked (--check-data checks)", summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_to_an_unknown_target_is_a_usage_error()
    {
        await using var database = await OperationsDatabases.EmptyAsync();

        var result = await InProcessCli.RunAsync(["plan", "NoSuchMigration", "-c", database.ConnectionString]);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("streamvault-db: unknown migration 'NoSuchMigration'\n", result.StandardError.ReplaceLineEndings("\n"));
        Assert.Equal("", result.StandardOutput);
    }

    [Fact]
    public async Task Rehearsal_on_a_copy_reports_access_exclusive_on_streamers_for_the_column_step_and_no_rewrite()
    {
        await using var database = await PlanTests.AnalyzedJune2025Async();
        await using var copy = await TestDatabase.CreateAsync(database.Name);
        var plan = await MigrationPlan.ReadAsync(database.ConnectionString, null, cancellationToken: TestContext.Current.CancellationToken);
        var (migration, step) = plan.Migrations
            .SelectMany(m => m.Statements.Select(s => (m.Id, s)))
            .Single(p => p.s.Reasons.Any(r => r.StartsWith("adds column streamers.", StringComparison.Ordinal)));

        var result = await InProcessCli.RunAsync(["plan", "--json", "-c", database.ConnectionString, "--rehearse-on", copy.ConnectionString]);

        Assert.Equal(0, result.ExitCode);
        var rehearsal = JsonDocument.Parse(result.StandardOutput).RootElement.GetProperty("rehearsal");
        Assert.Equal(copy.Name, rehearsal.GetProperty("database").GetString());
        Assert.Equal(JsonValueKind.Null, rehearsal.GetProperty("failure").ValueKind);
        Assert.Equal(JsonValueKind.Null, rehearsal.GetProperty("differsFromPlan").ValueKind);
        var rehearsed = rehearsal.GetProperty("migrations").EnumerateArray().ToList();
        Assert.Equal(plan.Migrations.Select(m => m.Id), rehearsed.Select(m => m.GetProperty("id").GetString()));
        var statement = rehearsed.Single(m => m.GetProperty("id").GetString() == migration)
            .GetProperty("statements").EnumerateArray().Single(s => s.GetProperty("index").GetInt32() == step.Index);
        Assert.Contains(statement.GetProperty("locks").EnumerateArray(),
            l => l.GetProperty("table").GetString() == "streamers" && l.GetProperty("mode").GetString() == LockModes.AccessExclusive);
        var streamers = Assert.Single(statement.GetProperty("tables").EnumerateArray(), t => t.GetProperty("table").GetString() == "streamers");
        Assert.False(streamers.GetProperty("rewritten").GetBoolean());
        Assert.Equal(streamers.GetProperty("before").GetInt64(), streamers.GetProperty("after").GetInt64());
        Assert.False(statement.GetProperty("rewrote").GetBoolean());
        // The copy ran; the live database did not.
        Assert.False((await DatabaseStatus.ReadAsync(copy.ConnectionString, cancellationToken: TestContext.Current.CancellationToken)).HasPending);
        Assert.Equal(plan.Migrations.Select(m => m.Id),
            (await DatabaseStatus.ReadAsync(database.ConnectionString, cancellationToken: TestContext.Current.CancellationToken)).Pending);
    }

    [Fact]
    public async Task Rehearsal_on_the_planned_database_itself_is_refused_whatever_its_connection_string_says()
    {
        await using var database = await OperationsDatabases.June2025Async();
        // Another spelling of the same database: the refusal goes by the server's identity, not by the string.
        var sameDatabase = database.ConnectionString.Replace("127.0.0.1", "localhost", StringComparison.Ordinal) + ";Application Name=staging";
        var server = OperationContext.Describe(database.ConnectionString).Server;

        var result = await InProcessCli.RunAsync(["plan", "-c", database.ConnectionString, "--rehearse-on", sameDatabase]);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(
            $"streamvault-db: refusing to rehearse on {database.Name} on {server}: --rehearse-on names the database being planned (same server, same database); name a copy, such as staging or a restored backup\n",
            result.StandardError.ReplaceLineEndings("\n"));
        Assert.Equal("", result.StandardOutput);
        Assert.Equal(Infrastructure.Migrations.All(), (await DatabaseStatus.ReadAsync(database.ConnectionString, cancellationToken: TestContext.Current.CancellationToken)).Pending);
    }

    [Fact]
    public async Task Rehearsal_on_a_copy_that_is_not_at_the_live_state_says_it_differs_from_the_plan()
    {
        await using var database = await OperationsDatabases.June2025Async();
        await using var copy = await OperationsDatabases.MigratedFromJune2025Async();

        var result = await InProcessCli.RunAsync(["plan", "--json", "-c", database.ConnectionString, "--rehearse-on", copy.ConnectionString]);

        Assert.Equal(0, result.ExitCode);
        var rehearsal = JsonDocument.Parse(result.StandardOutput).RootElement.GetProperty("rehearsal");
        Assert.StartsWith(
            "the copy's run differs from the live database's plan: on the copy nothing to run, on the live database adopt " + Infrastructure.Migrations.All()[0] + ", ",
            rehearsal.GetProperty("differsFromPlan").GetString(), StringComparison.Ordinal);
        Assert.Empty(rehearsal.GetProperty("migrations").EnumerateArray());
    }

    [Fact]
    public async Task Rehearsal_that_fails_on_the_copy_prints_the_failure_and_exits_1()
    {
        await using var database = await OperationsDatabases.June2025Async();
        await using var copy = await TestDatabase.CreateAsync(database.Name);
        // Only the copy holds a duplicate under the unique index a migration builds: its own check refuses there.
        await copy.ExecuteSqlAsync("UPDATE streams SET twitch_stream_id = 'twice' WHERE id IN (SELECT id FROM streams ORDER BY id LIMIT 2)");

        var result = await InProcessCli.RunAsync(["plan", "-c", database.ConnectionString, "--rehearse-on", copy.ConnectionString]);

        Assert.Equal(1, result.ExitCode);
        var failure = Assert.Single(result.StandardOutput.Split('\n'), l => l.StartsWith("💥 Rehearsal failed after ", StringComparison.Ordinal));
        Assert.Contains("twice", failure, StringComparison.Ordinal);
        Assert.Equal("", result.StandardError);
        Assert.True((await DatabaseStatus.ReadAsync(database.ConnectionString, cancellationToken: TestContext.Current.CancellationToken)).HasPending);
    }

    [Fact]
    public async Task Rehearsal_on_a_copy_that_cannot_be_reached_exits_3_naming_the_copy()
    {
        await using var database = await OperationsDatabases.June2025Async();
        var port = LocalCluster.FindFreePort();

        var result = await InProcessCli.RunAsync(
            ["plan", "-c", database.ConnectionString, "--rehearse-on", $"Host=127.0.0.1;Port={port};Username=postgres;Password=copy-secret-4711"]);

        // The exact line: the copy's host and port, never its password.
        Assert.Equal(3, result.ExitCode);
        Assert.Equal($"streamvault-db: --rehearse-on: cannot connect to 127.0.0.1:{port}: connection refused\n", result.StandardError.ReplaceLineEndings("\n"));
        Assert.Equal("", result.StandardOutput);
    }
}

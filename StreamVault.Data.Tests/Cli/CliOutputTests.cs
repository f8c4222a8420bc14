using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Cli;

/// <summary>What streamvault-db prints while it works (in-process): per-step lines, the heartbeat, lock retries, --verbose.</summary>
[Collection(RunsAlone.Name)] // Runs alone: it asserts printed step durations (12–16 s, within 550 ms of the ledger's), which parallel classes would skew.
public sealed class CliOutputTests
{
    [Fact]
    public async Task Long_step_prints_still_running_on_stderr_and_then_succeeds()
    {
        await using var database = await TestDatabase.CreateAsync();

        // The app holding streams: the concurrent index build (outside any transaction, so without lock_timeout)
        // waits until this transaction ends.
        // Waiting for the lock, the build has no progress to read yet: the 10 s line says the step still runs.
        var run = await MigrateWhileStreamsIsLockedAsync(database, "20240705000000_BaseSchema", TimeSpan.FromSeconds(12));

        // The ledger times the whole migration, its concurrent index builds included, as the CLI does (to a tenth of a second from 10 s on).
        var printed = Regex.Match(run.StandardOutput, @"Applied  20250522000000_AddStreamIndices \((\d+\.\d) s\)");
        Assert.True(printed.Success, run.Output);
        var printedMs = (int)(decimal.Parse(printed.Groups[1].Value, CultureInfo.InvariantCulture) * 1000);
        var recorded = (await LedgerReader.RowsAsync(database.ConnectionString)).Single(r => r.Name == "20250522_add_stream_indices").ExecutionMs;
        Assert.InRange(recorded!.Value, printedMs - 550, printedMs + 50);

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("still running 20250522000000_AddStreamIndices (10 s)", run.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("(5 s)", run.StandardError, StringComparison.Ordinal);
        Assert.Matches(@"Applied  20250522000000_AddStreamIndices \(1[2-5]\.\d s\)", run.StandardOutput);
        Assert.Contains($"Migration summary: {Infrastructure.Migrations.After("20240705000000_BaseSchema").Count} successful, 0 failed", run.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lock_timeout_is_retried_until_the_app_releases_the_table()
    {
        await using var database = await TestDatabase.CreateAsync();

        var run = await MigrateWhileStreamsIsLockedAsync(database, "20250522000000_AddStreamIndices", TimeSpan.FromSeconds(4));

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("Migration 20250609160908_AddRecordingPathToStreams timed out waiting for a lock (attempt 1)", run.StandardError, StringComparison.Ordinal);
        Assert.Contains($"Migration summary: {Infrastructure.Migrations.After("20250522000000_AddStreamIndices").Count} successful, 0 failed", run.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM applied_migrations WHERE success IS NOT TRUE"));
    }

    [Fact]
    public async Task Verbose_adds_the_log_and_stack_trace_but_never_the_password()
    {
        var connection = new NpgsqlConnectionStringBuilder(await PasswordServer.GetConnectionStringAsync()) { Password = "Verbose-Wrong-Pw-55" };

        var run = await InProcessCli.RunAsync(["migrate", "--verbose", "--connection", connection.ConnectionString]);

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("streamvault-db: password authentication failed for user \"postgres\"", run.StandardError, StringComparison.Ordinal);
        Assert.Contains("   at Npgsql.", run.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("Verbose-Wrong-Pw-55", run.Output, StringComparison.Ordinal);
    }

    /// <summary>
    /// Migrates <paramref name="database"/> to <paramref name="from"/> in-process, then runs the CLI's migrate
    /// while another session holds an exclusive lock on streams for <paramref name="holdFor"/>, like a busy app.
    /// </summary>
    private static async Task<ToolResult> MigrateWhileStreamsIsLockedAsync(TestDatabase database, string from, TimeSpan holdFor)
    {
        var ct = TestContext.Current.CancellationToken;
        await Infrastructure.Migrations.MigrateAsync(database.ConnectionString, from);
        await using var blocker = new NpgsqlConnection(database.ConnectionString);
        await blocker.OpenAsync(ct);
        await using var transaction = await blocker.BeginTransactionAsync(ct);
        await using (var lockStreams = new NpgsqlCommand("LOCK TABLE streams IN ACCESS EXCLUSIVE MODE", blocker, transaction))
        {
            await lockStreams.ExecuteNonQueryAsync(ct);
        }

        var running = InProcessCli.RunAsync(["migrate", "--connection", database.ConnectionString]);
        // Held from the moment the run waits on it, not from its start: a slow start on a busy machine must not eat into
        // the wait the assertions measure.
        await WaitUntilARunWaitsOnALockAsync(database, running, ct);
        await Task.Delay(holdFor, ct);
        await transaction.RollbackAsync(ct);
        return await running;
    }

    private static async Task WaitUntilARunWaitsOnALockAsync(TestDatabase database, Task running, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!running.IsCompleted && DateTime.UtcNow < deadline)
        {
            var waiting = await database.ScalarAsync<long>(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()");
            if (waiting > 0)
            {
                return;
            }

            await Task.Delay(50, ct);
        }
    }
}

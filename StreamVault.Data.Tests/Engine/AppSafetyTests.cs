using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Engine;

/// <summary>
/// Never hurting the running app (issue #18): its transactions are never deadlock victims of a run, a role's timeouts
/// neither cancel a step nor leave an INVALID index, and the engine's sessions name themselves.
/// </summary>
[Collection(RunsAlone.Name)] // Runs alone: it judges the app's transactions by lock timeouts of 100–500 ms and a large adoption, which parallel classes would skew.
public sealed class AppSafetyTests
{
    private const string AddColumns = "20261129100000_AddColumnsOfNewerReleases";

    [Fact]
    public async Task The_apps_writes_in_either_table_order_never_fail_while_a_large_June_2025_database_is_adopted()
    {
        const int rounds = 3;
        for (var round = 1; round <= rounds; round++)
        {
            await using var db = await StartingStates.CreateWithBulkStreamsAsync(StartingStates.June2025, 300_000);
            await using var app = await AppWorkload.StartAsync(db.ConnectionString);
            await app.WaitForCommitsAsync(50, TimeSpan.FromSeconds(30));

            await Infrastructure.Migrations.MigrateAsync(db.ConnectionString);
            var during = app.Committed;
            await app.WaitForCommitsAsync(50, TimeSpan.FromSeconds(30));
            var (failures, committed, _) = await app.StopAsync();

            Assert.True(failures.Count == 0, $"round {round}: {failures.Count} of the app's transactions failed: {string.Join("; ", failures.Distinct())}");
            Assert.True(committed > during, $"round {round}: the app stopped committing");
            await RunAssertions.AssertMigratedAsync(db.ConnectionString);
        }
    }

    [Fact]
    public void The_default_lock_timeout_is_500_ms_like_pgroll_and_no_statement_timeout_is_set()
    {
        var defaults = new StreamVaultDataOptions();
        Assert.Equal(TimeSpan.FromMilliseconds(500), defaults.LockTimeout);
        Assert.Null(defaults.StatementTimeout);
        Assert.Null(defaults.CommandTimeoutSeconds);
    }

    [Fact]
    public async Task A_step_that_changes_two_tables_holds_neither_while_it_waits_for_the_other()
    {
        // A reader holds streams: the step may wait for streams, but only while it holds nothing, so writes to
        // streamers go on throughout; each retry waits for the busy table first.
        await using var db = await StartingStates.CreateAsync(StartingStates.June2025);
        await using var reader = await ReadingSession.OpenAsync(db.ConnectionString, "streams");
        var ct = TestContext.Current.CancellationToken;
        using var logs = new CollectingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs));
        var migration = Task.Run(async () =>
        {
            var builder = new DbContextOptionsBuilder<StreamVaultDbContext>();
            StreamVaultDatabase.Configure(builder, db.ConnectionString).UseLoggerFactory(loggerFactory);
            await using var context = new StreamVaultDbContext(builder.Options);
            await context.Database.MigrateAsync(ct);
        }, ct);

        await using (var writer = new NpgsqlConnection(db.ConnectionString))
        {
            await writer.OpenAsync(ct);
            await using var timeout = new NpgsqlCommand("SET lock_timeout = 200", writer);
            await timeout.ExecuteNonQueryAsync(ct);
            while (logs.Entries.Count(e => e.EventId == MigrationEventIds.LockTimeoutRetry) < 3)
            {
                // A 200 ms lock_timeout of its own: had the step held streamers while it waited for streams (500 ms), this fails.
                await using var update = new NpgsqlCommand("UPDATE streamers SET is_live = NOT coalesce(is_live, false) WHERE id = (SELECT min(id) FROM streamers)", writer);
                await update.ExecuteNonQueryAsync(ct);
                await Task.Delay(10, ct);
                Assert.False(migration.IsCompleted);
            }
        }

        await reader.CommitAsync(ct);
        await migration;
        var retries = logs.Entries.Where(e => e.EventId == MigrationEventIds.LockTimeoutRetry).ToList();
        Assert.All(retries, r => Assert.Contains(AddColumns, r.Message, StringComparison.Ordinal));
        await RunAssertions.AssertMigratedAsync(db.ConnectionString);
    }

    [Fact]
    public async Task A_databases_statement_lock_and_idle_timeouts_and_a_client_command_timeout_neither_cancel_a_build_nor_leave_it_invalid()
    {
        await using var db = await StartingStates.CreateAsync(StartingStates.June2025);
        await db.ExecuteSqlAsync($"""
            ALTER DATABASE "{db.Name}" SET statement_timeout = '1s';
            ALTER DATABASE "{db.Name}" SET lock_timeout = '100ms';
            ALTER DATABASE "{db.Name}" SET idle_in_transaction_session_timeout = '1s';
            """);
        var ct = TestContext.Current.CancellationToken;

        // An open snapshot in the database (on a table no migration touches): every concurrent build waits for it, so
        // each build takes longer than the database's 1 s statement_timeout, and its wait outlasts the 100 ms lock_timeout.
        await using var snapshot = new NpgsqlConnection(db.ConnectionString);
        await snapshot.OpenAsync(ct);
        await using (var idle = new NpgsqlCommand("SET idle_in_transaction_session_timeout = 0", snapshot))
        {
            await idle.ExecuteNonQueryAsync(ct);
        }

        await using var transaction = await snapshot.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        await using (var read = new NpgsqlCommand("SELECT count(*) FROM users", snapshot, transaction))
        {
            await read.ExecuteScalarAsync(ct);
        }

        // Npgsql's client-side command timeout too: 1 s here, and 30 s by default, which a long build outlasts.
        var migration = Infrastructure.Migrations.MigrateAsync(db.ConnectionString + ";Command Timeout=1");
        await EngineSessions.WaitForWaitingStatementAsync(db.ConnectionString, "StreamVault.Data", "CREATE%INDEX CONCURRENTLY%");
        await Task.Delay(TimeSpan.FromSeconds(2), ct);
        Assert.False(migration.IsCompleted);
        await transaction.CommitAsync(ct);
        await migration;

        await RunAssertions.AssertMigratedAsync(db.ConnectionString);
        // What the database's sessions get is untouched: the engine's settings were its own.
        Assert.Equal("1s", await db.ScalarAsync<string>("SHOW statement_timeout"));
    }

    [Fact]
    public async Task In_process_runs_name_their_sessions_StreamVault_Data_and_the_lock_wait_log_names_holders_by_application()
    {
        await using var db = await StartingStates.CreateAsync(StartingStates.June2025);
        var readerConnection = new NpgsqlConnectionStringBuilder(db.ConnectionString) { ApplicationName = "the-app" }.ConnectionString;
        await using var reader = await ReadingSession.OpenAsync(readerConnection, "streams");
        var ct = TestContext.Current.CancellationToken;
        using var logs = new CollectingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs));
        var migration = Task.Run(async () =>
        {
            var builder = new DbContextOptionsBuilder<StreamVaultDbContext>();
            StreamVaultDatabase.Configure(builder, db.ConnectionString).UseLoggerFactory(loggerFactory);
            await using var context = new StreamVaultDbContext(builder.Options);
            await context.Database.MigrateAsync(ct);
        }, ct);

        var names = await WaitForEngineSessionsAsync(db.ConnectionString, reader.ProcessId, TimeSpan.FromSeconds(30));
        await reader.CommitAsync(ct);
        await migration;

        Assert.Equal(["StreamVault.Data"], names);
        var retry = logs.Entries.First(e => e.EventId == MigrationEventIds.LockTimeoutRetry);
        Assert.Contains($"pid {reader.ProcessId} (the-app idle in transaction", retry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_CLI_and_the_bundle_name_their_sessions_streamvault_db_unless_the_connection_string_names_them()
    {
        await RepositoryTools.EnsureArtifactsAsync();
        // streamvault-db in-process (what it names its sessions is its own code), the bundle as the process it ships as.
        var runs = new (Func<string, Task<ToolResult>> Run, string Suffix, string Expected)[]
        {
            (connection => InProcessCli.RunAsync(["migrate", "--connection", connection]), "", "streamvault-db"),
            (connection => ProcessRunner.RunAsync(RepositoryTools.Bundle, ["--connection", connection]), "", "streamvault-db"),
            (connection => InProcessCli.RunAsync(["migrate", "--connection", connection]), ";Application Name=ops-upgrade", "ops-upgrade"),
        };
        foreach (var (runTool, suffix, expected) in runs)
        {
            await using var db = await StartingStates.CreateAsync(StartingStates.June2025);
            await using var reader = await ReadingSession.OpenAsync(db.ConnectionString, "streams");
            var run = runTool(db.ConnectionString + suffix);

            var names = await WaitForEngineSessionsAsync(db.ConnectionString, reader.ProcessId, TimeSpan.FromSeconds(60));
            await reader.CommitAsync(TestContext.Current.CancellationToken);
            var result = await run;

            Assert.True(result.ExitCode == 0, result.Output);
            Assert.Equal([expected], names);
        }
    }

    /// <summary>
    /// Waits until the run waits for the reader's lock (so that its lock session and EF's are both open), then returns
    /// the distinct application names of every session on the database but the test's and the reader's.
    /// </summary>
    private static async Task<string[]> WaitForEngineSessionsAsync(string connectionString, int readerPid, TimeSpan timeout)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            await using var waiting = new NpgsqlCommand($"""
                SELECT count(*) FROM pg_locks
                WHERE NOT granted AND locktype = 'relation' AND pid <> {readerPid}
                  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                """, connection);
            if ((long)(await waiting.ExecuteScalarAsync())! > 0)
            {
                break;
            }

            Assert.True(clock.Elapsed < timeout, "the run never waited for the reader's lock");
            await Task.Delay(10);
        }

        await using var names = new NpgsqlCommand($"""
            SELECT DISTINCT application_name FROM pg_stat_activity
            WHERE datname = current_database() AND pid NOT IN (pg_backend_pid(), {readerPid}) AND backend_type = 'client backend'
            ORDER BY 1
            """, connection);
        var result = new List<string>();
        await using var rows = await names.ExecuteReaderAsync();
        while (await rows.ReadAsync())
        {
            result.Add(rows.GetString(0));
        }

        return [.. result];
    }

}

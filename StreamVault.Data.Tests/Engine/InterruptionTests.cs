using System.Diagnostics;
using System.Globalization;
using Npgsql;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Engine;

/// <summary>
/// A run whose session is lost part-way (issue #18): terminated by an administrator, or by a server crash, while a
/// transactional step waits for a lock and while a concurrent build waits for an old snapshot. streamvault-db says in one
/// line which migration was interrupted, that what came before is kept, that it was rolled back, and to run migrate
/// again, with exit code 5; the next run converges with the ledgers agreeing.
/// </summary>
public sealed class InterruptionTests
{
    private const string AddColumns = "20261129100000_AddColumnsOfNewerReleases";
    private const string AddIndexes = "20261129100001_AddIndexesOfNewerReleases";
    private const int Interrupted = 5;

    public enum Fault
    {
        /// <summary><c>pg_terminate_backend</c> on the run's session.</summary>
        Terminated,

        /// <summary>SIGKILL of the run's server process: the server crashes, restarts every session and recovers.</summary>
        Crashed,
    }

    public static TheoryData<string, Fault> Points => new()
    {
        { AddColumns, Fault.Terminated },
        { AddIndexes, Fault.Terminated },
        { AddColumns, Fault.Crashed },
        { AddIndexes, Fault.Crashed },
    };

    [Theory]
    [MemberData(nameof(Points))]
    public async Task An_interrupted_run_says_what_was_kept_and_what_to_do_and_the_next_run_converges(string migration, Fault fault)
    {
        var ct = TestContext.Current.CancellationToken;
        LocalCluster? cluster = null;
        TestDatabase? shared = null;
        string connectionString;
        if (fault == Fault.Crashed)
        {
            // A crash restarts the whole server: a cluster of its own, so that no other test loses its sessions.
            cluster = LocalCluster.StartOwn();
            connectionString = new NpgsqlConnectionStringBuilder(cluster.ConnectionString) { Database = "streamvault" }.ConnectionString;
            await Infrastructure.Sql.ExecuteAsync(cluster.ConnectionString, "CREATE DATABASE streamvault");
            // The harness's clusters commit asynchronously (synchronous_commit=off on the command line), and a crash loses
            // commits still in the WAL buffers: what the run had applied would vanish. This database commits as a real one.
            await Infrastructure.Sql.ExecuteAsync(cluster.ConnectionString, "ALTER DATABASE streamvault SET synchronous_commit = on");
            await Infrastructure.Sql.ExecuteAsync(connectionString, await TestDatabase.ReadFixtureAsync("Fixtures/june-2025.sql"));
            // A crash before a checkpoint would replay the load; settle it first.
            await Infrastructure.Sql.ExecuteAsync(connectionString, "CHECKPOINT");
        }
        else
        {
            shared = await StartingStates.CreateAsync(StartingStates.June2025);
            connectionString = shared.ConnectionString;
        }

        try
        {
            // What keeps the run waiting at the chosen point: a reader of streams holds the ALTER; an open snapshot holds the builds.
            var holder = new NpgsqlConnection(connectionString);
            await holder.OpenAsync(ct);
            var transaction = await holder.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
            await using (var read = new NpgsqlCommand(migration == AddColumns ? "SELECT count(*) FROM streams" : "SELECT count(*) FROM users", holder, transaction))
            {
                await read.ExecuteScalarAsync(ct);
            }

            var run = ProcessRunner.RunAsync(RepositoryTools.TestBuildCli, ["migrate", "--connection", connectionString], timeout: TimeSpan.FromMinutes(2));
            var pid = await EngineSessions.WaitForWaitingStatementAsync(connectionString, "streamvault-db", migration == AddColumns ? "LOCK TABLE%" : "CREATE%INDEX CONCURRENTLY%");
            if (fault == Fault.Terminated)
            {
                await Infrastructure.Sql.ExecuteAsync(connectionString, string.Create(CultureInfo.InvariantCulture, $"SELECT pg_terminate_backend({pid})"));
            }
            else
            {
                using var backend = Process.GetProcessById(pid);
                backend.Kill();
            }

            var result = await run;
            await DisposeQuietlyAsync(transaction, holder);

            var applied = Infrastructure.Migrations.All().ToList().IndexOf(migration);
            var reason = fault == Fault.Terminated
                ? "57P01: terminating connection due to administrator command"
                : "the connection to the server was lost";
            var builds = migration == AddIndexes ? " (an index build it started may be left INVALID; the next run rebuilds it)" : "";
            Assert.Equal(Interrupted, result.ExitCode);
            Assert.Equal(
                $"streamvault-db: migration {migration} was interrupted ({reason}): the {applied} migrations this run applied before it are kept; "
                + $"{migration} was rolled back{builds}. Run migrate again to finish",
                // Its last line: lock-wait warnings may come before it, as in any run that waited.
                result.StandardError.TrimEnd('\n').Split('\n')[^1]);
            Assert.StartsWith($"Interrupted {migration} after ", result.StandardOutput.TrimEnd('\n').Split('\n')[^2], StringComparison.Ordinal);
            Assert.Equal($"Migration summary: {applied} successful, 1 interrupted", result.StandardOutput.TrimEnd('\n').Split('\n')[^1]);
            if (fault == Fault.Crashed)
            {
                await WaitForServerAsync(connectionString);
            }

            var history = await LedgerReader.HistoryAsync(connectionString);
            Assert.Equal(Infrastructure.Migrations.All().Take(applied), history);

            var rerun = await ProcessRunner.RunAsync(RepositoryTools.TestBuildCli, ["migrate", "--connection", connectionString], timeout: TimeSpan.FromMinutes(2));
            Assert.True(rerun.ExitCode == 0, rerun.Output);
            await RunAssertions.AssertMigratedAsync(connectionString);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            if (shared is not null)
            {
                await shared.DisposeAsync();
            }

            cluster?.Stop();
        }
    }

    [Fact]
    public async Task An_in_process_run_whose_session_is_terminated_throws_MigrationInterruptedException_naming_the_migration()
    {
        await using var db = await StartingStates.CreateAsync(StartingStates.June2025);
        await using var reader = await ReadingSession.OpenAsync(db.ConnectionString, "streams");
        var run = Infrastructure.Migrations.MigrateAsync(db.ConnectionString);
        var pid = await EngineSessions.WaitForWaitingStatementAsync(db.ConnectionString, "StreamVault.Data", "LOCK TABLE%");
        await db.ExecuteSqlAsync(string.Create(CultureInfo.InvariantCulture, $"SELECT pg_terminate_backend({pid})"));

        var interrupted = await Assert.ThrowsAsync<MigrationInterruptedException>(() => run);
        Assert.Equal(AddColumns, interrupted.MigrationId);
        Assert.Equal(Infrastructure.Migrations.All().ToList().IndexOf(AddColumns), interrupted.AppliedBefore);
        // Not a failure of the migration: the ledger has no success = false row for it.
        Assert.DoesNotContain(await LedgerReader.RowsAsync(db.ConnectionString), r => r.Name == AddColumns);

        await reader.CommitAsync(TestContext.Current.CancellationToken);
        NpgsqlConnection.ClearAllPools();
        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString);
        await RunAssertions.AssertMigratedAsync(db.ConnectionString);
    }

    private static async Task WaitForServerAsync(string connectionString)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                NpgsqlConnection.ClearAllPools();
                await Infrastructure.Sql.ExecuteAsync(connectionString, "SELECT 1");
                return;
            }
            catch (NpgsqlException) when (clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>The holder's session may have gone with the crash; its end is not what the test is about.</summary>
    private static async Task DisposeQuietlyAsync(NpgsqlTransaction transaction, NpgsqlConnection connection)
    {
        try
        {
            await transaction.CommitAsync();
        }
        catch (NpgsqlException)
        {
        }
        catch (InvalidOperationException)
        {
        }

        await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }
}

using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using StreamVault.Data.Migrations;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Engine;

/// <summary>
/// Behind a real PgBouncer, in transaction and in session pooling mode, concurrent runs (the CLI and the in-process
/// engine) apply each migration once and never leave the run lock behind, even when a runner is killed mid-run;
/// and the run lock's transaction holds no snapshot, so a concurrent index build never waits for it.
/// </summary>
public sealed class PoolerTests
{
    [Fact]
    public async Task Eight_runners_through_a_transaction_pooler_apply_each_migration_once_in_three_rounds_and_leave_no_advisory_lock()
    {
        await using var pooler = await PgBouncer.StartAsync("transaction");
        for (var round = 1; round <= 3; round++)
        {
            await EightRunnersAsync(pooler, round);
        }
    }

    [Fact]
    public async Task Eight_runners_through_a_session_pooler_apply_each_migration_once_and_leave_no_advisory_lock()
    {
        await using var pooler = await PgBouncer.StartAsync("session");
        await EightRunnersAsync(pooler, round: 1);
    }

    [Fact]
    public async Task A_runner_killed_while_holding_the_lock_through_a_transaction_pooler_leaves_no_advisory_lock()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pooler = await PgBouncer.StartAsync("transaction");
        await using var db = await StartingStates.CreateAsync(StartingStates.PartialIndicesAndRecordingPath);
        // An app's open transaction on streams: the run takes the lock, then waits (retrying) for its table lock.
        await using var transaction = await ReadingSession.OpenAsync(db.ConnectionString);

        var through = pooler.ConnectionStringFor(db.Name);
        using (var runner = ProcessRunner.Start(RepositoryTools.TestBuildCli, ["migrate", "--connection", through], null, out _, out _))
        {
            await WaitForAsync(() => AdvisoryLocksAsync(db.Name), n => n == 1, "the runner to hold the run lock", ct);
            runner.Kill(entireProcessTree: true);
            await runner.WaitForExitAsync(ct);
        }

        await WaitForAsync(() => AdvisoryLocksAsync(db.Name), n => n == 0, "the killed runner's lock to go", ct);
        await transaction.CommitAsync(ct);
        var next = await ProcessRunner.RunAsync(RepositoryTools.TestBuildCli, ["migrate", "--connection", through]);
        Assert.True(next.ExitCode == 0, next.Output);
        await AssertAppliedOnceAsync(db.ConnectionString);
        Assert.Equal(0L, await AdvisoryLocksAsync(db.Name));
    }

    [Fact]
    public async Task Concurrent_index_builds_finish_while_another_run_waits_for_the_lock_under_a_repeatable_read_default()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await StartingStates.CreateAsync(StartingStates.PreJune2025);
        // From here the next migration (AddStreamIndices) builds concurrently before the run starts another transaction.
        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString, "20240705000000_BaseSchema");
        // A repeatable-read default gives every transaction a snapshot held to its end, and a concurrent index build waits
        // for all of them.
        await db.ExecuteSqlAsync($"ALTER DATABASE {Sql.Identifier(db.Name)} SET default_transaction_isolation = 'repeatable read'");
        Sql.ClearPool(db.ConnectionString);

        var runs = Enumerable.Range(0, 2).Select(_ => Task.Run(() => Infrastructure.Migrations.MigrateAsync(db.ConnectionString), ct)).ToList();
        // Only a deadlock's guard: two runs from before June 2025 can take a minute on a busy 2-core machine.
        await Task.WhenAll(runs).WaitAsync(TimeSpan.FromMinutes(5), ct);

        await AssertAppliedOnceAsync(db.ConnectionString);
        Assert.Equal(0L, await AdvisoryLocksAsync(db.Name));
    }

    [Fact]
    public async Task A_run_through_a_transaction_pooler_leaves_no_session_state_on_its_server_connections()
    {
        var ct = TestContext.Current.CancellationToken;
        // Two server connections: the run lock's transaction pins one, every other statement of the run uses the other.
        await using var pooler = await PgBouncer.StartAsync("transaction", poolSize: 2);
        await using var db = await StartingStates.CreateAsync(StartingStates.PreJune2025);
        var through = pooler.ConnectionStringFor(db.Name);

        await Infrastructure.Migrations.MigrateAsync(through);

        // Two clients, each inside a transaction at the same time, so each is pinned to one of the two server connections.
        var seen = new List<string>();
        var clients = new List<(NpgsqlConnection Connection, NpgsqlTransaction Transaction)>();
        try
        {
            for (var i = 0; i < 2; i++)
            {
                var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(through) { Pooling = false }.ConnectionString);
                await connection.OpenAsync(ct);
                var transaction = await connection.BeginTransactionAsync(ct);
                clients.Add((connection, transaction));
                await using var read = new NpgsqlCommand(
                    "SELECT pg_backend_pid()::text || ': ' || coalesce(current_setting('streamvault.migration_started', true), '') || ' '"
                    + " || (SELECT count(*) FROM pg_prepared_statements)::text", connection, transaction);
                seen.Add((string)(await read.ExecuteScalarAsync(ct))!);
            }
        }
        finally
        {
            foreach (var (connection, transaction) in clients)
            {
                await transaction.DisposeAsync();
                await connection.DisposeAsync();
            }
        }

        Assert.Equal(2, seen.Select(s => s.Split(':')[0]).Distinct().Count());
        Assert.All(seen, s => Assert.EndsWith(":  0", s, StringComparison.Ordinal));
        await AssertAppliedOnceAsync(db.ConnectionString);
    }

    [Fact]
    public async Task The_run_lock_outlives_an_idle_in_transaction_timeout_shorter_than_the_run()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await StartingStates.CreateAsync(StartingStates.PartialIndicesAndRecordingPath);
        // An app's open transaction on streams, connected before the timeout is set (so it is not itself killed): the
        // run takes the lock, then retries its ALTER for as long as this lasts, its lock session idle in transaction.
        await using var transaction = await ReadingSession.OpenAsync(
            new NpgsqlConnectionStringBuilder(db.ConnectionString) { Pooling = false }.ConnectionString);

        // 3 s: shorter than the run, which waits longer, yet long enough that a busy machine's pause inside one of the
        // engine's short transactions does not end it.
        await db.ExecuteSqlAsync($"ALTER DATABASE {Sql.Identifier(db.Name)} SET idle_in_transaction_session_timeout = '3s'");
        Sql.ClearPool(db.ConnectionString);
        var run = Task.Run(() => Infrastructure.Migrations.MigrateAsync(
            db.ConnectionString, options: new StreamVaultDataOptions { LockTimeout = TimeSpan.FromMilliseconds(200) }), ct);
        await WaitForAsync(() => AdvisoryLocksAsync(db.Name), n => n == 1, "the run to hold the run lock", ct);
        var holder = await LockHolderAsync(db.Name);
        Assert.NotNull(holder);

        await Task.Delay(TimeSpan.FromSeconds(7), ct);

        Assert.Equal(holder, await LockHolderAsync(db.Name));
        await transaction.CommitAsync(ct);
        await run;
        await AssertAppliedOnceAsync(db.ConnectionString);
        Assert.Equal(0L, await AdvisoryLocksAsync(db.Name));
    }

    [Fact]
    public async Task A_run_whose_lock_session_is_terminated_stops_at_its_next_transaction_and_the_next_run_completes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await StartingStates.CreateAsync(StartingStates.PartialIndicesAndRecordingPath);
        // An app's open transaction on streams: the run takes the lock, then retries its ALTER, each retry a new transaction.
        await using var transaction = await ReadingSession.OpenAsync(db.ConnectionString);

        // A retry deadline that ends the run anyway, with another message, if it did not notice its lock was gone.
        var run = Task.Run(() => Infrastructure.Migrations.MigrateAsync(
            db.ConnectionString,
            options: new StreamVaultDataOptions { LockTimeout = TimeSpan.FromMilliseconds(200), LockRetryDeadline = TimeSpan.FromSeconds(20) }), ct);
        await WaitForAsync(() => AdvisoryLocksAsync(db.Name), n => n == 1, "the run to hold the run lock", ct);
        Assert.True(await db.ScalarAsync<bool>($"SELECT pg_terminate_backend({await LockHolderAsync(db.Name)})"));

        var lost = await Assert.ThrowsAsync<StreamVault.Data.MigrationLockException>(() => run);

        Assert.Equal("the migration lock was lost: its connection to the server was closed; no further migration was started", lost.Message);
        Assert.DoesNotContain("20261129100000_AddColumnsOfNewerReleases", await LedgerReader.HistoryAsync(db.ConnectionString));
        await transaction.CommitAsync(ct);
        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString);
        await AssertAppliedOnceAsync(db.ConnectionString);
    }

    private static async Task<int?> LockHolderAsync(string database)
    {
        var server = await PostgresServer.GetAsync();
        await using var connection = new NpgsqlConnection(server.AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT min(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = @db)", connection);
        command.Parameters.AddWithValue("db", database);
        return await command.ExecuteScalarAsync() is int pid ? pid : null;
    }

    private static async Task EightRunnersAsync(PgBouncer pooler, int round)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await StartingStates.CreateAsync(StartingStates.Empty);
        var through = pooler.ConnectionStringFor(db.Name);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var cli = Enumerable.Range(0, 4).Select(_ => ProcessRunner.RunAsync(
            RepositoryTools.TestBuildCli, ["migrate", "--connection", through], timeout: TimeSpan.FromMinutes(3))).ToList();
        var inProcess = Enumerable.Range(0, 4).Select(_ => Task.Run(() => Infrastructure.Migrations.MigrateAsync(through), ct)).ToList();
        await Task.WhenAll(inProcess);
        var results = await Task.WhenAll(cli);

        var elapsed = clock.ElapsedMilliseconds;

        Assert.All(results, r => Assert.True(r.ExitCode == 0, $"{pooler.PoolMode} round {round}: {r.Output}"));
        await AssertAppliedOnceAsync(db.ConnectionString);
        Assert.Equal(0L, await AdvisoryLocksAsync(db.Name));
        // Timed from this round's own start, never from a stamp another session left on a pooled server connection.
        Assert.All(await LedgerReader.RowsAsync(db.ConnectionString), r => Assert.InRange(r.ExecutionMs ?? -1, 0, elapsed));
    }

    /// <summary>Every migration once in EF history, each with one successful ledger row, and no ledger row beyond them.</summary>
    private static async Task AssertAppliedOnceAsync(string connectionString)
    {
        var all = Infrastructure.Migrations.All();
        Assert.Equal(all, await LedgerReader.HistoryAsync(connectionString));
        var ledger = await LedgerReader.RowsAsync(connectionString);
        Assert.Equal(
            all.Select(KnownMigrations.LedgerNameFor).Order(StringComparer.Ordinal),
            ledger.Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.All(ledger, r => Assert.True(r.Success, r.Name));
    }

    /// <summary>Advisory locks held on the server in <paramref name="database"/>, read directly (not through the pooler).</summary>
    private static async Task<long> AdvisoryLocksAsync(string database)
    {
        var server = await PostgresServer.GetAsync();
        await using var connection = new NpgsqlConnection(server.AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = @db)", connection);
        command.Parameters.AddWithValue("db", database);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task WaitForAsync(Func<Task<long>> read, Func<long, bool> done, string what, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        long last;
        while (!done(last = await read()))
        {
            Assert.True(DateTime.UtcNow < deadline, string.Create(CultureInfo.InvariantCulture, $"timed out waiting for {what} (last: {last})"));
            await Task.Delay(100, ct);
        }
    }
}

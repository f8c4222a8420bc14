using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Npgsql;
using StreamVault.Data.Engine;
using StreamVault.Data.Operations;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Operations;

/// <summary>
/// Repair and mark-applied write only under the migration run lock, with migrate's policy: they wait for a
/// run in progress up to <see cref="StreamVaultDataOptions.RunLockDeadline"/>, logging who holds it, then fail
/// naming the holder, having written nothing.
/// </summary>
public sealed class RunLockTests
{
    private const string PushSubscriptions = "20250620000000_AddPushSubscriptions";

    [Fact]
    public async Task Repair_while_a_run_holds_the_lock_past_the_deadline_fails_naming_the_holder_and_changes_nothing()
    {
        await using var database = await OperationsDatabases.MigratedFromJune2025Async();
        await database.ExecuteSqlAsync("DROP INDEX idx_streams_started_at");
        await using var holder = await HoldRunLockAsync(database.ConnectionString);
        using var logs = new CollectingLoggerProvider();

        var failure = await Assert.ThrowsAsync<MigrationLockException>(() => SchemaRepair.RepairAsync(
            database.ConnectionString, options: Options(logs, ShortDeadline), cancellationToken: TestContext.Current.CancellationToken));

        Assert.StartsWith($"another migration run still holds the migration lock after 5 s: pid {Pid(holder)} (", failure.Message, StringComparison.Ordinal);
        Assert.Contains(logs.Entries, e => e.EventId == MigrationEventIds.WaitingForRunLock && e.Message.Contains($"pid {Pid(holder)} (", StringComparison.Ordinal));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname = 'idx_streams_started_at'"));
    }

    [Fact]
    public async Task Repair_waits_for_a_run_holding_the_lock_and_repairs_once_it_is_released()
    {
        await using var database = await OperationsDatabases.MigratedFromJune2025Async();
        await database.ExecuteSqlAsync("DROP INDEX idx_streams_started_at");
        var holder = await HoldRunLockAsync(database.ConnectionString);
        using var logs = new CollectingLoggerProvider();
        var release = ReleaseOnceWaitingAsync(holder, logs);

        var report = await SchemaRepair.RepairAsync(
            database.ConnectionString, options: Options(logs, TimeSpan.FromSeconds(60)), cancellationToken: TestContext.Current.CancellationToken);
        await release;

        Assert.Equal([("idx_streams_started_at", RepairActionStatus.Applied)], report.Actions.Select(a => (a.Name, a.Status)));
        Assert.True(report.After!.IsClean);
    }

    [Fact]
    public async Task Mark_applied_while_a_run_holds_the_lock_past_the_deadline_fails_and_records_nothing()
    {
        await using var database = await OperationsDatabases.EmptyAsync();
        await OperationsDatabases.MigrateAsync(database.ConnectionString, "20250617000000_AddProxySettings");
        await using var holder = await HoldRunLockAsync(database.ConnectionString);
        using var logs = new CollectingLoggerProvider();

        var failure = await Assert.ThrowsAsync<MigrationLockException>(() => SchemaRepair.MarkAppliedAsync(
            database.ConnectionString, PushSubscriptions, force: true, options: Options(logs, ShortDeadline),
            cancellationToken: TestContext.Current.CancellationToken));

        Assert.StartsWith($"another migration run still holds the migration lock after 5 s: pid {Pid(holder)} (", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(PushSubscriptions, await LedgerReader.HistoryAsync(database.ConnectionString));
        Assert.DoesNotContain(await LedgerReader.RowsAsync(database.ConnectionString), r => r.Name == "20250620_add_push_subscriptions");
    }

    [Fact]
    public async Task Mark_applied_waits_for_a_run_holding_the_lock_and_records_once_it_is_released()
    {
        await using var database = await OperationsDatabases.EmptyAsync();
        await OperationsDatabases.MigrateAsync(database.ConnectionString, "20250617000000_AddProxySettings");
        var holder = await HoldRunLockAsync(database.ConnectionString);
        using var logs = new CollectingLoggerProvider();
        var release = ReleaseOnceWaitingAsync(holder, logs);

        var report = await SchemaRepair.MarkAppliedAsync(
            database.ConnectionString, PushSubscriptions, force: true, options: Options(logs, TimeSpan.FromSeconds(60)),
            cancellationToken: TestContext.Current.CancellationToken);
        await release;

        Assert.Equal(MarkAppliedOutcome.Applied, report.Outcome);
        Assert.Contains(PushSubscriptions, await LedgerReader.HistoryAsync(database.ConnectionString));
    }

    /// <summary>
    /// The deadline of the tests where it runs out: the deadline is checked before the first "waiting" line is logged, so
    /// it leaves a first attempt slowed down by a busy machine time to log it.
    /// </summary>
    private static readonly TimeSpan ShortDeadline = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Ends the holder's session once the operation has logged that it waits for it, however long it took to get there: the
    /// operation succeeding after this shows it waited, logged it, and went on once the lock was free.
    /// </summary>
    private static async Task ReleaseOnceWaitingAsync(NpgsqlConnection holder, CollectingLoggerProvider logs)
    {
        var clock = Stopwatch.StartNew();
        while (!logs.Entries.Any(e => e.EventId == MigrationEventIds.WaitingForRunLock))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(1), "the operation never logged that it waits for the run lock");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        await holder.DisposeAsync();
    }

    private static OperationOptions Options(CollectingLoggerProvider logs, TimeSpan runLockDeadline)
        => new()
        {
            Data = new StreamVaultDataOptions { RunLockDeadline = runLockDeadline },
            Logger = new LoggerFactory([logs]).CreateLogger("test"),
        };

    private static string Pid(NpgsqlConnection holder) => holder.ProcessID.ToString(CultureInfo.InvariantCulture);

    /// <summary>A session holding the run lock, as a migrate run in progress does; disposing it ends the session.</summary>
    private static async Task<NpgsqlConnection> HoldRunLockAsync(string connectionString)
    {
        // Unpooled: a pooled session would keep its session-level lock after the connection is closed.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand($"SELECT pg_advisory_lock({EngineSql.RunLockKey})", connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        return connection;
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Engine;

/// <summary>
/// A run cancelled mid-way (Ctrl-C, host shutdown) is not a failed migration: it is logged as cancelled, writes
/// no failure row, leaves nothing half-applied, and the next run completes it.
/// </summary>
public sealed class CancellationTests
{
    private const string BaseSchema = "20240705000000_BaseSchema";
    private const string AddStreamIndices = "20250522000000_AddStreamIndices";

    [Fact]
    public async Task A_run_cancelled_while_a_concurrent_index_build_waits_records_no_failure_and_the_next_run_completes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await StartingStates.CreateAsync(StartingStates.PreJune2025);
        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString, BaseSchema);

        // An app's open transaction on streams: CREATE INDEX CONCURRENTLY waits for it to end.
        await using var transaction = await ReadingSession.OpenAsync(db.ConnectionString);

        using var logs = new CollectingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs));
        using var cancel = new CancellationTokenSource();
        var run = Task.Run(async () =>
        {
            await using var context = StreamVaultDatabase.CreateContext(db.ConnectionString, new StreamVaultDataOptions { LoggerFactory = loggerFactory });
            await context.Database.MigrateAsync(cancel.Token);
        }, ct);

        // This database's build only: other tests' databases share the server (and pg_stat_activity).
        await WaitUntilAsync(
            db, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'CREATE INDEX CONCURRENTLY%' AND wait_event_type = 'Lock'", ct);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

        var cancelled = Assert.Single(logs.Entries, e => e.EventId == MigrationEventIds.RunCancelled);
        Assert.Contains(AddStreamIndices, cancelled.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Entries, e => e.EventId is MigrationEventIds.FailureRecorded or MigrationEventIds.FailureNotRecorded);
        Assert.Equal([BaseSchema], await LedgerReader.HistoryAsync(db.ConnectionString));
        var ledger = Assert.Single(await LedgerReader.RowsAsync(db.ConnectionString));
        Assert.Equal((BaseSchema, (bool?)true), (ledger.Name, ledger.Success));
        Assert.Equal(0L, await db.ScalarAsync<long>(AdvisoryLocks.InThisDatabase));
        // The build in flight may leave its index INVALID, and nothing else.
        Assert.Equal(0L, await db.ScalarAsync<long>(
            "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE NOT i.indisvalid AND c.relname <> 'idx_streams_streamer_id'"));

        await transaction.CommitAsync(ct);
        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString);

        Assert.Equal(Infrastructure.Migrations.All(), await LedgerReader.HistoryAsync(db.ConnectionString));
        Assert.All(await LedgerReader.RowsAsync(db.ConnectionString), r => Assert.True(r.Success, r.Name));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_index WHERE NOT indisvalid"));
        Assert.True(await db.ScalarAsync<bool>("SELECT indisvalid FROM pg_index WHERE indexrelid = 'idx_streams_streamer_id'::regclass"));
    }

    private static async Task WaitUntilAsync(TestDatabase db, string countSql, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (await db.ScalarAsync<long>(countSql) == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the index build never started waiting");
            await Task.Delay(50, ct);
        }
    }
}

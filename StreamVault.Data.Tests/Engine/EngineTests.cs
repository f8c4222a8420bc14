using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;
using StreamVault.Data.Engine;
using StreamVault.Data.Migrations;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Engine;

/// <summary>
/// The engine is safe where deployments hurt: replicas starting together, a running app holding locks,
/// failed concurrent index builds, killed processes; and a run with nothing to do costs one statement.
/// </summary>
[Collection(RunsAlone.Name)] // Runs alone: readers must never wait longer than the lock timeout plus 250 ms, which parallel classes would skew.
public sealed class EngineTests
{
    private const int MigrationApplyingEventId = 20402;

    public static TheoryData<string> ConcurrentStates => new(StartingStates.Empty, LargePreJune);

    private const string LargePreJune = "pre-june-2025 with 200k streams";

    [Theory]
    [MemberData(nameof(ConcurrentStates))]
    public async Task Eight_runners_starting_together_apply_each_migration_exactly_once(string state)
    {
        await RepositoryTools.EnsureArtifactsAsync();
        await using var db = await CreateAsync(state);
        var ct = TestContext.Current.CancellationToken;
        using var logs = new CollectingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs));

        var bundles = Enumerable.Range(0, 4).Select(_ => ProcessRunner.RunAsync(
            RepositoryTools.Bundle, ["--connection", db.ConnectionString], timeout: TimeSpan.FromMinutes(5))).ToList();
        var inProcess = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var builder = new DbContextOptionsBuilder<StreamVaultDbContext>();
            StreamVaultDatabase.Configure(builder, db.ConnectionString).UseLoggerFactory(loggerFactory);
            await using var context = new StreamVaultDbContext(builder.Options);
            await context.Database.MigrateAsync(ct);
        }, ct)).ToList();
        await Task.WhenAll(inProcess);
        var bundleResults = await Task.WhenAll(bundles);

        Assert.All(bundleResults, r => Assert.True(r.ExitCode == 0, r.Output));
        var applied = bundleResults.Sum(r => r.StandardOutput.Split('\n').Count(l => l.StartsWith("Applying migration", StringComparison.Ordinal)))
                      + logs.Entries.Count(e => e.EventId == MigrationApplyingEventId);
        Assert.Equal(Infrastructure.Migrations.All().Count, applied);
        await RunAssertions.AssertMigratedAsync(db.ConnectionString);
    }

    [Fact]
    public async Task A_long_transaction_on_streams_makes_the_migration_retry_without_blocking_readers_until_it_ends()
    {
        await using var db = await StartingStates.CreateAsync(StartingStates.PartialIndicesAndRecordingPath);
        await using var blocker = await ReadingSession.OpenAsync(db.ConnectionString, "streams");
        var blockerPid = blocker.ProcessId;

        using var logs = new CollectingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs));
        var lockTimeout = TimeSpan.FromMilliseconds(300);
        var ct = TestContext.Current.CancellationToken;
        var migration = Task.Run(async () =>
        {
            var builder = new DbContextOptionsBuilder<StreamVaultDbContext>();
            StreamVaultDatabase.Configure(builder, db.ConnectionString, new StreamVaultDataOptions { LockTimeout = lockTimeout })
                .UseLoggerFactory(loggerFactory);
            await using var context = new StreamVaultDbContext(builder.Options);
            await context.Database.MigrateAsync(ct);
        }, ct);

        // Readers arriving while the ALTER waits queue behind it, but never for longer than its lock timeout.
        var slowest = TimeSpan.Zero;
        await using (var reader = new NpgsqlConnection(db.ConnectionString))
        {
            await reader.OpenAsync(TestContext.Current.CancellationToken);
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(3))
            {
                var one = Stopwatch.StartNew();
                await using var select = new NpgsqlCommand("SELECT id FROM streams ORDER BY id LIMIT 1", reader);
                await select.ExecuteScalarAsync(TestContext.Current.CancellationToken);
                slowest = one.Elapsed > slowest ? one.Elapsed : slowest;
                await Task.Delay(20, TestContext.Current.CancellationToken);
            }
        }

        Assert.False(migration.IsCompleted);
        await blocker.CommitAsync(TestContext.Current.CancellationToken);
        await migration;

        var retries = logs.Entries.Where(e => e.EventId == 2004).ToList();
        Assert.NotEmpty(retries);
        Assert.All(retries, r => Assert.Contains($"pid {blockerPid} (idle in transaction", r.Message, StringComparison.Ordinal));
        Assert.Contains("20261129100000_AddColumnsOfNewerReleases", retries[0].Message, StringComparison.Ordinal);
        Assert.True(slowest < lockTimeout + TimeSpan.FromMilliseconds(250), $"a reader waited {slowest.TotalMilliseconds} ms");
        await RunAssertions.AssertMigratedAsync(db.ConnectionString);
    }

    [Fact]
    public async Task A_lock_held_past_the_deadline_fails_cleanly_naming_the_blocker()
    {
        await using var db = await StartingStates.CreateAsync(StartingStates.PartialIndicesAndRecordingPath);
        await using var blocker = await ReadingSession.OpenAsync(db.ConnectionString, "streams");

        var failure = await Assert.ThrowsAsync<MigrationLockException>(() => Infrastructure.Migrations.MigrateAsync(
            db.ConnectionString,
            options: new StreamVaultDataOptions { LockTimeout = TimeSpan.FromMilliseconds(200), LockRetryDeadline = TimeSpan.FromSeconds(1) }));

        Assert.StartsWith("migration 20261129100000_AddColumnsOfNewerReleases could not get its locks within 1 s; blocked by pid "
                          + blocker.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("20261129100000_AddColumnsOfNewerReleases", await LedgerReader.HistoryAsync(db.ConnectionString));
        var row = Assert.Single(await LedgerReader.RowsAsync(db.ConnectionString), r => r.Name == "20261129100000_AddColumnsOfNewerReleases");
        Assert.False(row.Success);

        // The columns it had already added to streamers went back with its transaction.
        Assert.Equal(0L, await db.ScalarAsync<long>(
            "SELECT count(*) FROM pg_attribute WHERE attrelid IN ('streams'::regclass, 'streamers'::regclass) AND attname IN ('episode_number', 'is_favorite')"));
    }

    [Fact]
    public async Task An_invalid_index_left_by_a_cancelled_concurrent_build_is_rebuilt_by_the_next_run()
    {
        await using var db = await StartingStates.CreateAsync(StartingStates.PreJune2025);
        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString, "20240705000000_BaseSchema");
        await using (await ReadingSession.OpenAsync(db.ConnectionString, "streamers"))
        {
            // The build waits for the open transaction, the timeout cancels it, and PostgreSQL keeps the INVALID index.
            await using var builder = new NpgsqlConnection(db.ConnectionString);
            await builder.OpenAsync(TestContext.Current.CancellationToken);
            await using (var timeout = new NpgsqlCommand("SET statement_timeout = 500", builder))
            {
                await timeout.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
            }

            await using var build = new NpgsqlCommand("CREATE INDEX CONCURRENTLY idx_streams_title ON streams (title)", builder);
            var cancelled = await Assert.ThrowsAsync<PostgresException>(() => build.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));
            Assert.Equal(PostgresErrorCodes.QueryCanceled, cancelled.SqlState);
        }

        Assert.False(await db.ScalarAsync<bool>("SELECT indisvalid FROM pg_index WHERE indexrelid = 'idx_streams_title'::regclass"));

        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString);

        Assert.True(await db.ScalarAsync<bool>("SELECT indisvalid FROM pg_index WHERE indexrelid = 'idx_streams_title'::regclass"));
        await RunAssertions.AssertMigratedAsync(db.ConnectionString);
    }

    [Theory]
    [InlineData(150)]
    [InlineData(400)]
    [InlineData(700)]
    [InlineData(1000)]
    [InlineData(1500)]
    public async Task A_run_killed_at_any_step_leaves_a_database_the_next_run_completes(int killAfterMs)
    {
        await RepositoryTools.EnsureArtifactsAsync();
        await using var db = await CreateAsync(LargePreJune);

        using (var bundle = ProcessRunner.Start(RepositoryTools.Bundle, ["--connection", db.ConnectionString], null, out _, out _))
        {
            await Task.Delay(killAfterMs, TestContext.Current.CancellationToken);
            bundle.Kill(entireProcessTree: true);
            await bundle.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString);

        await RunAssertions.AssertMigratedAsync(db.ConnectionString);
        Assert.Equal(await PreJuneMigratedWhole.Value, await SchemaFingerprint.CaptureAsync(db.ConnectionString, SchemaFingerprint.ModelTables));
    }

    /// <summary>
    /// The shape a run that was never killed gives the same starting state (its release variants kept, so not the shape
    /// of a database migrated from empty); the bulk rows change no shape, so the plain state stands in for it.
    /// </summary>
    private static readonly Lazy<Task<string>> PreJuneMigratedWhole = new(async () =>
    {
        await using var db = await StartingStates.CreateAsync(StartingStates.PreJune2025);
        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString);
        return await SchemaFingerprint.CaptureAsync(db.ConnectionString, SchemaFingerprint.ModelTables);
    });

    [Fact]
    public async Task A_run_with_nothing_to_do_issues_one_statement_and_takes_no_lock()
    {
        await using var db = await StartingStates.CreateAsync(StartingStates.June2025);
        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString);
        var database = new NpgsqlConnectionStringBuilder(db.ConnectionString).Database!;
        var statements = new List<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (Equals(activity.GetTagItem("db.namespace") ?? activity.GetTagItem("db.name"), database))
                {
                    lock (statements)
                    {
                        statements.Add((string?)(activity.GetTagItem("db.query.text") ?? activity.GetTagItem("db.statement")) ?? activity.DisplayName);
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString);

        var statement = Assert.Single(statements);
        Assert.DoesNotContain("advisory", statement, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("LOCK TABLE", statement, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0L, await db.ScalarAsync<long>(AdvisoryLocks.InThisDatabase));
    }

    private static async Task<TestDatabase> CreateAsync(string state)
        => state == LargePreJune
            ? await StartingStates.CreateWithBulkStreamsAsync(StartingStates.PreJune2025, 200_000)
            : await StartingStates.CreateAsync(state);
}

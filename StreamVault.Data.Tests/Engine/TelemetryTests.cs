using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Npgsql;
using StreamVault.Data.Engine;
using StreamVault.Data.Operations;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Engine;

/// <summary>
/// The engine's spans and metrics (ActivitySource and Meter "StreamVault.Data.Migrations") as an OpenTelemetry SDK
/// would receive them, observed with ActivityListener and MeterListener during real runs. Only what names the
/// test's own database is collected, so other tests' runs never count.
/// </summary>
public sealed class TelemetryTests
{
    private static readonly string[] AllMigrations = [.. Infrastructure.Migrations.All()];

    [Fact]
    public async Task A_run_traces_the_run_the_lock_wait_and_each_migration_and_counts_them_and_a_second_run_is_up_to_date()
    {
        await using var db = await StartingStates.CreateAsync(StartingStates.Empty);
        var server = new NpgsqlConnectionStringBuilder(db.ConnectionString);
        using var telemetry = new TelemetryCollector(db.Name);

        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString);

        var run = Assert.Single(telemetry.Spans(MigrationTelemetry.RunSpan));
        Assert.Equal("success", run.GetTagItem("streamvault.run.outcome"));
        Assert.Equal("postgresql", run.GetTagItem("db.system.name"));
        Assert.Equal(db.Name, run.GetTagItem("db.namespace"));
        Assert.Equal(server.Host, run.GetTagItem("server.address"));
        Assert.Equal(server.Port, run.GetTagItem("server.port"));
        Assert.Equal(ActivityStatusCode.Unset, run.Status);

        var wait = Assert.Single(telemetry.Spans(MigrationTelemetry.LockWaitSpan));
        Assert.Equal(run.SpanId, wait.ParentSpanId);
        Assert.Equal("acquired", wait.GetTagItem("streamvault.lock.outcome"));
        Assert.Equal(1, wait.GetTagItem("streamvault.lock.attempts"));

        var migrations = telemetry.Spans(MigrationTelemetry.MigrationSpan);
        Assert.Equal(AllMigrations, migrations.Select(m => m.GetTagItem("streamvault.migration.id")));
        Assert.All(migrations, m =>
        {
            Assert.Equal(run.SpanId, m.ParentSpanId);
            Assert.Equal("applied", m.GetTagItem("streamvault.migration.outcome"));
            Assert.Equal("up", m.GetTagItem("streamvault.migration.direction"));
            Assert.Equal(0, m.GetTagItem("streamvault.migration.retries"));
            Assert.Equal("apply " + m.GetTagItem("streamvault.migration.id"), m.DisplayName);
        });
        Assert.Equal("20250522_add_stream_indices",
            migrations.Single(m => (string?)m.GetTagItem("streamvault.migration.id") == "20250522000000_AddStreamIndices").GetTagItem("streamvault.migration.ledger_name"));
        Assert.Equal("20240705000000_BaseSchema", migrations[0].GetTagItem("streamvault.migration.ledger_name"));

        Assert.Equal(AllMigrations.Length, telemetry.Sum("streamvault.migrations.applied"));
        Assert.Equal(0, telemetry.Sum("streamvault.migrations.failed"));
        Assert.Equal(0, telemetry.Sum("streamvault.migration.lock_timeout.retries"));
        var duration = Assert.Single(telemetry.Measurements("streamvault.migration.run.duration"));
        Assert.Equal("success", duration.Tags["streamvault.run.outcome"]);
        Assert.InRange(duration.Value, 0.001, 120);
        // The span and the histogram time the same run; the span starts before the histogram's clock and ends after it,
        // a few statements apart, which a busy 2-core machine has stretched past 300 ms: at least the histogram's time (to
        // the clocks' precision), and within 5 s of it.
        Assert.InRange(run.Duration.TotalSeconds, duration.Value - 0.05, duration.Value + 5);
        Assert.Single(telemetry.Measurements("streamvault.migration.lock.wait.duration"));

        telemetry.Clear();
        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString);

        Assert.Equal("up_to_date", Assert.Single(telemetry.Spans(MigrationTelemetry.RunSpan)).GetTagItem("streamvault.run.outcome"));
        Assert.Empty(telemetry.Spans(MigrationTelemetry.LockWaitSpan));
        Assert.Empty(telemetry.Spans(MigrationTelemetry.MigrationSpan));
        Assert.Equal(0, telemetry.Sum("streamvault.migrations.applied"));
        Assert.Equal("up_to_date", Assert.Single(telemetry.Measurements("streamvault.migration.run.duration")).Tags["streamvault.run.outcome"]);
    }

    [Fact]
    public async Task Lock_timeouts_are_counted_as_retries_and_a_migration_past_its_deadline_is_a_failed_span()
    {
        await using var db = await StartingStates.CreateAsync(StartingStates.PartialIndicesAndRecordingPath);
        using var telemetry = new TelemetryCollector(db.Name);
        var ct = TestContext.Current.CancellationToken;
        await using var transaction = await ReadingSession.OpenAsync(db.ConnectionString);

        var deadline = await Assert.ThrowsAsync<MigrationLockException>(() => Infrastructure.Migrations.MigrateAsync(
            db.ConnectionString,
            // The deadline is checked before a timeout counts as a retry: 5 s, so that even a first attempt slowed down by a
            // busy machine ends in a retry before it.
            options: new StreamVaultDataOptions { LockTimeout = TimeSpan.FromMilliseconds(200), LockRetryDeadline = TimeSpan.FromSeconds(5) }));

        var failed = telemetry.Spans(MigrationTelemetry.MigrationSpan).Single(m => (string?)m.GetTagItem("streamvault.migration.outcome") == "failed");
        Assert.StartsWith($"migration {failed.GetTagItem("streamvault.migration.id")} could not get its locks", deadline.Message, StringComparison.Ordinal);
        Assert.Equal(ActivityStatusCode.Error, failed.Status);
        Assert.Equal("55P03", failed.GetTagItem("error.type"));
        Assert.Equal("55P03", failed.GetTagItem("db.response.status_code"));
        var retries = (int)failed.GetTagItem("streamvault.migration.retries")!;
        Assert.True(retries >= 1, $"retries: {retries}");
        Assert.Equal(retries, failed.Events.Count(e => e.Name == "streamvault.lock_timeout"));
        Assert.Equal(retries, telemetry.Sum("streamvault.migration.lock_timeout.retries"));
        Assert.Equal(1, telemetry.Sum("streamvault.migrations.failed"));
        Assert.Equal("55P03", Assert.Single(telemetry.Measurements("streamvault.migrations.failed")).Tags["error.type"]);

        var run = Assert.Single(telemetry.Spans(MigrationTelemetry.RunSpan));
        Assert.Equal("failure", run.GetTagItem("streamvault.run.outcome"));
        Assert.Equal(ActivityStatusCode.Error, run.Status);
        Assert.Equal("failure", Assert.Single(telemetry.Measurements("streamvault.migration.run.duration")).Tags["streamvault.run.outcome"]);
    }

    [Fact]
    public async Task A_revert_traces_each_reverted_migration_and_a_refused_revert_is_a_failed_run_without_migration_spans()
    {
        const string Target = "20250617000000_AddProxySettings";
        await using var empty = await StartingStates.CreateMigratedAsync(StartingStates.Empty);
        using (var telemetry = new TelemetryCollector(empty.Name))
        {
            await Infrastructure.Migrations.MigrateAsync(empty.ConnectionString, Target);

            // Newest first, each in its own span, counted like applied ones.
            var reverted = AllMigrations.Where(id => string.CompareOrdinal(id, Target) > 0).Reverse().ToList();
            Assert.Equal(
                reverted.Select(id => ((string?)id, (string?)"down", (string?)"reverted")),
                telemetry.Spans(MigrationTelemetry.MigrationSpan).Select(m => ((string?)m.GetTagItem("streamvault.migration.id"),
                    (string?)m.GetTagItem("streamvault.migration.direction"), (string?)m.GetTagItem("streamvault.migration.outcome"))));
            Assert.Equal($"revert {AllMigrations[^1]}", telemetry.Spans(MigrationTelemetry.MigrationSpan)[0].DisplayName);
            Assert.Equal(reverted.Count, telemetry.Sum("streamvault.migrations.applied"));
            Assert.Equal(Target, Assert.Single(telemetry.Spans(MigrationTelemetry.RunSpan)).GetTagItem("streamvault.migration.target"));
        }

        // A revert the plan refuses runs no Down: a failed run whose error type is the refusal.
        await using var june = await StartingStates.CreateMigratedAsync(StartingStates.June2025);
        using (var telemetry = new TelemetryCollector(june.Name))
        {
            await Assert.ThrowsAsync<StreamVault.Data.RevertRefusedException>(() => Infrastructure.Migrations.MigrateAsync(june.ConnectionString, "0"));

            Assert.Empty(telemetry.Spans(MigrationTelemetry.MigrationSpan));
            Assert.Equal(0, telemetry.Sum("streamvault.migrations.failed"));
            var run = Assert.Single(telemetry.Spans(MigrationTelemetry.RunSpan));
            Assert.Equal(("failure", "0"), ((string?)run.GetTagItem("streamvault.run.outcome"), (string?)run.GetTagItem("streamvault.migration.target")));
            Assert.Equal(typeof(StreamVault.Data.RevertRefusedException).FullName, run.GetTagItem("error.type"));
            Assert.Equal(ActivityStatusCode.Error, run.Status);
        }
    }

    [Fact]
    public async Task Each_repair_action_that_runs_sql_is_a_span()
    {
        await using var db = await StartingStates.CreateMigratedAsync(StartingStates.June2025);
        await db.ExecuteSqlAsync("DROP INDEX idx_streams_started_at;");
        using var telemetry = new TelemetryCollector(db.Name);

        var report = await SchemaRepair.RepairAsync(db.ConnectionString, cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(report.Succeeded);
        var action = Assert.Single(telemetry.Spans(StreamVault.Data.Operations.RepairTelemetry.ActionSpan));
        Assert.Equal("index", action.GetTagItem("streamvault.repair.kind"));
        Assert.Equal("idx_streams_started_at", action.GetTagItem("streamvault.repair.name"));
        Assert.Equal("streams", action.GetTagItem("db.collection.name"));
        Assert.Equal("applied", action.GetTagItem("streamvault.repair.outcome"));
        Assert.Equal("postgresql", action.GetTagItem("db.system.name"));
        Assert.Equal(ActivityStatusCode.Unset, action.Status);
    }

    [Fact]
    public async Task A_long_concurrent_index_build_records_its_progress_as_a_gauge_and_as_events_on_its_migrations_span()
    {
        await using var db = await StartingStates.CreateWithBulkStreamsAsync(StartingStates.PreJune2025, 500_000);
        await using var held = await HeldIndexBuild.OpenAsync(db.ConnectionString);
        using var telemetry = new TelemetryCollector(db.Name);

        var running = Infrastructure.Migrations.MigrateAsync(db.ConnectionString);
        var build = await held.WaitUntilHeldAsync(db.ConnectionString, running);
        var (index, table) = (build.Index, build.Table);
        // Readings come about once a second and the span gets an event every 10 s of a build: held until the twelfth
        // reading of the held phase (12 s at least, however slowly a busy machine takes them), there is at least one event.
        var clock = Stopwatch.StartNew();
        while (HeldReadings(telemetry, index).Count < 12)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), $"{HeldReadings(telemetry, index).Count} readings of the held build in 2 min");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        await held.ReleaseAsync();
        await running;

        var readings = HeldReadings(telemetry, index);
        // Held, the phase stands at the build's percentage; a reading from the moment the phase began may show less.
        Assert.All(readings, m => Assert.Equal(table, (string?)m.Tags["db.collection.name"]));
        Assert.All(readings, m => Assert.InRange(m.Value, 0d, build.Percent / 100));
        Assert.Equal(build.Percent / 100, readings[^1].Value);
        var building = telemetry.Spans(MigrationTelemetry.MigrationSpan).Single(s => s.Events.Any());
        var migration = (string)building.GetTagItem("streamvault.migration.id")!;
        Assert.All(readings, m => Assert.Equal(migration, m.Tags["streamvault.migration.id"]));
        var held10s = building.Events.Where(e => e.Name == "streamvault.index_build.progress" && e.Tags.Any(t => t.Key == "streamvault.index_build.phase" && (string?)t.Value == HeldIndexBuild.Phase)).ToList();
        Assert.NotEmpty(held10s);
        Assert.All(held10s, e => Assert.Equal(
            [("streamvault.index.name", (object?)index), ("db.collection.name", table), ("streamvault.index_build.phase", HeldIndexBuild.Phase), ("streamvault.index_build.percent", Math.Round(build.Percent, 1))],
            e.Tags.Select(t => (t.Key, t.Value))));
    }

    /// <summary>The gauge's readings of <paramref name="index"/>'s build in the phase a <see cref="HeldIndexBuild"/> holds it in.</summary>
    private static List<(string Instrument, double Value, Dictionary<string, object?> Tags)> HeldReadings(TelemetryCollector telemetry, string index)
        => telemetry.Measurements("streamvault.migration.index_build.progress")
            .Where(m => (string?)m.Tags["streamvault.index.name"] == index && (string?)m.Tags["streamvault.index_build.phase"] == HeldIndexBuild.Phase)
            .ToList();

    /// <summary>Collects finished spans and measurements of the engine that carry <c>db.namespace</c> = one database.</summary>
    private sealed class TelemetryCollector : IDisposable
    {
        private readonly string _database;
        private readonly ActivityListener _activities;
        private readonly MeterListener _meters = new();
        private readonly ConcurrentQueue<Activity> _spans = new();
        private readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)> _measurements = new();

        public TelemetryCollector(string database)
        {
            _database = database;
            _activities = new ActivityListener
            {
                ShouldListenTo = source => source.Name == MigrationTelemetry.Name,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = activity =>
                {
                    if (activity.GetTagItem("db.namespace") as string == _database)
                    {
                        _spans.Enqueue(activity);
                    }
                },
            };
            ActivitySource.AddActivityListener(_activities);
            _meters.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == MigrationTelemetry.Name)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
            _meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
            _meters.Start();
        }

        public List<Activity> Spans(string name) => [.. _spans.Where(s => s.OperationName == name).OrderBy(s => s.StartTimeUtc)];

        public List<(string Instrument, double Value, Dictionary<string, object?> Tags)> Measurements(string instrument)
            => [.. _measurements.Where(m => m.Instrument == instrument)];

        public double Sum(string instrument) => Measurements(instrument).Sum(m => m.Value);

        public void Clear()
        {
            _spans.Clear();
            _measurements.Clear();
        }

        public void Dispose()
        {
            _activities.Dispose();
            _meters.Dispose();
        }

        private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var map = new Dictionary<string, object?>();
            foreach (var tag in tags)
            {
                map[tag.Key] = tag.Value;
            }

            if (map.GetValueOrDefault("db.namespace") as string == _database)
            {
                _measurements.Enqueue((instrument.Name, value, map));
            }
        }
    }
}

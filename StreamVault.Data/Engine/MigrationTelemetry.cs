using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;
using Npgsql;

namespace StreamVault.Data.Engine;

/// <summary>
/// Traces and metrics of the migration engine, for OpenTelemetry (<c>AddSource</c>/<c>AddMeter</c> with
/// <see cref="Name"/>). Attributes follow OpenTelemetry's database semantic conventions where one exists
/// (<c>db.system.name</c>, <c>db.namespace</c>, <c>server.address</c>, <c>server.port</c>, <c>error.type</c>,
/// <c>db.response.status_code</c>); the rest are under <c>streamvault.</c>. docs/telemetry.md lists every span, metric and attribute.
/// </summary>
internal static class MigrationTelemetry
{
    /// <summary>Name of both the <see cref="ActivitySource"/> and the <see cref="Meter"/>.</summary>
    public const string Name = "StreamVault.Data.Migrations";

    /// <summary>Span of one migration run (no-op check, lock wait and every migration).</summary>
    public const string RunSpan = "streamvault.migrate";

    /// <summary>Span of the wait for the run lock (the engine's advisory lock, or repair's).</summary>
    public const string LockWaitSpan = "streamvault.migrate.lock_wait";

    /// <summary>Span of applying or reverting one migration, retries included.</summary>
    public const string MigrationSpan = "streamvault.migration";

    private static readonly string Version =
        typeof(MigrationTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "unknown";

    internal static readonly ActivitySource Source = new(Name, Version);

    private static readonly Meter Meter = new(Name, Version);

    // Seconds, from a no-op (milliseconds) to a long concurrent index build or lock wait (the 10 min deadlines).
    private static readonly InstrumentAdvice<double> SecondsAdvice = new()
    {
        HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
    };

    private static readonly Counter<long> Applied = Meter.CreateCounter<long>(
        "streamvault.migrations.applied", "{migration}", "Migrations applied or reverted successfully");

    private static readonly Counter<long> Failed = Meter.CreateCounter<long>(
        "streamvault.migrations.failed", "{migration}", "Migrations that failed (their transaction rolled back)");

    private static readonly Histogram<double> RunDuration = Meter.CreateHistogram(
        "streamvault.migration.run.duration", "s", "Duration of migration runs, no-op runs included", tags: null, advice: SecondsAdvice);

    private static readonly Histogram<double> LockWait = Meter.CreateHistogram(
        "streamvault.migration.lock.wait.duration", "s", "Time spent waiting for the migration run lock", tags: null, advice: SecondsAdvice);

    private static readonly Counter<long> LockTimeoutRetries = Meter.CreateCounter<long>(
        "streamvault.migration.lock_timeout.retries", "{retry}", "Migration steps retried after a lock_timeout");

    private static readonly Gauge<double> IndexBuild = Meter.CreateGauge<double>(
        "streamvault.migration.index_build.progress", "1", "How far a concurrent index build's current phase is (0 to 1), from pg_stat_progress_create_index");

    /// <summary>The database attributes of a connection: system, database, host and port (never the user or password).</summary>
    internal static TagList DatabaseTags(NpgsqlConnection connection)
    {
        // From the connection string: the connection's own Host and Port are only known once it has been opened.
        var settings = StreamVaultConnections.Parse(connection.ConnectionString);
        var tags = new TagList { { "db.system.name", "postgresql" } };
        if (settings.Database is { Length: > 0 } database)
        {
            tags.Add("db.namespace", database);
        }

        if (settings.Host is { Length: > 0 } host)
        {
            tags.Add("server.address", host);
            tags.Add("server.port", settings.Port);
        }

        return tags;
    }

    /// <summary>The run span; null when nobody listens. The caller ends it with <see cref="EndRun"/>.</summary>
    internal static Activity? StartRun(NpgsqlConnection connection, string? targetMigration)
    {
        var activity = Source.StartActivity(RunSpan, ActivityKind.Internal, parentContext: default, DatabaseTags(connection));
        if (activity is not null && targetMigration is not null)
        {
            activity.SetTag("streamvault.migration.target", targetMigration);
        }

        return activity;
    }

    /// <summary>Ends a run: outcome <c>up_to_date</c>, <c>success</c> or <c>failure</c>, and its duration recorded.</summary>
    internal static void EndRun(Activity? activity, NpgsqlConnection connection, TimeSpan elapsed, string outcome, Exception? failure)
    {
        var tags = DatabaseTags(connection);
        tags.Add("streamvault.run.outcome", outcome);
        if (failure is not null)
        {
            tags.Add("error.type", ErrorType(failure));
        }

        RunDuration.Record(elapsed.TotalSeconds, tags);
        if (activity is null)
        {
            return;
        }

        activity.SetTag("streamvault.run.outcome", outcome);
        SetError(activity, failure);
        activity.Dispose();
    }

    /// <summary>The lock wait span; ended by <see cref="EndLockWait"/>.</summary>
    internal static Activity? StartLockWait(NpgsqlConnection connection, string lockName)
    {
        var activity = Source.StartActivity(LockWaitSpan, ActivityKind.Internal, parentContext: default, DatabaseTags(connection));
        activity?.SetTag("streamvault.lock.name", lockName);
        return activity;
    }

    /// <summary>Ends a lock wait: <c>acquired</c> or <c>timeout</c>, how many tries, who held it last, and the wait recorded.</summary>
    internal static void EndLockWait(
        Activity? activity, NpgsqlConnection connection, TimeSpan waited, int attempts, string outcome, string? lastHolder, Exception? failure = null)
    {
        var tags = DatabaseTags(connection);
        tags.Add("streamvault.lock.outcome", outcome);
        LockWait.Record(waited.TotalSeconds, tags);
        if (activity is null)
        {
            return;
        }

        activity.SetTag("streamvault.lock.outcome", outcome);
        activity.SetTag("streamvault.lock.attempts", attempts);
        if (lastHolder is not null)
        {
            activity.SetTag("streamvault.lock.holder", lastHolder);
        }

        SetError(activity, failure);
        activity.Dispose();
    }

    /// <summary>The span of one migration; ended by <see cref="EndMigration"/>.</summary>
    internal static Activity? StartMigration(NpgsqlConnection connection, string migrationId, string ledgerName, bool reverting)
    {
        var activity = Source.StartActivity(MigrationSpan, ActivityKind.Internal, parentContext: default, DatabaseTags(connection));
        if (activity is not null)
        {
            activity.DisplayName = (reverting ? "revert " : "apply ") + migrationId;
            activity.SetTag("streamvault.migration.id", migrationId);
            activity.SetTag("streamvault.migration.ledger_name", ledgerName);
            activity.SetTag("streamvault.migration.direction", reverting ? "down" : "up");
        }

        return activity;
    }

    /// <summary>A lock timeout that will be retried: counted, and an event on the migration span.</summary>
    internal static void LockTimeoutRetry(Activity? migration, NpgsqlConnection connection, string migrationId, int attempt, TimeSpan delay)
    {
        var tags = DatabaseTags(connection);
        tags.Add("streamvault.migration.id", migrationId);
        LockTimeoutRetries.Add(1, tags);
        migration?.AddEvent(new ActivityEvent("streamvault.lock_timeout", tags: new ActivityTagsCollection
        {
            { "streamvault.retry.attempt", attempt },
            { "streamvault.retry.delay_ms", (long)delay.TotalMilliseconds },
        }));
    }

    /// <summary>
    /// A reading of a concurrent build: the gauge (when the phase counts anything) and, when <paramref name="addEvent"/>
    /// (every 10 s), a <c>streamvault.index_build.progress</c> event on the migration's span.
    /// </summary>
    internal static void IndexBuildProgress(Activity? migration, NpgsqlConnection connection, IndexBuildProgress progress, bool addEvent)
    {
        var tags = DatabaseTags(connection);
        tags.Add("streamvault.migration.id", progress.MigrationId);
        tags.Add("streamvault.index.name", progress.Index);
        tags.Add("db.collection.name", progress.Table);
        tags.Add("streamvault.index_build.phase", progress.Phase);
        if (progress.Percent is { } percent)
        {
            IndexBuild.Record(percent / 100, tags);
        }

        if (addEvent && migration is not null)
        {
            var attributes = new ActivityTagsCollection
            {
                { "streamvault.index.name", progress.Index },
                { "db.collection.name", progress.Table },
                { "streamvault.index_build.phase", progress.Phase },
            };
            if (progress.Percent is { } shown)
            {
                attributes.Add("streamvault.index_build.percent", Math.Round(shown, 1));
            }

            migration.AddEvent(new ActivityEvent("streamvault.index_build.progress", tags: attributes));
        }
    }

    /// <summary>Ends a migration's span (outcome <c>applied</c>, <c>reverted</c> or <c>failed</c>, retries) and counts it.</summary>
    internal static void EndMigration(
        Activity? activity, NpgsqlConnection connection, string migrationId, bool reverting, int retries, Exception? failure)
    {
        var outcome = failure is not null ? "failed" : reverting ? "reverted" : "applied";
        var tags = DatabaseTags(connection);
        tags.Add("streamvault.migration.id", migrationId);
        tags.Add("streamvault.migration.direction", reverting ? "down" : "up");
        if (failure is null)
        {
            Applied.Add(1, tags);
        }
        else
        {
            tags.Add("error.type", ErrorType(failure));
            Failed.Add(1, tags);
        }

        if (activity is null)
        {
            return;
        }

        activity.SetTag("streamvault.migration.outcome", outcome);
        activity.SetTag("streamvault.migration.retries", retries);
        SetError(activity, failure);
        activity.Dispose();
    }

    /// <summary>SQLSTATE for a server error (as <c>db.response.status_code</c> defines it), else the exception type.</summary>
    private static string ErrorType(Exception failure)
        => MigrationFailure.ServerError(failure)?.SqlState ?? failure.GetType().FullName ?? failure.GetType().Name;

    private static void SetError(Activity activity, Exception? failure)
    {
        if (failure is null)
        {
            return;
        }

        activity.SetTag("error.type", ErrorType(failure));
        if (MigrationFailure.ServerError(failure) is { } pg)
        {
            activity.SetTag("db.response.status_code", pg.SqlState);
        }

        activity.SetStatus(ActivityStatusCode.Error, MigrationFailure.Describe(failure));
    }
}

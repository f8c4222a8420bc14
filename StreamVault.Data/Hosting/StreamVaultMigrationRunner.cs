using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using StreamVault.Data.Engine;
using StreamVault.Data.Migrations;
using StreamVault.Data.Ledger;

namespace StreamVault.Data.Hosting;

/// <summary>
/// Applies pending migrations for an app: waits for the database, runs the same engine as every other entry
/// point, logs each milestone and records the outcome for the health check.
/// </summary>
internal sealed class StreamVaultMigrationRunner(
    StreamVaultDataRegistration registration,
    IOptions<StreamVaultMigrationOptions> options,
    IOptions<StreamVaultDataOptions> dataOptions,
    StreamVaultMigrationState state,
    ILoggerFactory loggerFactory)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger("StreamVault.Data.Migrations");

    /// <summary>
    /// Runs the migrations. A failure is logged and recorded, then thrown under <see cref="MigrationFailurePolicy.Stop"/>
    /// or returned under <see cref="MigrationFailurePolicy.Continue"/>.
    /// </summary>
    public async Task<StreamVaultMigrationResult> RunAsync(CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var tracker = new Tracker(_logger, state);
        var runOptions = dataOptions.Value with
        {
            LoggerFactory = loggerFactory,
            Progress = tracker,
        };

        var database = StreamVaultDatabase.Redact(registration.ConnectionString);
        HostingLog.Starting(_logger, database);
        // Built only when the database is not up to date: EF's service provider and model are most of a no-op's cost.
        StreamVaultDbContext? context = null;
        StreamVaultDbContext Context() => context ??= ContextOptions.CreateContext(registration.ConnectionString, runOptions);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var (applied, upToDate) = await WaitForDatabaseAsync(Context, runOptions, settings, cancellationToken);
                tracker.AlreadyApplied = applied;
                if (upToDate)
                {
                    // Decided before EF started (issue #13): the same milestones and event 2001 as the engine's own no-op.
                    NoOpProbe.ReportUpToDate(runOptions);
                    break;
                }

                try
                {
                    // From here until the outcome is recorded the health check reports the run's step (Degraded), not a failure.
                    state.Starting();
                    await Context().Database.MigrateAsync(cancellationToken);
                    break;
                }
                catch (MigrationInterruptedException interrupted) when (attempt < settings.ConnectAttempts)
                {
                    // A crash, restart, failover or terminated session: what was applied is kept, the rest is rolled back,
                    // so the run starts over, on a new context and a cleared pool, as it waits for a database at startup.
                    tracker.Abandon();
                    var delay = settings.ConnectRetryDelay * attempt;
                    HostingLog.RetryingAfterInterruption(_logger, attempt, settings.ConnectAttempts, interrupted.Message, (long)delay.TotalMilliseconds);
                    await context!.DisposeAsync();
                    context = null;
                    StreamVaultConnections.DataSource(registration.ConnectionString).Clear();
                    await Task.Delay(delay, cancellationToken);
                }
            }

            tracker.Finish();
            var result = new StreamVaultMigrationResult(tracker.Applied, null, null, DateTimeOffset.UtcNow);
            state.Record(result);
            HostingLog.Summary(_logger, tracker.Applied.Length, 0);
            return result;
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            var error = MigrationFailure.Describe(failure);
            var failed = tracker.Current;
            HostingLog.Failed(_logger, failed ?? "(before any migration)", error);
            HostingLog.Summary(_logger, tracker.Applied.Length, 1);
            var result = new StreamVaultMigrationResult(tracker.Applied, failed, error, DateTimeOffset.UtcNow);
            state.Record(result);
            if (settings.FailurePolicy == MigrationFailurePolicy.Stop)
            {
                throw;
            }

            HostingLog.ContinuingAfterFailure(_logger);
            return result;
        }
        finally
        {
            // Cancelled (the host stopping): no outcome is recorded, and no step runs any more.
            state.Idle();
            if (context is not null)
            {
                await context.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Reads the applied migrations, retrying while the server is down or the database not yet created. An up-to-date
    /// database is recognised first, with plain Npgsql before EF builds anything (one connection, one statement).
    /// </summary>
    private async Task<DatabaseState> WaitForDatabaseAsync(
        Func<StreamVaultDbContext> context, StreamVaultDataOptions runOptions, StreamVaultMigrationOptions settings, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (await NoOpProbe.AppliedIfUpToDateAsync(registration.ConnectionString, runOptions, cancellationToken) is { } upToDate)
                {
                    return new DatabaseState(upToDate, UpToDate: true);
                }

                // What the log reports as already applied: the read model's view, as status and the health check see it.
                var catalog = runOptions.MigrationsAssembly is null ? KnownMigrations.Entries : context().GetService<LedgerCatalog>().Entries;
                await using var connection = await StreamVaultConnections.DataSource(registration.ConnectionString).OpenConnectionAsync(cancellationToken);
                var view = MigrationView.Of(catalog, await MigrationState.ReadAsync(connection, HistoryTable.Default, cancellationToken));
                return new DatabaseState([.. view.Applied.Select(m => m.Id)], UpToDate: false);
            }
            catch (PostgresException missing) when (missing.SqlState == PostgresErrorCodes.InvalidCatalogName && dataOptions.Value.CreateDatabaseIfMissing)
            {
                // Asked to create it (CreateDatabaseIfMissing): the engine does so before the first migration.
                return new DatabaseState([], UpToDate: false);
            }
            catch (NpgsqlException unreachable) when (attempt < settings.ConnectAttempts && !IsAuthenticationFailure(unreachable))
            {
                var delay = settings.ConnectRetryDelay * attempt;
                HostingLog.WaitingForDatabase(_logger, attempt, settings.ConnectAttempts, MigrationFailure.Describe(unreachable), (long)delay.TotalMilliseconds);
                // Only this database's pool (EF's and the engine's, one data source): a pooled connection may have been broken by the outage.
                StreamVaultConnections.DataSource(registration.ConnectionString).Clear();
                await Task.Delay(delay, cancellationToken);
            }
        }
    }

    /// <summary>The applied migrations, and whether they make the database up to date.</summary>
    /// <remarks>A class, not a tuple: async methods over value types are generic code that ReadyToRun leaves to the JIT.</remarks>
    private sealed record DatabaseState(IReadOnlyList<string> Applied, bool UpToDate);

    /// <summary>Retrying a wrong password only delays the inevitable (and may lock the role out).</summary>
    private static bool IsAuthenticationFailure(NpgsqlException exception)
        => exception is PostgresException pg && pg.SqlState.StartsWith("28", StringComparison.Ordinal);

    /// <summary>
    /// Turns the engine's progress into milestone events and per-migration durations, and keeps the health check's view of
    /// the running step (an index build's progress is logged by the engine itself, event 2007).
    /// </summary>
    private sealed class Tracker(ILogger logger, StreamVaultMigrationState state) : IMigrationProgress
    {
        private readonly List<string> _applied = [];
        private readonly Stopwatch _clock = new();
        private bool _ready;

        public IReadOnlyList<string> AlreadyApplied { get; set; } = [];

        public string[] Applied => [.. _applied];

        public string? Current { get; private set; }

        public void MigrationStarting(string migrationId, bool reverting)
        {
            Ready();
            Finish();
            Current = migrationId;
            _clock.Restart();
            state.Migrating(migrationId);
            HostingLog.Running(logger, migrationId);
        }

        public void IndexBuild(IndexBuildProgress progress) => state.Building(progress);

        public void NothingToApply() => Ready();

        /// <summary>The migration in progress was interrupted and rolled back: it is not counted as applied.</summary>
        public void Abandon() => Current = null;

        /// <summary>The migration in progress has finished.</summary>
        public void Finish()
        {
            Ready();
            if (Current is { } finished)
            {
                HostingLog.Completed(logger, finished, _clock.ElapsedMilliseconds);
                _applied.Add(finished);
                Current = null;
            }
        }

        // EF creates the history and ledger tables before it reports the first migration or that none is pending.
        private void Ready()
        {
            if (_ready)
            {
                return;
            }

            _ready = true;
            HostingLog.TrackingTableReady(logger);
            if (AlreadyApplied.Count > 0)
            {
                var list = string.Join(", ", AlreadyApplied);
                HostingLog.SkippingApplied(logger, AlreadyApplied.Count, list);
            }
        }
    }
}

using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;
using StreamVault.Data.Engine;
using StreamVault.Data.Ledger;
using StreamVault.Data.Migrations;

namespace StreamVault.Data.Hosting;

/// <summary>
/// Degraded while a run is in progress, in this process (the startup runner's step, without a read) or in another session
/// (the run lock is held: one more statement, which also names an index build in progress), so a probe does not kill a
/// long run. Otherwise healthy when every migration is applied, Degraded while some are pending, Unhealthy when a known migration
/// failed (a <c>success = false</c> ledger row, or this process's startup run) or the database cannot be read. A probe
/// costs one connection and a few reads: the catalog is this assembly's compiled-in one (another migrations assembly's is
/// computed through EF once per process), and the decision is the read model's (<see cref="MigrationView"/>), as status
/// and the no-op check make it.
/// </summary>
internal sealed class StreamVaultMigrationsHealthCheck(
    StreamVaultDataRegistration registration, IOptions<StreamVaultDataOptions> options, StreamVaultMigrationState state)
    : IHealthCheck
{
    private IReadOnlyList<LedgerEntry>? _catalog;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (state.Running is { } running)
        {
            // This process's startup run: Degraded, never a failure, so a probe does not kill the run it waits for. No read.
            var build = running.CurrentBuild;
            var step = build?.Describe() ?? running.Describe();
            return HealthCheckResult.Degraded(
                "Migration in progress: " + (build is null ? step : $"{running.MigrationId}: {step}"), data: Running(running.MigrationId, step, build?.Percent));
        }

        try
        {
            var catalog = _catalog ??= Catalog();
            await using var connection = await StreamVaultConnections.DataSource(registration.ConnectionString).OpenConnectionAsync(cancellationToken);
            var view = MigrationView.Of(catalog, await MigrationState.ReadAsync(connection, HistoryTable.Default, cancellationToken));
            var applied = view.Applied.Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
            var pending = view.Pending.Select(m => m.Id).ToList();

            var data = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                ["applied"] = applied.Count,
                ["pending"] = pending,
                ["failed"] = view.Failed.Select(m => m.Id).ToList(),
            };
            foreach (var failed in view.Failed)
            {
                data["error:" + failed.Id] = failed.Row?.Error ?? "(no error recorded)";
            }

            if (state.LastRun is { Succeeded: false } lastRun)
            {
                data["startupFailedMigration"] = lastRun.FailedMigration ?? "(before any migration)";
                data["startupError"] = lastRun.Error!;
            }

            // Not up to date, and another session (a Job running the bundle, another replica) holds the run lock: it is
            // migrating. One more statement, only on a database that is not up to date.
            if ((pending.Count > 0 || view.Failed.Count > 0) && await Sql.RunInProgressAsync(connection, cancellationToken) is { } other)
            {
                var step = other.Build ?? "migration running in another session";
                foreach (var (key, value) in Running(null, step, other.Percent))
                {
                    data[key] = value;
                }

                return HealthCheckResult.Degraded(
                    other.Build is null ? "Migration running in another session" : $"Migration running in another session: {other.Build}", data: data);
            }

            // A failed startup run stays unhealthy until the migration it stopped at is applied.
            var startupFailureOpen = state.LastRun is { Succeeded: false } run
                && (run.FailedMigration is null || !applied.Contains(run.FailedMigration));
            if (view.Failed.Count > 0 || startupFailureOpen)
            {
                var names = view.Failed.Count > 0 ? string.Join(", ", view.Failed.Select(m => m.Id)) : state.LastRun!.FailedMigration ?? "startup run";
                return new HealthCheckResult(context.Registration.FailureStatus, $"Migration failed: {names}", data: data);
            }

            return pending.Count > 0
                ? HealthCheckResult.Degraded($"{pending.Count} migrations pending: {string.Join(", ", pending)}", data: data)
                : HealthCheckResult.Healthy($"All {view.Migrations.Count} migrations applied", data);
        }
        catch (NpgsqlException unreachable)
        {
            return new HealthCheckResult(
                context.Registration.FailureStatus, "Cannot read the migration state: " + MigrationFailure.Describe(unreachable));
        }
    }

    /// <summary>The data of a run in progress: its migration (when known), its step, and the step's percentage (when it counts).</summary>
    private static Dictionary<string, object> Running(string? migrationId, string step, double? percent)
    {
        var data = new Dictionary<string, object>(StringComparer.Ordinal) { ["running"] = true, ["step"] = step };
        if (migrationId is not null)
        {
            data["migration"] = migrationId;
        }

        if (percent is { } value)
        {
            data["percent"] = Math.Floor(value);
        }

        return data;
    }

    /// <summary>This assembly's compiled-in catalog; another migrations assembly's through EF, once.</summary>
    private IReadOnlyList<LedgerEntry> Catalog()
    {
        if (options.Value.MigrationsAssembly is null)
        {
            return KnownMigrations.Entries;
        }

        using var context = ContextOptions.CreateContext(registration.ConnectionString, options.Value);
        return context.GetService<LedgerCatalog>().Entries;
    }
}

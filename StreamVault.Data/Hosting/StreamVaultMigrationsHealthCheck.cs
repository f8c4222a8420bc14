using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;
using StreamVault.Data.Engine;
using StreamVault.Data.Operations;
using StreamVault.Data.Ledger;

namespace StreamVault.Data.Hosting;

/// <summary>
/// Healthy when every migration is applied, Degraded while some are pending, Unhealthy when a known migration
/// failed (a <c>success = false</c> ledger row, or this process's startup run) or the database cannot be read.
/// </summary>
internal sealed class StreamVaultMigrationsHealthCheck(
    StreamVaultDataRegistration registration, IOptions<StreamVaultDataOptions> options, StreamVaultMigrationState state)
    : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // The same view of migration state as status and validate: a failed migration is failed, not pending.
            using var operation = OperationContext.Create(registration.ConnectionString, new OperationOptions { Data = options.Value });
            await using var connection = await operation.OpenAsync(cancellationToken);
            var view = MigrationView.Of(operation.Catalog, await MigrationState.ReadAsync(connection, HistoryTable.Default, cancellationToken));
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
}

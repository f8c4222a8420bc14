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
/// Healthy when every migration is applied, Degraded while some are pending, Unhealthy when a known migration
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

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using StreamVault.Data.Engine;
using StreamVault.Data.Migrations;

namespace StreamVault.Data.Hosting;

/// <summary>
/// Healthy when every migration is applied, Degraded while some are pending, Unhealthy when a known migration
/// failed (a <c>success = false</c> ledger row, or this process's startup run) or the database cannot be read.
/// </summary>
internal sealed class StreamVaultMigrationsHealthCheck(StreamVaultDataRegistration registration, StreamVaultMigrationState state)
    : IHealthCheck
{
    private const string FailedLedgerRows = """
        SELECT migration_name, error FROM applied_migrations WHERE success IS FALSE ORDER BY migration_name
        """;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = StreamVaultDatabase.CreateContext(registration.ConnectionString, registration.Options);
            var known = db.Database.GetMigrations().ToList();
            // First, on its own connection: it fails on a missing database, where EF would report nothing applied.
            var failed = await FailedMigrationsAsync(known, cancellationToken);
            var applied = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
            var pending = known.Where(id => !applied.Contains(id)).ToList();

            var data = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                ["applied"] = applied.Count,
                ["pending"] = pending,
                ["failed"] = failed.Keys.ToList(),
            };
            foreach (var (migration, error) in failed)
            {
                data["error:" + migration] = error;
            }

            if (state.LastRun is { Succeeded: false } lastRun)
            {
                data["startupFailedMigration"] = lastRun.FailedMigration ?? "(before any migration)";
                data["startupError"] = lastRun.Error!;
            }

            // A failed startup run stays unhealthy until the migration it stopped at is applied.
            var startupFailureOpen = state.LastRun is { Succeeded: false } run
                && (run.FailedMigration is null || !applied.Contains(run.FailedMigration));
            if (failed.Count > 0 || startupFailureOpen)
            {
                var names = failed.Count > 0 ? string.Join(", ", failed.Keys) : state.LastRun!.FailedMigration ?? "startup run";
                return new HealthCheckResult(context.Registration.FailureStatus, $"Migration failed: {names}", data: data);
            }

            return pending.Count > 0
                ? HealthCheckResult.Degraded($"{pending.Count} migrations pending: {string.Join(", ", pending)}", data: data)
                : HealthCheckResult.Healthy($"All {known.Count} migrations applied", data);
        }
        catch (NpgsqlException unreachable)
        {
            return new HealthCheckResult(
                context.Registration.FailureStatus, "Cannot read the migration state: " + MigrationFailure.Describe(unreachable));
        }
    }

    /// <summary>Failed ledger rows of migrations this build knows, by EF id; none when the ledger does not exist yet.</summary>
    private async Task<Dictionary<string, string>> FailedMigrationsAsync(IReadOnlyList<string> known, CancellationToken cancellationToken)
    {
        var byLedgerName = known.ToDictionary(LegacyMigrationNames.LedgerNameFor, id => id, StringComparer.Ordinal);
        var failed = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var connection = new NpgsqlConnection(registration.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(FailedLedgerRows, connection);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (byLedgerName.TryGetValue(reader.GetString(0), out var id))
                {
                    failed[id] = reader.IsDBNull(1) ? "(no error recorded)" : reader.GetString(1);
                }
            }
        }
        catch (PostgresException missing) when (missing.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.UndefinedColumn)
        {
            // No ledger (or a pre-ledger one without the error column): nothing has failed under this engine.
        }

        return failed;
    }
}

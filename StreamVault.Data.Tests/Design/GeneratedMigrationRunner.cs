using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;

namespace StreamVault.Data.Tests.Design;

/// <summary>
/// Runs a generated migration's Up (or Down) SQL through the engine's own migration command executor, as a run would:
/// each transactional stretch with its SET LOCAL timeouts and step locks, concurrent builds outside a transaction (and not
/// sent at all where their valid index exists), lock timeouts retried. The context is the changed model's, so the step
/// locks know the new table. No history row is written, so the same SQL can run again.
/// </summary>
public static class GeneratedMigrationRunner
{
    public static async Task RunAsync(string connectionString, ModelChange change, Migration migration, bool up = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(migration);
        await using var context = ChangedContext.Create(change, connectionString);
        var commands = context.GetService<IMigrationsSqlGenerator>().Generate(up ? migration.UpOperations : migration.DownOperations);
        var connection = context.GetService<IRelationalConnection>();

        // The migrator holds the connection open around a migration; the executor's engine checks run on it.
        await connection.OpenAsync(cancellationToken);
        await context.GetService<IMigrationCommandExecutor>().ExecuteNonQueryAsync(
            commands,
            connection,
            new MigrationExecutionState { CurrentMigrationId = GoldenCases.IdPrefix + change.Name },
            commitTransaction: true,
            cancellationToken: cancellationToken);
    }
}

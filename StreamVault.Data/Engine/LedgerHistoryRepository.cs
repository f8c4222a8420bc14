// The history repository is EF's own internal service (NpgsqlHistoryRepository); replacing it is the only way
// to put the ledger writes into the history scripts and to make EF's migration lock the whole-run lock.
#pragma warning disable EF1001

using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;
using Npgsql.EntityFrameworkCore.PostgreSQL.Migrations.Internal;
using StreamVault.Data.Ledger;
using StreamVault.Data.Migrations;

namespace StreamVault.Data.Engine;

/// <summary>
/// Npgsql's history repository with two changes. Its scripts also maintain <c>applied_migrations</c>: the
/// table is created and reconciled with the history table's create-if-missing batch, and each history insert
/// or delete carries its ledger write, so both commit or roll back together in every entry point and in
/// generated scripts. And its lock is the run lock (<see cref="RunLock"/>) held for the whole run (Npgsql's own is a
/// LOCK TABLE released after every migration, which lets two replicas interleave).
/// </summary>
internal sealed class LedgerHistoryRepository(HistoryRepositoryDependencies dependencies, LedgerCatalog ledger, MigrationRun run)
    : NpgsqlHistoryRepository(dependencies)
{
    public override LockReleaseBehavior LockReleaseBehavior => LockReleaseBehavior.Connection;

    /// <summary>
    /// The history table's delimited names as EF computes them for this repository (the snake_case convention renames
    /// the columns); what <see cref="HistoryTable.Default"/> must equal, which a test checks.
    /// </summary>
    internal HistoryTable EfHistoryTable
        => new(SqlGenerationHelper.DelimitIdentifier(TableName, TableSchema),
            SqlGenerationHelper.DelimitIdentifier(MigrationIdColumnName),
            SqlGenerationHelper.DelimitIdentifier(ProductVersionColumnName));

    public override string GetCreateScript()
        => base.GetCreateScript() + LedgerSetup();

    public override string GetCreateIfNotExistsScript()
        => base.GetCreateScript().Replace("CREATE TABLE", "CREATE TABLE IF NOT EXISTS", StringComparison.Ordinal)
           + LedgerSetup();

    public override string GetInsertScript(HistoryRow row) => InsertScript(row, AppliedBy.Current);

    /// <summary>
    /// The history row and a successful ledger row of a released migration recorded without running it,
    /// because its objects are already present (see <see cref="Migrations.ReleasedMigrationAdoption"/>).
    /// </summary>
    public string GetAdoptScript(HistoryRow row) => InsertScript(row, AppliedBy.Adopted);

    private string InsertScript(HistoryRow row, string appliedBy)
    {
        ArgumentNullException.ThrowIfNull(row);
        return StartOfMigration() + base.GetInsertScript(row) + LedgerSql.RecordSuccess(ledger.Entry(row.MigrationId), appliedBy) + Environment.NewLine;
    }

    /// <summary>
    /// The migration's start, transaction-local in the insert's own transaction, where the ledger's execution_ms reads
    /// it: a literal travels with the statement, so it holds behind a transaction pooler too.
    /// </summary>
    private string StartOfMigration()
        => run.CurrentStart is not { } started
            ? ""
            : $"SELECT set_config('{LedgerSql.MigrationStartSetting}', {LedgerSql.Literal(started)}, true);"
              + Environment.NewLine;

    public override string GetDeleteScript(string migrationId)
        => base.GetDeleteScript(migrationId) + LedgerSql.RecordRevert(ledger.Entry(migrationId)) + Environment.NewLine;

    // Npgsql reads the history table without asking whether it exists and takes 42P01 for "nothing applied", but EF
    // has logged the failed command at Error level by then: on an empty database every entry point printed an error
    // before succeeding (issue #11). Asking first (to_regclass never fails) keeps a clean first run clean.
    public override IReadOnlyList<HistoryRow> GetAppliedMigrations()
        => HistoryTableExistsAsync(async: false, CancellationToken.None).GetAwaiter().GetResult() ? base.GetAppliedMigrations() : [];

    public override async Task<IReadOnlyList<HistoryRow>> GetAppliedMigrationsAsync(CancellationToken cancellationToken = default)
        => await HistoryTableExistsAsync(async: true, cancellationToken) ? await base.GetAppliedMigrationsAsync(cancellationToken) : [];

    private async Task<bool> HistoryTableExistsAsync(bool async, CancellationToken cancellationToken)
    {
        try
        {
            // A database that does not exist yet has no history (the run refuses it or, when asked, creates it).
            await using var open = await CheckConnection.OpenAsync(Dependencies.Connection, async, cancellationToken);
            await using var command = new NpgsqlCommand(CatalogSql.RelationExistsQuery, open.Npgsql);
            command.Parameters.AddWithValue("name", HistoryTable.Default.Table);
            return (bool)(async ? await command.ExecuteScalarAsync(cancellationToken) : command.ExecuteScalar())!;
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InvalidCatalogName)
        {
            return false;
        }
    }

    public override IMigrationsDatabaseLock AcquireDatabaseLock()
        => AcquireRunLockAsync(async: false, CancellationToken.None).GetAwaiter().GetResult();

    public override Task<IMigrationsDatabaseLock> AcquireDatabaseLockAsync(CancellationToken cancellationToken = default)
        => AcquireRunLockAsync(async: true, cancellationToken);

    private async Task<IMigrationsDatabaseLock> AcquireRunLockAsync(bool async, CancellationToken cancellationToken)
    {
        var options = StreamVaultOptionsExtension.From(Dependencies.CurrentContext.Context.GetService<IDbContextOptions>());
        var dataSource = StreamVaultRelationalConnection.DataSourceOf(Dependencies.Connection);
        var held = await RunLock.AcquireAsync(dataSource, options.RunLockDeadline, Dependencies.MigrationsLogger.Logger, async, cancellationToken);
        return new MigrationsRunLock(this, held);
    }

    private string LedgerSetup()
        => Environment.NewLine + LedgerSql.EnsureTable + Environment.NewLine
           + LedgerSql.Reconcile(HistoryTable.Default, ledger.Entries, AppliedBy.Current) + Environment.NewLine;

    /// <summary>
    /// The run lock as EF holds it for a whole run. It lives on a connection of its own (<see cref="RunLock"/>), so a
    /// reopened run connection or a restarted transaction does not lose it; each time EF asks, the lock's connection
    /// is checked to be still there.
    /// </summary>
    private sealed class MigrationsRunLock(LedgerHistoryRepository repository, RunLock held) : IMigrationsDatabaseLock
    {
        public IHistoryRepository HistoryRepository => repository;

        public IMigrationsDatabaseLock ReacquireIfNeeded(bool connectionReopened, bool? transactionRestarted)
        {
            held.EnsureHeldAsync(async: false, CancellationToken.None).GetAwaiter().GetResult();
            return this;
        }

        public async Task<IMigrationsDatabaseLock> ReacquireIfNeededAsync(
            bool connectionReopened, bool? transactionRestarted, CancellationToken cancellationToken = default)
        {
            await held.EnsureHeldAsync(async: true, cancellationToken);
            return this;
        }

        public void Dispose() => held.Dispose();

        public ValueTask DisposeAsync() => held.DisposeAsync();
    }
}

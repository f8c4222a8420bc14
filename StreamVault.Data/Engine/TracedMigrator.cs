// The migrator is EF's internal Migrator (through Npgsql's); wrapping it is the only way to see a run begin and end
// and each migration's commands being asked for.
#pragma warning disable EF1001

using System.Data;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Internal;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using StreamVault.Data.Ledger;

namespace StreamVault.Data.Engine;

/// <summary>
/// <see cref="StreamVaultMigrator"/> in a span: one <c>streamvault.migrate</c> span and one run-duration measurement
/// per run (see <see cref="MigrationTelemetry"/>). It also tells the command executor, which traces each migration,
/// whether EF is reverting it. Telemetry stays out of the migrator's own logic.
/// </summary>
internal sealed class TracedMigrator : StreamVaultMigrator
{
    private readonly IRelationalConnection _connection;
    private readonly LedgerHistoryRepository _history;
    private readonly HashSet<string> _reverting = new(StringComparer.Ordinal);
    private int _migrations;

    public TracedMigrator(
        IMigrationsAssembly migrationsAssembly,
        IHistoryRepository historyRepository,
        IDatabaseCreator databaseCreator,
        IMigrationsSqlGenerator migrationsSqlGenerator,
        IRawSqlCommandBuilder rawSqlCommandBuilder,
        IMigrationCommandExecutor migrationCommandExecutor,
        IRelationalConnection connection,
        ISqlGenerationHelper sqlGenerationHelper,
        ICurrentDbContext currentContext,
        IModelRuntimeInitializer modelRuntimeInitializer,
        IDiagnosticsLogger<DbLoggerCategory.Migrations> logger,
        IRelationalCommandDiagnosticsLogger commandLogger,
        IDatabaseProvider databaseProvider,
        IMigrationsModelDiffer migrationsModelDiffer,
        IDesignTimeModel designTimeModel,
        IDbContextOptions contextOptions,
        IExecutionStrategy executionStrategy)
        : base(migrationsAssembly, historyRepository, databaseCreator, migrationsSqlGenerator, rawSqlCommandBuilder,
            migrationCommandExecutor, connection, sqlGenerationHelper, currentContext, modelRuntimeInitializer, logger,
            commandLogger, databaseProvider, migrationsModelDiffer, designTimeModel, contextOptions, executionStrategy)
    {
        _connection = connection;
        _history = (LedgerHistoryRepository)historyRepository;
    }

    /// <summary>Called by the executor as a migration starts: whether EF is reverting it (it generated its Down SQL).</summary>
    public bool MigrationStarting(string migrationId)
    {
        _migrations++;
        return _reverting.Contains(migrationId);
    }

    public override void Migrate(string? targetMigration)
    {
        var run = Start(targetMigration);
        try
        {
            base.Migrate(targetMigration);
        }
        catch (Exception failure)
        {
            End(run, failure);
            throw;
        }

        End(run, failure: null);
    }

    public override async Task MigrateAsync(string? targetMigration, CancellationToken cancellationToken = default)
    {
        var run = Start(targetMigration);
        try
        {
            await base.MigrateAsync(targetMigration, cancellationToken);
        }
        catch (Exception failure)
        {
            End(run, failure);
            throw;
        }

        End(run, failure: null);
    }

    /// <summary>EF asks for a migration's commands just before it runs them: the migration starts here.</summary>
    protected override IReadOnlyList<MigrationCommand> GenerateUpSql(
        Migration migration, MigrationsSqlGenerationOptions options = MigrationsSqlGenerationOptions.Default)
    {
        ReadMigrationStart();
        return base.GenerateUpSql(migration, options);
    }

    protected override IReadOnlyList<MigrationCommand> GenerateDownSql(
        Migration migration, Migration? previousMigration, MigrationsSqlGenerationOptions options = MigrationsSqlGenerationOptions.Default)
    {
        ArgumentNullException.ThrowIfNull(migration);
        _reverting.Add(migration.GetId());
        ReadMigrationStart();
        return base.GenerateDownSql(migration, previousMigration, options);
    }

    /// <summary>
    /// Reads the migration's start from the server for the ledger's execution_ms (LedgerSql.RecordSuccess) before
    /// anything of the migration runs, checks included, so that everything it waits for counts: a migration with
    /// concurrent index builds commits its history row in a transaction of its own, whose start would say nothing.
    /// The history insert carries the value as a literal (<see cref="LedgerHistoryRepository.MigrationStarted"/>)
    /// rather than in session state, which a transaction pooler would not keep: the insert may reach another server
    /// session than this statement. Scripts are generated offline: no connection, no stamp.
    /// </summary>
    private void ReadMigrationStart()
    {
        if (Npgsql.State == ConnectionState.Open)
        {
            using var command = new NpgsqlCommand("SELECT clock_timestamp()::text", Npgsql);
            _history.MigrationStarted = (string)command.ExecuteScalar()!;
        }
    }

    private (Activity? Span, Stopwatch Clock) Start(string? targetMigration)
    {
        _reverting.Clear();
        _migrations = 0;
        return (MigrationTelemetry.StartRun(Npgsql, targetMigration), Stopwatch.StartNew());
    }

    /// <summary>A run that applied or reverted nothing (the no-op fast path, or already at the target) is up to date.</summary>
    private void End((Activity? Span, Stopwatch Clock) run, Exception? failure)
        => MigrationTelemetry.EndRun(run.Span, Npgsql, run.Clock.Elapsed,
            failure is not null ? "failure" : _migrations == 0 ? "up_to_date" : "success", failure);

    private NpgsqlConnection Npgsql => (NpgsqlConnection)_connection.DbConnection;
}

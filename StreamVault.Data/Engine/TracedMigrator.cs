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
    private readonly StreamVaultDataOptions _options;
    private readonly HashSet<string> _reverting = new(StringComparer.Ordinal);
    private int _migrations;
    private int _finished;
    private string? _current;
    private bool _currentBuilds;

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
        _options = StreamVaultOptionsExtension.From(contextOptions);
    }

    /// <summary>
    /// Called by the executor as a migration starts (<paramref name="indexBuilds"/>: whether it runs concurrent builds):
    /// whether EF is reverting it (it generated its Down SQL).
    /// </summary>
    public bool MigrationStarting(string migrationId, bool indexBuilds)
    {
        _migrations++;
        _current = migrationId;
        _currentBuilds = indexBuilds;
        return _reverting.Contains(migrationId);
    }

    /// <summary>Called by the executor once the migration's last step has committed.</summary>
    public void MigrationFinished()
    {
        _finished++;
        _current = null;
    }

    public override void Migrate(string? targetMigration)
    {
        var run = Start(targetMigration);
        try
        {
            base.Migrate(targetMigration);
        }
        catch (Exception failure) when (Interruption(failure) is { } interrupted)
        {
            End(run, interrupted);
            throw interrupted;
        }
        catch (Exception failure)
        {
            End(run, failure);
            throw;
        }
        finally
        {
            _connection.CommandTimeout = run.CommandTimeout;
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
        catch (Exception failure) when (failure is not OperationCanceledException && Interruption(failure) is { } interrupted)
        {
            End(run, interrupted);
            throw interrupted;
        }
        catch (Exception failure)
        {
            End(run, failure);
            throw;
        }
        finally
        {
            _connection.CommandTimeout = run.CommandTimeout;
        }

        End(run, failure: null);
    }

    /// <summary>
    /// A lost session (crash, restart, failover, termination) as <see cref="MigrationInterruptedException"/>, naming the
    /// migration that was running and how many this run completed; null for any other failure.
    /// </summary>
    private MigrationInterruptedException? Interruption(Exception failure)
        => failure is not MigrationInterruptedException && MigrationFailure.IsInterruption(failure)
            ? MigrationFailure.Interrupted(_current, _finished, _current is not null && _currentBuilds, failure)
            : null;

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

    /// <summary>
    /// Starts a run. The engine owns its timeouts (issue #18): unless <see cref="StreamVaultDataOptions.CommandTimeoutSeconds"/>
    /// is set, the run's commands get no client-side timeout (Npgsql's default is 30 s), so a long concurrent build is
    /// not cancelled half-way and left INVALID; each step is bounded on the server instead (LockTimeouts.SetLocal). The
    /// context's own timeout comes back when the run ends.
    /// </summary>
    private (Activity? Span, Stopwatch Clock, int? CommandTimeout) Start(string? targetMigration)
    {
        _reverting.Clear();
        _migrations = 0;
        _finished = 0;
        _current = null;
        var commandTimeout = _connection.CommandTimeout;
        if (_options.CommandTimeoutSeconds is null)
        {
            _connection.CommandTimeout = 0;
        }

        return (MigrationTelemetry.StartRun(Npgsql, targetMigration), Stopwatch.StartNew(), commandTimeout);
    }

    /// <summary>A run that applied or reverted nothing (the no-op fast path, or already at the target) is up to date.</summary>
    private void End((Activity? Span, Stopwatch Clock, int? CommandTimeout) run, Exception? failure)
        => MigrationTelemetry.EndRun(run.Span, Npgsql, run.Clock.Elapsed,
            failure is not null ? "failure" : _migrations == 0 ? "up_to_date" : "success", failure);

    private NpgsqlConnection Npgsql => (NpgsqlConnection)_connection.DbConnection;
}

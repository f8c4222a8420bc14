// The migrator is Npgsql's internal NpgsqlMigrator; only a subclass can put the one-statement no-op in front of EF's
// run, decide migration by migration under the run lock to adopt a released one, check a revert before it starts, and
// see a run begin and end for its span.
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
using Microsoft.Extensions.Logging;
using Npgsql;
using Npgsql.EntityFrameworkCore.PostgreSQL.Migrations.Internal;
using StreamVault.Data.Ledger;
using StreamVault.Data.Migrations;

namespace StreamVault.Data.Engine;

/// <summary>
/// Npgsql's migrator with what a deployment needs around EF's run:
/// <list type="bullet">
/// <item>a fast path: a run with no target first asks, in one statement and without any lock, whether every migration
/// is applied and the ledger agrees (<see cref="NoOpProbe"/>); only if not does it take the run lock;</item>
/// <item>the database's existence and the role's rights checked before anything changes (<see cref="RunPreflight"/>);</item>
/// <item>released migrations adopted instead of run where their objects are present (<see cref="IAdoptableMigration"/>);</item>
/// <item>a revert checked, every Down of its range, before any of them runs (<see cref="RevertPlan"/>);</item>
/// <item>one <c>streamvault.migrate</c> span and run-duration measurement per run (<see cref="MigrationTelemetry"/>);</item>
/// <item>the engine's own command timeout, and a lost session reported as <see cref="MigrationInterruptedException"/>.</item>
/// </list>
/// The run's state lives in <see cref="MigrationRun"/>, shared with the history repository and the command executor.
/// </summary>
internal sealed class StreamVaultMigrator : NpgsqlMigrator
{
    private readonly IRelationalConnection _connection;
    private readonly IRawSqlCommandBuilder _rawSqlCommandBuilder;
    private readonly ICurrentDbContext _currentContext;
    private readonly IRelationalCommandDiagnosticsLogger _commandLogger;
    private readonly ILogger _logger;
    private readonly StreamVaultDataOptions _options;
    private readonly LedgerHistoryRepository _history;
    private readonly LedgerCatalog _ledger;
    private readonly MigrationRun _run;
    private readonly IMigrationsAssembly _migrationsAssembly;
    private readonly IMigrationsSqlGenerator _sqlGenerator;

    public StreamVaultMigrator(
        IMigrationsAssembly migrationsAssembly,
        LedgerHistoryRepository historyRepository,
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
        IExecutionStrategy executionStrategy,
        LedgerCatalog ledger,
        MigrationRun run)
        : base(migrationsAssembly, historyRepository, databaseCreator, migrationsSqlGenerator, rawSqlCommandBuilder,
            migrationCommandExecutor, connection, sqlGenerationHelper, currentContext, modelRuntimeInitializer, logger,
            commandLogger, databaseProvider, migrationsModelDiffer, designTimeModel, contextOptions, executionStrategy)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _connection = connection;
        _rawSqlCommandBuilder = rawSqlCommandBuilder;
        _currentContext = currentContext;
        _commandLogger = commandLogger;
        _logger = logger.Logger;
        _options = StreamVaultOptionsExtension.From(contextOptions);
        _history = historyRepository;
        _ledger = ledger;
        _run = run;
        _migrationsAssembly = migrationsAssembly;
        _sqlGenerator = migrationsSqlGenerator;
    }

    public override void Migrate(string? targetMigration)
        => RunAsync(targetMigration, async: false, CancellationToken.None).GetAwaiter().GetResult();

    public override Task MigrateAsync(string? targetMigration, CancellationToken cancellationToken = default)
        => RunAsync(targetMigration, async: true, cancellationToken);

    private async Task RunAsync(string? targetMigration, bool async, CancellationToken cancellationToken)
    {
        var span = MigrationTelemetry.StartRun(Npgsql, targetMigration);
        var clock = Stopwatch.StartNew();
        var commandTimeout = _connection.CommandTimeout;
        _run.Begin();
        try
        {
            if (targetMigration is null && await IsNoOpAsync(async, cancellationToken))
            {
                End(span, clock, failure: null);
                return;
            }

            await DatabaseExistence.EnsureAsync(_currentContext.Context, async, cancellationToken);
            await RunPreflight.CheckAsync(_connection, _currentContext.Context, async, cancellationToken);

            // The engine owns its timeouts (issue #18): unless CommandTimeoutSeconds is set, the run's commands get no
            // client-side timeout (Npgsql's default is 30 s), so a long concurrent build is not cancelled half-way and left
            // INVALID; each step is bounded on the server instead (LockTimeouts.SetLocal). The context's own comes back after.
            if (_options.CommandTimeoutSeconds is null)
            {
                _connection.CommandTimeout = 0;
            }

            if (async)
            {
                await base.MigrateAsync(targetMigration, cancellationToken);
            }
            else
            {
                base.Migrate(targetMigration);
            }
        }
        catch (Exception failure) when (failure is not (OperationCanceledException or MigrationInterruptedException) && MigrationFailure.IsInterruption(failure))
        {
            var interrupted = MigrationFailure.Interrupted(_run.Current, _run.Finished, _run.Current is not null && _run.CurrentBuildsIndexes, failure);
            End(span, clock, interrupted);
            throw interrupted;
        }
        catch (Exception failure)
        {
            End(span, clock, failure);
            throw;
        }
        finally
        {
            _connection.CommandTimeout = commandTimeout;
            _run.End();
        }

        End(span, clock, failure: null);
    }

    /// <summary>
    /// <c>dotnet ef migrations script --idempotent</c> (and the bundle's script): the engine's psql script
    /// (<see cref="PsqlScript"/>) for the migrations after <paramref name="fromMigration"/> up to <paramref name="toMigration"/>,
    /// because EF's own wraps every statement in a DO block, where the concurrent index builds cannot run. A plain script
    /// stays EF's; an idempotent revert script is not offered (migrate to the target instead, which checks it first).
    /// </summary>
    public override string GenerateScript(
        string? fromMigration = null, string? toMigration = null, MigrationsSqlGenerationOptions options = MigrationsSqlGenerationOptions.Default)
    {
        if (!options.HasFlag(MigrationsSqlGenerationOptions.Idempotent))
        {
            return base.GenerateScript(fromMigration, toMigration, options);
        }

        var ids = _migrationsAssembly.Migrations.Keys.Order(StringComparer.Ordinal).ToList();
        var from = fromMigration is null or Migration.InitialDatabase ? -1 : ids.IndexOf(_migrationsAssembly.GetMigrationId(fromMigration));
        var to = toMigration is null ? ids.Count - 1 : toMigration == Migration.InitialDatabase ? -1 : ids.IndexOf(_migrationsAssembly.GetMigrationId(toMigration));
        if (to < from)
        {
            throw Refusal(
                "StreamVault.Data offers no idempotent revert script: revert with migrate to the target (dotnet ef database update <target> or streamvault-db migrate <target>), which checks every Down first");
        }

        var range = ids.Skip(from + 1).Take(to - from)
            .Select(id => (id, _migrationsAssembly.CreateMigration(_migrationsAssembly.Migrations[id], _currentContext.Context.Database.ProviderName!)))
            .ToList();
        return PsqlScript.Build(range, _history, _history, _sqlGenerator);
    }

    /// <summary>
    /// A refusal as dotnet-ef prints it: its OperationException is shown as one line (any other exception with its stack
    /// trace). Found by name, because the design-time assembly is there under the tools only; elsewhere NotSupportedException.
    /// </summary>
    private static Exception Refusal(string message)
        => Type.GetType("Microsoft.EntityFrameworkCore.Design.OperationException, Microsoft.EntityFrameworkCore.Design") is { } tools
            ? (Exception)Activator.CreateInstance(tools, message)!
            : new NotSupportedException(message);

    /// <summary>A run that applied or reverted nothing (the no-op fast path, or already at the target) is up to date.</summary>
    private void End(Activity? span, Stopwatch clock, Exception? failure)
        => MigrationTelemetry.EndRun(span, Npgsql, clock.Elapsed,
            failure is not null ? "failure" : _run.Started == 0 ? "up_to_date" : "success", failure);

    /// <summary>
    /// EF asks for a migration's commands just before running them, under the run lock: the migration starts here. A
    /// released migration whose objects are already present is recorded instead of run (<see cref="IAdoptableMigration"/>).
    /// </summary>
    protected override IReadOnlyList<MigrationCommand> GenerateUpSql(
        Migration migration, MigrationsSqlGenerationOptions options = MigrationsSqlGenerationOptions.Default)
    {
        ArgumentNullException.ThrowIfNull(migration);
        ReadMigrationStart();
        var id = migration.GetId();
        if (!_run.Applying || migration is not IAdoptableMigration { PresenceCheck: var check })
        {
            return base.GenerateUpSql(migration, options);
        }

        using (var command = new NpgsqlCommand("SELECT " + check, Npgsql))
        {
            if (!(bool)command.ExecuteScalar()!)
            {
                return base.GenerateUpSql(migration, options);
            }
        }

        EngineLog.Adopted(_logger, id);
        if (_options.Progress is { } progress)
        {
            progress.MigrationAdopted(id, AppliedByAppAt(_ledger.Entry(id).LedgerName));
        }

        var record = _rawSqlCommandBuilder.Build(_history.GetAdoptScript(new HistoryRow(id, ProductInfo.GetVersion())));
        return [new MigrationCommand(record, _currentContext.Context, _commandLogger)];
    }

    /// <summary>
    /// When the app recorded a migration the engine adopts: the <c>applied_at</c> of its successful ledger row that this
    /// layer did not write (no <c>applied_by</c>); null when there is none (the app's create_all made the objects).
    /// </summary>
    private DateTimeOffset? AppliedByAppAt(string ledgerName)
    {
        using (var exists = new NpgsqlCommand(CatalogSql.RelationExistsQuery, Npgsql) { Parameters = { new("name", LedgerSql.Table) } })
        {
            if (!(bool)exists.ExecuteScalar()!)
            {
                return null;
            }
        }

        using var command = new NpgsqlCommand(LedgerSql.AppliedByAppQuery, Npgsql);
        command.Parameters.AddWithValue("name", ledgerName);
        // timestamptz: Npgsql reads it as UTC.
        return command.ExecuteScalar() is DateTime at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null;
    }

    protected override IReadOnlyList<MigrationCommand> GenerateDownSql(
        Migration migration, Migration? previousMigration, MigrationsSqlGenerationOptions options = MigrationsSqlGenerationOptions.Default)
    {
        ArgumentNullException.ThrowIfNull(migration);
        _run.Reverting(migration.GetId());
        ReadMigrationStart();
        return base.GenerateDownSql(migration, previousMigration, options);
    }

    /// <summary>
    /// EF works out what to revert in the run's transaction under the run lock, just before the first migration runs: a
    /// revert is checked here, every Down of its range before any of them runs (<see cref="RevertPlan"/>).
    /// Npgsql's migrator calls this once more after the run, outside any transaction, only to decide on reloading types.
    /// </summary>
    protected override void PopulateMigrations(IEnumerable<string> appliedMigrationEntries, string? targetMigration, out MigratorData parameters)
    {
        base.PopulateMigrations(appliedMigrationEntries, targetMigration, out parameters);
        if (_run.Applying && _connection.CurrentTransaction is not null && parameters.RevertedMigrations.Count > 0)
        {
            RevertPlan.Check(Npgsql, parameters.RevertedMigrations, parameters.TargetMigration?.GetId() ?? Migration.InitialDatabase);
        }
    }

    /// <summary>
    /// Reads the migration's start from the server for the ledger's execution_ms (LedgerSql.RecordSuccess) before
    /// anything of the migration runs, checks included, so that everything it waits for counts: a migration with
    /// concurrent index builds commits its history row in a transaction of its own, whose start would say nothing.
    /// The history insert carries the value as a literal rather than in session state, which a transaction pooler would
    /// not keep: the insert may reach another server session than this statement. Scripts are generated offline: no
    /// connection, no stamp.
    /// </summary>
    private void ReadMigrationStart()
    {
        if (Npgsql.State == ConnectionState.Open)
        {
            using var command = new NpgsqlCommand("SELECT clock_timestamp()::text", Npgsql);
            _run.CurrentStart = (string)command.ExecuteScalar()!;
        }
    }

    private async Task<bool> IsNoOpAsync(bool async, CancellationToken cancellationToken)
    {
        var known = _ledger.Entries;
        try
        {
            // Opened without logging a missing database as an error: not one on a clean first run (issue #11).
            await using var open = await CheckConnection.OpenAsync(_connection, async, cancellationToken);
            // The one no-op decision, shared with the pre-EF check of the CLI and the startup runner.
            var noOp = await NoOpProbe.IsUpToDateAsync(open.Npgsql, known, async, cancellationToken);
            if (noOp)
            {
                EngineLog.UpToDate(_logger, known.Count);
            }

            return noOp;
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InvalidCatalogName)
        {
            // No database at all: the full run refuses it, or creates it when CreateDatabaseIfMissing asks.
            return false;
        }
    }

    private NpgsqlConnection Npgsql => (NpgsqlConnection)_connection.DbConnection;
}

// The migrator is Npgsql's internal NpgsqlMigrator; only a subclass can put the one-statement no-op in front
// of EF's run and decide, migration by migration under the run lock, to adopt a released one.
#pragma warning disable EF1001

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

namespace StreamVault.Data.Engine;

/// <summary>
/// Npgsql's migrator with a fast path: a run with no target first asks, in one statement and without any
/// lock, whether every migration is applied and the ledger agrees. Only if not does it take the run lock
/// and do the full run, computing what is pending only once the lock is held.
/// </summary>
internal class StreamVaultMigrator : NpgsqlMigrator
{
    private readonly IHistoryRepository _historyRepository;
    private readonly IRelationalConnection _connection;
    private readonly IRawSqlCommandBuilder _rawSqlCommandBuilder;
    private readonly ICurrentDbContext _currentContext;
    private readonly IRelationalCommandDiagnosticsLogger _commandLogger;
    private readonly ILogger _logger;

    /// <summary>True while this migrator applies migrations (not while it only generates a script).</summary>
    private bool _applying;

    public StreamVaultMigrator(
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
        ArgumentNullException.ThrowIfNull(logger);
        _historyRepository = historyRepository;
        _connection = connection;
        _rawSqlCommandBuilder = rawSqlCommandBuilder;
        _currentContext = currentContext;
        _commandLogger = commandLogger;
        _logger = logger.Logger;
    }

    public override void Migrate(string? targetMigration)
    {
        if (targetMigration is null && IsNoOpAsync(async: false, CancellationToken.None).GetAwaiter().GetResult())
        {
            return;
        }

        DatabaseExistence.EnsureAsync(_currentContext.Context, async: false, CancellationToken.None).GetAwaiter().GetResult();
        RunPreflight.CheckAsync(_connection, _currentContext.Context, async: false, CancellationToken.None).GetAwaiter().GetResult();

        _applying = true;
        try
        {
            base.Migrate(targetMigration);
        }
        finally
        {
            _applying = false;
        }
    }

    public override async Task MigrateAsync(string? targetMigration, CancellationToken cancellationToken = default)
    {
        if (targetMigration is null && await IsNoOpAsync(async: true, cancellationToken))
        {
            return;
        }

        await DatabaseExistence.EnsureAsync(_currentContext.Context, async: true, cancellationToken);
        await RunPreflight.CheckAsync(_connection, _currentContext.Context, async: true, cancellationToken);

        _applying = true;
        try
        {
            await base.MigrateAsync(targetMigration, cancellationToken);
        }
        finally
        {
            _applying = false;
        }
    }

    /// <summary>
    /// EF asks for a migration's commands just before running them, under the run lock: a released migration whose
    /// objects are already present is recorded instead of run (<see cref="Migrations.ReleasedMigrationAdoption"/>).
    /// </summary>
    protected override IReadOnlyList<MigrationCommand> GenerateUpSql(
        Migration migration, MigrationsSqlGenerationOptions options = MigrationsSqlGenerationOptions.Default)
    {
        ArgumentNullException.ThrowIfNull(migration);
        var id = migration.GetId();
        if (!_applying || Migrations.ReleasedMigrationAdoption.PresenceCheck(id) is not { } check)
        {
            return base.GenerateUpSql(migration, options);
        }

        using (var command = new NpgsqlCommand("SELECT " + check, (NpgsqlConnection)_connection.DbConnection))
        {
            if (!(bool)command.ExecuteScalar()!)
            {
                return base.GenerateUpSql(migration, options);
            }
        }

        EngineLog.Adopted(_logger, id);
        var repository = (LedgerHistoryRepository)_historyRepository;
        var record = _rawSqlCommandBuilder.Build(repository.GetAdoptScript(new HistoryRow(id, ProductInfo.GetVersion())));
        return [new MigrationCommand(record, _currentContext.Context, _commandLogger)];
    }

    /// <summary>
    /// EF works out what to revert in the run's transaction under the run lock, just before the first migration runs: a
    /// revert is checked here, every Down of its range before any of them runs (<see cref="RevertPlan"/>).
    /// Npgsql's migrator calls this once more after the run, outside any transaction, only to decide on reloading types.
    /// </summary>
    protected override void PopulateMigrations(IEnumerable<string> appliedMigrationEntries, string? targetMigration, out MigratorData parameters)
    {
        base.PopulateMigrations(appliedMigrationEntries, targetMigration, out parameters);
        if (_applying && _connection.CurrentTransaction is not null && parameters.RevertedMigrations.Count > 0)
        {
            RevertPlan.Check((NpgsqlConnection)_connection.DbConnection, parameters.RevertedMigrations,
                parameters.TargetMigration?.GetId() ?? Migration.InitialDatabase);
        }
    }

    private async Task<bool> IsNoOpAsync(bool async, CancellationToken cancellationToken)
    {
        var repository = (LedgerHistoryRepository)_historyRepository;
        var known = repository.Catalog();
        try
        {
            // Opened without logging a missing database as an error: not one on a clean first run (issue #11).
            await using var open = await CheckConnection.OpenAsync(_connection, async, cancellationToken);
            // The one no-op decision, shared with the pre-EF check of the CLI and the startup runner.
            var noOp = await NoOpProbe.IsUpToDateAsync(open.Npgsql, repository.History, known, async, cancellationToken);
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
}

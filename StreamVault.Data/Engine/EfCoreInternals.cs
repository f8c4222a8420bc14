// EF Core offers no public seam for what the engine must change: the history scripts (to carry the ledger),
// the migration lock (to make it a whole-run advisory lock), the command executor (lock_timeout, retries,
// failure records) and the migrator (a one-statement no-op). These provider/relational internals are the
// only way in, so EF1001 is allowed in this file and nowhere else.
#pragma warning disable EF1001

using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
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
/// Npgsql's history repository with two changes. Its scripts also maintain <c>applied_migrations</c>: the
/// table is created and reconciled with the history table's create-if-missing batch, and each history insert
/// or delete carries its ledger write, so both commit or roll back together in every entry point and in
/// generated scripts. And its lock is a session advisory lock held for the whole run (Npgsql's own is a
/// LOCK TABLE released after every migration, which lets two replicas interleave).
/// </summary>
internal sealed class LedgerHistoryRepository(HistoryRepositoryDependencies dependencies)
    : NpgsqlHistoryRepository(dependencies)
{
    public override LockReleaseBehavior LockReleaseBehavior => LockReleaseBehavior.Connection;

    /// <summary>The history table's delimited names, for SQL that joins it.</summary>
    /// <remarks>
    /// The column names come from a small model EF builds for the history table, per repository and so per
    /// context; cached per table, because the no-op check of every start needs them.
    /// </remarks>
    public HistoryTable History
        => HistoryTables.GetOrAdd((TableName, TableSchema), _ => new HistoryTable(
            SqlGenerationHelper.DelimitIdentifier(TableName, TableSchema),
            SqlGenerationHelper.DelimitIdentifier(MigrationIdColumnName),
            SqlGenerationHelper.DelimitIdentifier(ProductVersionColumnName)));

    private static readonly ConcurrentDictionary<(string, string?), HistoryTable> HistoryTables = new();

    public IReadOnlyList<LedgerEntry> Catalog()
    {
        var context = Dependencies.CurrentContext.Context;
        return MigrationCatalog.Entries(
            context.GetService<IMigrationsAssembly>(), Dependencies.MigrationsSqlGenerator, context.Database.ProviderName!);
    }

    public override string GetCreateScript()
        => base.GetCreateScript() + LedgerSetup();

    public override string GetCreateIfNotExistsScript()
        => base.GetCreateScript().Replace("CREATE TABLE", "CREATE TABLE IF NOT EXISTS", StringComparison.Ordinal)
           + LedgerSetup();

    public override string GetInsertScript(HistoryRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return base.GetInsertScript(row) + LedgerSql.RecordSuccess(Entry(row.MigrationId), AppliedBy.Current) + Environment.NewLine;
    }

    /// <summary>
    /// The history row and a successful ledger row of a released migration recorded without running it,
    /// because its objects are already present (see <see cref="Migrations.ReleasedMigrationAdoption"/>).
    /// </summary>
    public string GetAdoptScript(HistoryRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return base.GetInsertScript(row) + LedgerSql.RecordSuccess(Entry(row.MigrationId), AppliedBy.Adopted) + Environment.NewLine;
    }

    public override string GetDeleteScript(string migrationId)
        => base.GetDeleteScript(migrationId) + LedgerSql.RecordRevert(Entry(migrationId)) + Environment.NewLine;

    public override IMigrationsDatabaseLock AcquireDatabaseLock()
        => AcquireRunLockAsync(async: false, CancellationToken.None).GetAwaiter().GetResult();

    public override Task<IMigrationsDatabaseLock> AcquireDatabaseLockAsync(CancellationToken cancellationToken = default)
        => AcquireRunLockAsync(async: true, cancellationToken);

    private async Task<IMigrationsDatabaseLock> AcquireRunLockAsync(bool async, CancellationToken cancellationToken)
    {
        var options = StreamVaultOptionsExtension.From(Dependencies.CurrentContext.Context.GetService<IDbContextOptions>());
        var logger = Dependencies.MigrationsLogger.Logger;
        var connection = (NpgsqlConnection)Dependencies.Connection.DbConnection;
        var clock = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        string? holder = null;
        var span = MigrationTelemetry.StartLockWait(connection, "migration run lock");
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                if (await Sql.ScalarAsync<bool>(connection, EngineSql.TryRunLock, async, cancellationToken))
                {
                    EngineLog.RunLockAcquired(logger, clock.ElapsedMilliseconds);
                    MigrationTelemetry.EndLockWait(span, connection, clock.Elapsed, attempt + 1, "acquired", holder);
                    return new RunLock(this, connection);
                }

                holder = await Sql.DescribeRunLockHolderAsync(connection, async, cancellationToken);
            }
            catch (Exception failure)
            {
                MigrationTelemetry.EndLockWait(span, connection, clock.Elapsed, attempt + 1, "error", holder, failure);
                throw;
            }

            if (clock.Elapsed >= options.RunLockDeadline)
            {
                var timeout = new MigrationLockException(string.Create(CultureInfo.InvariantCulture,
                    $"another migration run still holds the migration lock after {options.RunLockDeadline.TotalSeconds:0} s: {holder}"));
                MigrationTelemetry.EndLockWait(span, connection, clock.Elapsed, attempt + 1, "timeout", holder, timeout);
                throw timeout;
            }

            if (attempt == 0 || clock.Elapsed - lastReport >= TimeSpan.FromSeconds(5))
            {
                EngineLog.WaitingForRunLock(logger, holder);
                lastReport = clock.Elapsed;
            }

            var delay = Backoff.Delay(attempt, options.RunLockDeadline - clock.Elapsed);
            try
            {
                if (async)
                {
                    await Task.Delay(delay, cancellationToken);
                }
                else
                {
                    Thread.Sleep(delay);
                }
            }
            catch (OperationCanceledException cancelled)
            {
                MigrationTelemetry.EndLockWait(span, connection, clock.Elapsed, attempt + 1, "error", holder, cancelled);
                throw;
            }
        }
    }

    private string LedgerSetup()
        => Environment.NewLine + LedgerSql.EnsureTable + Environment.NewLine
           + LedgerSql.Reconcile(History, Catalog(), AppliedBy.Current) + Environment.NewLine;

    /// <summary>The ledger entry of a migration; one this assembly does not know gets its plain name and no checksum.</summary>
    public LedgerEntry Entry(string migrationId)
        => Catalog().FirstOrDefault(e => e.MigrationId == migrationId)
           ?? new LedgerEntry(migrationId, Migrations.LegacyMigrationNames.LedgerNameFor(migrationId), Checksum: "");

    /// <summary>
    /// The session-level advisory lock of one run. PostgreSQL drops it if the process dies; if EF ever reopens
    /// the connection mid-run the lock went with the old session, so it is taken again.
    /// </summary>
    private sealed class RunLock(LedgerHistoryRepository repository, NpgsqlConnection connection) : IMigrationsDatabaseLock
    {
        public IHistoryRepository HistoryRepository => repository;

        public IMigrationsDatabaseLock ReacquireIfNeeded(bool connectionReopened, bool? transactionRestarted)
            => connectionReopened ? repository.AcquireDatabaseLock() : this;

        public async Task<IMigrationsDatabaseLock> ReacquireIfNeededAsync(
            bool connectionReopened, bool? transactionRestarted, CancellationToken cancellationToken = default)
            => connectionReopened ? await repository.AcquireDatabaseLockAsync(cancellationToken) : this;

        public void Dispose() => Release(async: false).AsTask().GetAwaiter().GetResult();

        public ValueTask DisposeAsync() => Release(async: true);

        private async ValueTask Release(bool async)
        {
            if (connection.State == ConnectionState.Open)
            {
                await Sql.ScalarAsync<bool>(connection, EngineSql.ReleaseRunLock, async, CancellationToken.None);
            }
        }
    }
}

/// <summary>
/// EF's migration command executor, plus what a running deployment needs from it: every transactional
/// step starts with <c>SET LOCAL lock_timeout</c> (and optionally statement_timeout) and is retried with
/// backoff when it times out on a lock, logging the sessions in the way; a migration that fails for good is
/// recorded in the ledger once its transaction has rolled back (on a separate connection, so the record
/// survives); and the notices of the ledger's reconcile statement are logged.
/// </summary>
internal sealed partial class LedgerMigrationCommandExecutor(
    IExecutionStrategy executionStrategy,
    ICurrentDbContext currentContext,
    IRelationalCommandBuilderFactory commandBuilderFactory,
    IRelationalCommandDiagnosticsLogger commandLogger,
    IDbContextOptions contextOptions,
    IDiagnosticsLogger<DbLoggerCategory.Migrations> logger)
    : MigrationCommandExecutor(executionStrategy)
{
    private readonly StreamVaultDataOptions _options = StreamVaultOptionsExtension.From(contextOptions);

    public override int ExecuteNonQuery(
        IReadOnlyList<MigrationCommand> migrationCommands,
        IRelationalConnection connection,
        MigrationExecutionState executionState,
        bool commitTransaction,
        IsolationLevel? isolationLevel = null)
        => ExecuteAsync(
                migrationCommands, connection, executionState, async: false,
                commands => Task.FromResult(base.ExecuteNonQuery(commands, connection, executionState, commitTransaction, isolationLevel)),
                CancellationToken.None)
            .GetAwaiter().GetResult();

    public override Task<int> ExecuteNonQueryAsync(
        IReadOnlyList<MigrationCommand> migrationCommands,
        IRelationalConnection connection,
        MigrationExecutionState executionState,
        bool commitTransaction,
        IsolationLevel? isolationLevel = null,
        CancellationToken cancellationToken = default)
        => ExecuteAsync(
            migrationCommands, connection, executionState, async: true,
            commands => base.ExecuteNonQueryAsync(commands, connection, executionState, commitTransaction, isolationLevel, cancellationToken),
            cancellationToken);

    private async Task<int> ExecuteAsync(
        IReadOnlyList<MigrationCommand> migrationCommands,
        IRelationalConnection connection,
        MigrationExecutionState executionState,
        bool async,
        Func<IReadOnlyList<MigrationCommand>, Task<int>> execute,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(migrationCommands);
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(executionState);
        var npgsql = (NpgsqlConnection)connection.DbConnection;
        using var notices = new NoticeLogger(npgsql, logger.Logger);
        if (executionState.CurrentMigrationId is not { } migrationId)
        {
            return await execute(migrationCommands);
        }

        var commands = WithTimeouts(await WithoutExistingIndexBuildsAsync(migrationCommands, npgsql, async, cancellationToken));
        var clock = Stopwatch.StartNew();
        // Resolved here, not injected: the migrator itself depends on this executor.
        var reverting = currentContext.Context.GetService<IMigrator>() is TracedMigrator migrator && migrator.MigrationStarting(migrationId);
        var span = MigrationTelemetry.StartMigration(npgsql, migrationId, LedgerName(migrationId), reverting);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var result = await execute(commands);
                MigrationTelemetry.EndMigration(span, npgsql, migrationId, reverting, retries: attempt, failure: null);
                return result;
            }
            catch (Exception wrapped) when (MigrationFailure.ServerError(wrapped) is { SqlState: PostgresErrorCodes.LockNotAvailable } timeout)
            {
                var blockers = await Sql.DescribeLockHoldersAsync(npgsql, async, cancellationToken);
                if (clock.Elapsed >= _options.LockRetryDeadline)
                {
                    var failure = new MigrationLockException(string.Create(CultureInfo.InvariantCulture,
                        $"migration {migrationId} could not get its locks within {_options.LockRetryDeadline.TotalSeconds:0} s; blocked by {blockers}"),
                        timeout);
                    await RecordFailureAsync(connection, migrationId, failure);
                    MigrationTelemetry.EndMigration(span, npgsql, migrationId, reverting, retries: attempt, failure);
                    throw failure;
                }

                var delay = Backoff.Delay(attempt, _options.LockRetryDeadline - clock.Elapsed);
                EngineLog.LockTimeoutRetry(logger.Logger, migrationId, attempt + 1, (long)delay.TotalMilliseconds, blockers);
                MigrationTelemetry.LockTimeoutRetry(span, npgsql, migrationId, attempt + 1, delay);
                try
                {
                    if (async)
                    {
                        await Task.Delay(delay, cancellationToken);
                    }
                    else
                    {
                        Thread.Sleep(delay);
                    }
                }
                catch (OperationCanceledException cancelled)
                {
                    MigrationTelemetry.EndMigration(span, npgsql, migrationId, reverting, retries: attempt + 1, cancelled);
                    throw;
                }
            }
            catch (Exception failure) when (failure is not MigrationLockException)
            {
                await RecordFailureAsync(connection, migrationId, failure);
                MigrationTelemetry.EndMigration(span, npgsql, migrationId, reverting, retries: attempt, failure);
                throw;
            }
        }
    }

    /// <summary>
    /// A concurrent index build cannot sit in a guarded DO block, and <c>IF NOT EXISTS</c> still takes its table
    /// lock before it notices the index: a build whose index already exists and is valid is replaced by a no-op.
    /// (An INVALID one is left to the migration, which drops it first.) Replaced, not removed, so the command
    /// positions EF keeps for a retried migration stay the same.
    /// </summary>
    private async Task<IReadOnlyList<MigrationCommand>> WithoutExistingIndexBuildsAsync(
        IReadOnlyList<MigrationCommand> commands, NpgsqlConnection connection, bool async, CancellationToken cancellationToken)
    {
        List<MigrationCommand>? result = null;
        for (var i = 0; i < commands.Count; i++)
        {
            if (!commands[i].TransactionSuppressed
                || ConcurrentIndexBuild().Match(commands[i].CommandText) is not { Success: true } build
                || !await Sql.ScalarAsync<bool>(connection, EngineSql.ValidIndexExists(build.Groups["name"].Value), async, cancellationToken))
            {
                continue;
            }

            result ??= [.. commands];
            var skip = commandBuilderFactory.Create()
                .Append($"SELECT 'index {build.Groups["name"].Value} already exists and is valid'")
                .Build();
            result[i] = new MigrationCommand(skip, currentContext.Context, commandLogger, transactionSuppressed: true);
        }

        return result ?? commands;
    }

    [GeneratedRegex(@"^\s*CREATE\s+(UNIQUE\s+)?INDEX\s+CONCURRENTLY\s+IF\s+NOT\s+EXISTS\s+(?<name>[a-z_][a-z0-9_]*)\s+ON\s", RegexOptions.IgnoreCase)]
    private static partial Regex ConcurrentIndexBuild();

    /// <summary>Puts SET LOCAL timeouts at the start of every stretch of commands that shares one transaction.</summary>
    private List<MigrationCommand> WithTimeouts(IReadOnlyList<MigrationCommand> commands)
    {
        var settings = string.Create(CultureInfo.InvariantCulture,
            $"SET LOCAL lock_timeout = {(long)_options.LockTimeout.TotalMilliseconds};");
        if (_options.StatementTimeout is { } statementTimeout)
        {
            settings += string.Create(CultureInfo.InvariantCulture,
                $" SET LOCAL statement_timeout = {(long)statementTimeout.TotalMilliseconds};");
        }

        var result = new List<MigrationCommand>(commands.Count + 2);
        for (var i = 0; i < commands.Count; i++)
        {
            if (!commands[i].TransactionSuppressed && (i == 0 || commands[i - 1].TransactionSuppressed))
            {
                var relational = commandBuilderFactory.Create().Append(settings).Build();
                result.Add(new MigrationCommand(relational, currentContext.Context, commandLogger));
            }

            result.Add(commands[i]);
        }

        return result;
    }

    /// <summary>The migration's name in applied_migrations, for its span.</summary>
    private string LedgerName(string migrationId)
        => ((LedgerHistoryRepository)currentContext.Context.GetService<IHistoryRepository>()).Entry(migrationId).LedgerName;

    private async Task RecordFailureAsync(IRelationalConnection connection, string migrationId, Exception failure)
    {
        // Resolved here, not injected: the history repository itself depends on this executor.
        var repository = (LedgerHistoryRepository)currentContext.Context.GetService<IHistoryRepository>();
        var entry = repository.Entry(migrationId);
        var error = MigrationFailure.Describe(failure);
        try
        {
            // Its own connection: the migration's transaction is gone, and a clone keeps the credentials even
            // where the open connection's string no longer shows them.
            await using var separate = ((NpgsqlConnection)connection.DbConnection).CloneWith(connection.DbConnection.ConnectionString);
            await separate.OpenAsync();
            await using var command = new NpgsqlCommand(LedgerSql.RecordFailure(repository.History), separate);
            command.Parameters.AddWithValue("name", entry.LedgerName);
            command.Parameters.AddWithValue("id", entry.MigrationId);
            command.Parameters.AddWithValue("checksum", entry.Checksum);
            command.Parameters.AddWithValue("error", error);
            command.Parameters.AddWithValue("by", AppliedBy.Current);
            if (await command.ExecuteNonQueryAsync() == 0)
            {
                LedgerLog.RevertFailed(logger.Logger, migrationId, error);
            }
            else
            {
                LedgerLog.FailureRecorded(logger.Logger, migrationId, entry.LedgerName, error);
            }
        }
        catch (DbException recordFailure)
        {
            LedgerLog.FailureNotRecorded(logger.Logger, migrationId, error, recordFailure.Message);
        }
    }

    private sealed class NoticeLogger : IDisposable
    {
        private readonly NpgsqlConnection _connection;
        private readonly ILogger _logger;

        public NoticeLogger(NpgsqlConnection connection, ILogger logger)
        {
            _connection = connection;
            _logger = logger;
            _connection.Notice += OnNotice;
        }

        public void Dispose() => _connection.Notice -= OnNotice;

        private void OnNotice(object sender, NpgsqlNoticeEventArgs e)
        {
            if (e.Notice.MessageText.StartsWith(LedgerSql.ReconcileNoticePrefix, StringComparison.Ordinal))
            {
                LedgerLog.Reconciled(_logger, e.Notice.MessageText);
            }
        }
    }
}

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

    private async Task<bool> IsNoOpAsync(bool async, CancellationToken cancellationToken)
    {
        var repository = (LedgerHistoryRepository)_historyRepository;
        var known = repository.Catalog();
        var npgsql = (NpgsqlConnection)_connection.DbConnection;
        var opened = false;
        try
        {
            opened = async ? await _connection.OpenAsync(cancellationToken) : _connection.Open();
            var (applied, missingLedgerRows, ledgerColumns) =
                await Sql.NoOpStateAsync(npgsql, EngineSql.NoOpCheck(repository.History, known), async, cancellationToken);
            var pending = known.Count(e => !applied.Contains(e.MigrationId));
            var noOp = pending == 0 && missingLedgerRows == 0 && ledgerColumns == LedgerSql.ExtraColumns.Count;
            if (noOp)
            {
                EngineLog.UpToDate(_logger, known.Count);
            }

            return noOp;
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.UndefinedColumn
                                              or PostgresErrorCodes.InvalidCatalogName)
        {
            // No history table yet, or no database at all (the full run creates it, as EF always has).
            return false;
        }
        finally
        {
            if (opened)
            {
                if (async)
                {
                    await _connection.CloseAsync();
                }
                else
                {
                    _connection.Close();
                }
            }
        }
    }
}

/// <summary>
/// <see cref="StreamVaultMigrator"/> in a span: one <c>streamvault.migrate</c> span and one run-duration measurement
/// per run (see <see cref="MigrationTelemetry"/>). It also tells the command executor, which traces each migration,
/// whether EF is reverting it. Telemetry stays out of the migrator's own logic.
/// </summary>
internal sealed class TracedMigrator : StreamVaultMigrator
{
    private readonly IRelationalConnection _connection;
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
        => _connection = connection;

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
        StampMigrationStart();
        return base.GenerateUpSql(migration, options);
    }

    protected override IReadOnlyList<MigrationCommand> GenerateDownSql(
        Migration migration, Migration? previousMigration, MigrationsSqlGenerationOptions options = MigrationsSqlGenerationOptions.Default)
    {
        ArgumentNullException.ThrowIfNull(migration);
        _reverting.Add(migration.GetId());
        StampMigrationStart();
        return base.GenerateDownSql(migration, previousMigration, options);
    }

    /// <summary>
    /// Stamps the migration's start in the session for the ledger's execution_ms (LedgerSql.RecordSuccess) before
    /// anything of the migration runs, checks included, so that everything it waits for counts: a migration with
    /// concurrent index builds commits its history row in a transaction of its own, whose start would say nothing.
    /// Scripts are generated offline: no connection, no stamp.
    /// </summary>
    private void StampMigrationStart()
    {
        if (Npgsql.State == ConnectionState.Open)
        {
            using var command = new NpgsqlCommand(LedgerSql.StampMigrationStart, Npgsql);
            command.ExecuteScalar();
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

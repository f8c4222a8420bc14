// The command executor is EF's internal MigrationCommandExecutor; it is the only place that sees each
// migration's commands with their transaction boundaries, where lock timeouts and failure records belong.
#pragma warning disable EF1001

using System.Data;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Internal;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using StreamVault.Data.Ledger;

namespace StreamVault.Data.Engine;

/// <summary>
/// EF's migration command executor, plus what a running deployment needs from it: every transactional step starts
/// with the engine's own timeouts and takes its locks so that the app's transactions are never its deadlock victims
/// (<see cref="StepPrologueCommand"/>, <see cref="StepLocks"/>); concurrent builds run under the engine's session
/// settings, not a role's (<see cref="BuildTimeouts"/>); a step that times out on a lock is retried with backoff
/// (<see cref="LockTimeouts"/>); a migration that fails for good is recorded in the ledger once its transaction has rolled
/// back (<see cref="MigrationFailureRecorder"/>), while a cancelled or interrupted one is recorded nowhere; and the notices
/// of the ledger's reconcile statement are logged.
/// </summary>
internal sealed partial class LedgerMigrationCommandExecutor(
    IExecutionStrategy executionStrategy,
    ICurrentDbContext currentContext,
    IRelationalCommandBuilderFactory commandBuilderFactory,
    IRelationalCommandDiagnosticsLogger commandLogger,
    IDbContextOptions contextOptions,
    IDiagnosticsLogger<DbLoggerCategory.Migrations> logger,
    LedgerCatalog ledger,
    MigrationRun run)
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

        var modelTables = ModelTables.Of(currentContext.Context);
        // Assigned once the migration starts; the statements' build watches read it when they run.
        Activity? span = null;
        var commands = await WithStepDisciplineAsync(
            await WithoutExistingIndexBuildsAsync(migrationCommands, npgsql, async, cancellationToken), migrationCommands, migrationId,
            StreamVaultRelationalConnection.DataSourceOf(connection), () => span, npgsql, modelTables, async, cancellationToken);
        var reverting = run.MigrationStarting(migrationId, commands.Any(c => c.TransactionSuppressed));
        var entry = ledger.Entry(migrationId);
        span = MigrationTelemetry.StartMigration(npgsql, migrationId, entry.LedgerName, reverting);
        if (!reverting)
        {
            // Going down, a statement that finds nothing to drop is not "skipped because its object is present".
            await ReportSkippedAsync(
                migrationId, migrationCommands, npgsql, connection.CurrentTransaction?.GetDbTransaction() as NpgsqlTransaction, modelTables, async,
                cancellationToken);
        }

        var retries = 0;
        try
        {
            var result = await LockTimeouts.RetryAsync(
                () => execute(commands), npgsql, ModelTables.WithLedgers(modelTables), _options, $"migration {migrationId}",
                (attempt, delay, reason, blockers) =>
                {
                    retries = attempt;
                    EngineLog.LockTimeoutRetry(logger.Logger, migrationId, reason, attempt, (long)delay.TotalMilliseconds, blockers);
                    MigrationTelemetry.LockTimeoutRetry(span, npgsql, migrationId, attempt, delay);
                },
                async, cancellationToken);
            MigrationTelemetry.EndMigration(span, npgsql, migrationId, reverting, retries, failure: null);
            run.MigrationFinished();
            return result;
        }
        catch (OperationCanceledException cancelled) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C or host shutdown: the step's transaction rolled back and the migration did not fail.
            EngineLog.RunCancelled(logger.Logger, migrationId);
            MigrationTelemetry.EndMigration(span, npgsql, migrationId, reverting, retries, cancelled);
            throw;
        }
        catch (Exception interrupted) when (MigrationFailure.IsInterruption(interrupted))
        {
            // The session is gone (crash, restart, failover, termination): the migration did not fail, and the server may
            // not be there to record anything. The migrator turns this into MigrationInterruptedException.
            MigrationTelemetry.EndMigration(span, npgsql, migrationId, reverting, retries, interrupted);
            throw;
        }
        catch (Exception failure)
        {
            await MigrationFailureRecorder.RecordAsync(StreamVaultRelationalConnection.DataSourceOf(connection), HistoryTable.Default, entry, failure, logger.Logger);
            MigrationTelemetry.EndMigration(span, npgsql, migrationId, reverting, retries, failure);
            throw;
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

    /// <summary>
    /// Starts every stretch of commands that shares one transaction with a <see cref="StepPrologueCommand"/> (the SET
    /// LOCAL timeouts and <see cref="StepLocks"/>), and, where the session's own settings would cancel or cut short a
    /// concurrent build, brackets each transaction-suppressed command with the engine's session settings and their reset
    /// (<see cref="BuildTimeouts"/>). The commands' number is fixed here, so EF's positions stay valid across retries.
    /// </summary>
    private async Task<List<MigrationCommand>> WithStepDisciplineAsync(
        IReadOnlyList<MigrationCommand> commands, IReadOnlyList<MigrationCommand> originals, string migrationId, NpgsqlDataSource dataSource,
        Func<Activity?> span, NpgsqlConnection connection, IReadOnlyList<string> modelTables, bool async, CancellationToken cancellationToken)
    {
        commands = Watched(commands, originals, migrationId, dataSource, span);
        var settings = LockTimeouts.SetLocal(_options);
        var builds = commands.Any(c => c.TransactionSuppressed)
            ? await BuildTimeouts.ForSessionAsync(connection, _options, async, cancellationToken)
            : null;
        var result = new List<MigrationCommand>(commands.Count + 2);
        for (var i = 0; i < commands.Count; i++)
        {
            if (commands[i].TransactionSuppressed)
            {
                if (builds is null)
                {
                    result.Add(commands[i]);
                }
                else
                {
                    result.AddRange([Suppressed(builds.Set), commands[i], Suppressed(builds.Reset)]);
                }

                continue;
            }

            if (i == 0 || commands[i - 1].TransactionSuppressed)
            {
                // The step's own SQL: the history and ledger writes EF appends to the last step take no table lock of the model's.
                var own = commands.Skip(i).TakeWhile(c => !c.TransactionSuppressed).Select(c => c.CommandText)
                    .Where(sql => !sql.Contains(ContextOptions.HistoryTable, StringComparison.Ordinal)
                                  && !sql.Contains(LedgerSql.Table, StringComparison.Ordinal))
                    .ToList();
                result.Add(new StepPrologueCommand(
                    commandBuilderFactory.Create().Append(settings).Build(), currentContext.Context, commandLogger, StepLocks.For(own, modelTables)));
            }

            result.Add(commands[i]);
        }

        return result;
    }

    /// <summary>
    /// The migration's own statements (not EF's history and ledger writes) that need watching become
    /// <see cref="MigrationStatementCommand"/>s at the same positions: every concurrent build (its progress is read while it
    /// runs), and every statement when the progress observes statements (plan's rehearsal).
    /// </summary>
    private List<MigrationCommand> Watched(
        IReadOnlyList<MigrationCommand> commands, IReadOnlyList<MigrationCommand> originals, string migrationId, NpgsqlDataSource dataSource,
        Func<Activity?> span)
    {
        var progress = _options.Progress;
        var observer = _options.Progress as IStatementObserver;
        var result = new List<MigrationCommand>(commands.Count);
        var position = 0;
        for (var i = 0; i < commands.Count; i++)
        {
            var command = commands[i];
            if (!IsOwnStatement(originals[i].CommandText))
            {
                result.Add(command);
                continue;
            }

            var statement = new StatementRun(
                migrationId, position++, originals[i].CommandText, !originals[i].TransactionSuppressed, SkippedByEngine: !ReferenceEquals(command, originals[i]));
            var build = command.TransactionSuppressed && !statement.SkippedByEngine && IndexBuildWatch.BuildOf(command.CommandText) is not null
                ? command.CommandText
                : null;
            result.Add(build is null && observer is null
                ? command
                : new MigrationStatementCommand(
                    commandBuilderFactory.Create().Append(command.CommandText).Build(), currentContext.Context, commandLogger, command.TransactionSuppressed,
                    statement, () => build is null ? null : IndexBuildWatch.Start(dataSource, migrationId, build, progress, logger.Logger, span()), observer));
        }

        return result;
    }

    /// <summary>A migration's own statement, not the history and ledger writes EF appends to its last step.</summary>
    private static bool IsOwnStatement(string sql)
        => !sql.Contains(ContextOptions.HistoryTable, StringComparison.Ordinal) && !sql.Contains(LedgerSql.Table, StringComparison.Ordinal);

    /// <summary>
    /// Tells the run's <see cref="IMigrationProgress"/> how many of the migration's statements will find their objects
    /// present, as plan decides it from the catalog (<see cref="StatementPlanner"/>), before they run. Best effort and
    /// harmless: the reads sit in a transaction of their own (a savepoint inside one EF has open, as for the run's first
    /// migration) that is always rolled back, with a 100 ms lock_timeout, so they never queue behind the app's locks and
    /// a read that fails only leaves the count out.
    /// </summary>
    private async Task ReportSkippedAsync(
        string migrationId, IReadOnlyList<MigrationCommand> commands, NpgsqlConnection connection, NpgsqlTransaction? transaction,
        IReadOnlyList<string> modelTables, bool async, CancellationToken cancellationToken)
    {
        const string Savepoint = "streamvault_skipped_statements";
        var own = commands.Where(c => IsOwnStatement(c.CommandText)).ToList();
        if (_options.Progress is not { } progress || own.Count == 0)
        {
            return;
        }

        await Sql.ExecuteAsync(connection, transaction is null ? "BEGIN" : "SAVEPOINT " + Savepoint, async, cancellationToken);
        try
        {
            await Sql.ExecuteAsync(connection, "SET LOCAL lock_timeout = 100", async, cancellationToken);
            var planner = new StatementPlanner(connection, new PlannedCatalog(await CatalogSnapshot.ReadAsync(connection, async, cancellationToken)), modelTables);
            var plans = await planner.PlanAsync(
                migrationId, [.. own.Select(c => StatementParser.Parse(c.CommandText, !c.TransactionSuppressed))], async, cancellationToken);
            progress.StatementsSkipped(migrationId, plans.Count(p => p.Verdict == StatementVerdict.Skip), plans.Count);
        }
        catch (Exception unread) when (unread is PostgresException or InvalidOperationException or ArgumentException or FormatException)
        {
            // A count is a courtesy: a read or a statement the planner cannot read leaves it out, never fails the run.
        }
        finally
        {
            // Also undoes the SET LOCAL.
            await Sql.ExecuteAsync(connection, transaction is null ? "ROLLBACK" : "ROLLBACK TO SAVEPOINT " + Savepoint, async, CancellationToken.None);
        }
    }

    private MigrationCommand Suppressed(string sql)
        => new(commandBuilderFactory.Create().Append(sql).Build(), currentContext.Context, commandLogger, transactionSuppressed: true);
}

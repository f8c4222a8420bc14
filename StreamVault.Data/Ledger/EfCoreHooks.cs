// The ledger must ride inside EF's own history scripts and see which migration failed; EF exposes neither
// except through these two provider/relational internals, so EF1001 is allowed in this file and nowhere else.
#pragma warning disable EF1001

using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Internal;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;
using Npgsql.EntityFrameworkCore.PostgreSQL.Migrations.Internal;

namespace StreamVault.Data.Ledger;

/// <summary>
/// Npgsql's history repository whose scripts also maintain <c>applied_migrations</c>: the table is created
/// and reconciled with the history table's create-if-missing batch, and each history insert or delete
/// carries its ledger write, so both commit or roll back together in every entry point and in scripts.
/// </summary>
internal sealed class LedgerHistoryRepository(HistoryRepositoryDependencies dependencies)
    : NpgsqlHistoryRepository(dependencies)
{
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

    public override string GetDeleteScript(string migrationId)
        => base.GetDeleteScript(migrationId) + LedgerSql.RecordRevert(Entry(migrationId)) + Environment.NewLine;

    /// <summary>The history table's delimited names, for SQL that joins it (the executor needs them too).</summary>
    public HistoryTable History
        => new(SqlGenerationHelper.DelimitIdentifier(TableName, TableSchema), SqlGenerationHelper.DelimitIdentifier(MigrationIdColumnName));

    private string LedgerSetup()
        => Environment.NewLine + LedgerSql.EnsureTable + Environment.NewLine
           + LedgerSql.Reconcile(History, Catalog(), AppliedBy.Current) + Environment.NewLine;

    private LedgerEntry Entry(string migrationId)
        => Catalog().FirstOrDefault(e => e.MigrationId == migrationId)
           ?? new LedgerEntry(migrationId, Migrations.LegacyMigrationNames.LedgerNameFor(migrationId), Checksum: "");

    private IReadOnlyList<LedgerEntry> Catalog()
    {
        var context = Dependencies.CurrentContext.Context;
        return MigrationCatalog.Entries(
            context.GetService<IMigrationsAssembly>(), Dependencies.MigrationsSqlGenerator, context.Database.ProviderName!);
    }
}

/// <summary>
/// EF's migration command executor, plus two things it cannot do itself: record a failed migration in the
/// ledger once its transaction has rolled back (on a separate connection, so the record survives), and
/// log the notices the ledger's reconcile statement raises.
/// </summary>
internal sealed class LedgerMigrationCommandExecutor(
    IExecutionStrategy executionStrategy,
    ICurrentDbContext currentContext,
    IMigrationsSqlGenerator sqlGenerator,
    IDiagnosticsLogger<DbLoggerCategory.Migrations> logger)
    : MigrationCommandExecutor(executionStrategy)
{
    public override int ExecuteNonQuery(
        IReadOnlyList<MigrationCommand> migrationCommands,
        IRelationalConnection connection,
        MigrationExecutionState executionState,
        bool commitTransaction,
        IsolationLevel? isolationLevel = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(executionState);
        using var notices = LogNotices(connection);
        try
        {
            return base.ExecuteNonQuery(migrationCommands, connection, executionState, commitTransaction, isolationLevel);
        }
        catch (Exception failure) when (executionState.CurrentMigrationId is { } migrationId)
        {
            RecordFailureAsync(connection, migrationId, failure, CancellationToken.None).GetAwaiter().GetResult();
            throw;
        }
    }

    public override async Task<int> ExecuteNonQueryAsync(
        IReadOnlyList<MigrationCommand> migrationCommands,
        IRelationalConnection connection,
        MigrationExecutionState executionState,
        bool commitTransaction,
        IsolationLevel? isolationLevel = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(executionState);
        using var notices = LogNotices(connection);
        try
        {
            return await base.ExecuteNonQueryAsync(
                migrationCommands, connection, executionState, commitTransaction, isolationLevel, cancellationToken);
        }
        catch (Exception failure) when (executionState.CurrentMigrationId is { } migrationId)
        {
            await RecordFailureAsync(connection, migrationId, failure, CancellationToken.None);
            throw;
        }
    }

    private async Task RecordFailureAsync(
        IRelationalConnection connection, string migrationId, Exception failure, CancellationToken cancellationToken)
    {
        var context = currentContext.Context;
        var entry = MigrationCatalog.EntryFor(
            migrationId, context.GetService<IMigrationsAssembly>(), sqlGenerator, context.Database.ProviderName!);
        var error = failure is PostgresException pg ? $"{pg.SqlState}: {pg.MessageText}" : failure.Message;
        try
        {
            // A clone keeps the credentials even where the open connection's string no longer shows them.
            await using var separate = ((NpgsqlConnection)connection.DbConnection).CloneWith(connection.DbConnection.ConnectionString);
            await separate.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand(LedgerSql.RecordFailure(History(context)), separate);
            command.Parameters.AddWithValue("name", entry.LedgerName);
            command.Parameters.AddWithValue("id", entry.MigrationId);
            command.Parameters.AddWithValue("checksum", entry.Checksum);
            command.Parameters.AddWithValue("error", error);
            command.Parameters.AddWithValue("by", AppliedBy.Current);
            if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
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

    // Resolved when needed: the history repository itself depends on this executor.
    private static HistoryTable History(DbContext context)
        => ((LedgerHistoryRepository)context.GetService<IHistoryRepository>()).History;

    private NoticeSubscription LogNotices(IRelationalConnection connection)
        => new((NpgsqlConnection)connection.DbConnection, logger.Logger);

    private sealed class NoticeSubscription : IDisposable
    {
        private readonly NpgsqlConnection _connection;
        private readonly ILogger _logger;

        public NoticeSubscription(NpgsqlConnection connection, ILogger logger)
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

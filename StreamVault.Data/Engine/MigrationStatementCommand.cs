// MigrationCommand is EF's; a subclass is the only way to run code on the run's connection just before and after one
// statement, where a concurrent build is watched and a rehearsal takes its measurements.
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace StreamVault.Data.Engine;

/// <summary>
/// A statement of a migration that is watched while it runs: a concurrent index build's progress is read from a second
/// connection (<see cref="IndexBuildWatch"/>), and an <see cref="IStatementObserver"/> hears it start and finish.
/// </summary>
internal sealed class MigrationStatementCommand(
    IRelationalCommand command,
    DbContext context,
    IRelationalCommandDiagnosticsLogger logger,
    bool transactionSuppressed,
    StatementRun statement,
    Func<IndexBuildWatch?> watch,
    IStatementObserver? observer)
    : MigrationCommand(command, context, logger, transactionSuppressed)
{
    public override int ExecuteNonQuery(IRelationalConnection connection, IReadOnlyDictionary<string, object?>? parameterValues = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var npgsql = (NpgsqlConnection)connection.DbConnection;
        observer?.StatementStarting(statement, npgsql);
        var build = watch();
        try
        {
            var result = base.ExecuteNonQuery(connection, parameterValues);
            observer?.StatementFinished(statement, npgsql);
            return result;
        }
        catch
        {
            observer?.StatementFailed(statement);
            throw;
        }
        finally
        {
            build?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    public override async Task<int> ExecuteNonQueryAsync(
        IRelationalConnection connection, IReadOnlyDictionary<string, object?>? parameterValues = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var npgsql = (NpgsqlConnection)connection.DbConnection;
        observer?.StatementStarting(statement, npgsql);
        await using var build = watch();
        try
        {
            var result = await base.ExecuteNonQueryAsync(connection, parameterValues, cancellationToken);
            observer?.StatementFinished(statement, npgsql);
            return result;
        }
        catch
        {
            observer?.StatementFailed(statement);
            throw;
        }
    }
}

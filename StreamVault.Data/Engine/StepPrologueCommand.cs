using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace StreamVault.Data.Engine;

/// <summary>
/// The first command of every transactional step of a migration: its SET LOCAL timeouts (the command's text, which is
/// what EF logs), then <see cref="StepLocks"/>, which decides at run time, inside the step's transaction, whether and how
/// to lock the step's tables up front. A command rather than SQL because the decision depends on the live catalog and
/// on which table was busy on the previous attempt.
/// </summary>
internal sealed class StepPrologueCommand(
    IRelationalCommand settings, DbContext context, IRelationalCommandDiagnosticsLogger logger, StepLocks locks)
    : MigrationCommand(settings, context, logger)
{
    public override int ExecuteNonQuery(IRelationalConnection connection, IReadOnlyDictionary<string, object?>? parameterValues = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var result = base.ExecuteNonQuery(connection, parameterValues);
        locks.PrepareAsync((NpgsqlConnection)connection.DbConnection, async: false, CancellationToken.None).GetAwaiter().GetResult();
        return result;
    }

    public override async Task<int> ExecuteNonQueryAsync(
        IRelationalConnection connection, IReadOnlyDictionary<string, object?>? parameterValues = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var result = await base.ExecuteNonQueryAsync(connection, parameterValues, cancellationToken);
        await locks.PrepareAsync((NpgsqlConnection)connection.DbConnection, async: true, cancellationToken);
        return result;
    }
}

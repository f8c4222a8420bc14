using System.Data.Common;
using Microsoft.Extensions.Logging;
using Npgsql;
using StreamVault.Data.Ledger;
using StreamVault.Data.Migrations;

namespace StreamVault.Data.Engine;

/// <summary>
/// Records a migration that failed for good as a <c>success = false</c> ledger row, after its transaction
/// rolled back, on a connection of its own so the record survives. A cancelled run is not a failure and never
/// comes here.
/// </summary>
internal static class MigrationFailureRecorder
{
    public static async Task RecordAsync(
        NpgsqlDataSource dataSource, HistoryTable history, LedgerEntry entry, Exception failure, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(entry);
        var error = MigrationFailure.Describe(failure);
        try
        {
            // The run's own data source: same credentials and pool, but another session, outside the rolled-back transaction.
            await using var separate = await dataSource.OpenConnectionAsync();
            await using var command = new NpgsqlCommand(LedgerSql.RecordFailure(history), separate);
            command.Parameters.AddWithValue("name", entry.LedgerName);
            command.Parameters.AddWithValue("id", entry.MigrationId);
            command.Parameters.AddWithValue("checksum", entry.Checksum);
            command.Parameters.AddWithValue("error", error);
            command.Parameters.AddWithValue("by", AppliedBy.Current);
            if (await command.ExecuteNonQueryAsync() == 0)
            {
                LedgerLog.RevertFailed(logger, entry.MigrationId, error);
            }
            else
            {
                LedgerLog.FailureRecorded(logger, entry.MigrationId, error);
            }
        }
        catch (DbException recordFailure)
        {
            LedgerLog.FailureNotRecorded(logger, entry.MigrationId, error, recordFailure.Message);
        }
    }
}

using Npgsql;
using StreamVault.Data.Migrations;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Ledger;

/// <summary>
/// The ledger row of a migration is written by the same transaction as its EF history row. A write after the
/// commit (another connection, or the next run's reconcile) would leave the two rows with different xmin.
/// </summary>
public sealed class LedgerAtomicityTests
{
    public static TheoryData<string> States => new(StartingStates.Empty, StartingStates.June2025, StartingStates.PreJune2025);

    [Theory]
    [MemberData(nameof(States))]
    public async Task Every_history_row_and_its_ledger_row_are_written_by_the_same_transaction(string state)
    {
        await using var db = await StartingStates.CreateAsync(state);

        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString);

        var rows = await XminPairsAsync(db.ConnectionString);
        Assert.Equal(Infrastructure.Migrations.All(), rows.Select(r => r.Id));
        Assert.All(rows, r => Assert.True(r.HistoryXmin == r.LedgerXmin,
            $"{r.Id}: history row written by transaction {r.HistoryXmin}, ledger row by {r.LedgerXmin ?? "(no row)"}"));
    }

    private sealed record XminPair(string Id, string HistoryXmin, string? LedgerXmin);

    private static async Task<List<XminPair>> XminPairsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """SELECT migration_id, xmin::text FROM "__EFMigrationsHistory" ORDER BY migration_id""", connection);
        var history = new List<(string Id, string Xmin)>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                history.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        var pairs = new List<XminPair>();
        foreach (var (id, xmin) in history)
        {
            await using var ledger = new NpgsqlCommand("SELECT xmin::text FROM applied_migrations WHERE migration_name = @name", connection);
            ledger.Parameters.AddWithValue("name", KnownMigrations.LedgerNameFor(id));
            pairs.Add(new XminPair(id, xmin, (string?)await ledger.ExecuteScalarAsync()));
        }

        return pairs;
    }
}

using Npgsql;
using StreamVault.Data.Migrations;
using Xunit;

namespace StreamVault.Data.Tests.Infrastructure;

/// <summary>What every completed run leaves, whatever happened on the way.</summary>
public static class RunAssertions
{
    /// <summary>Every migration applied once, a successful ledger row for each, no INVALID index.</summary>
    public static async Task AssertMigratedAsync(string connectionString)
    {
        var history = await LedgerReader.HistoryAsync(connectionString);
        Assert.Equal(Migrations.All(), history);
        var ledger = await LedgerReader.RowsAsync(connectionString);
        foreach (var id in history)
        {
            Assert.True(Assert.Single(ledger, r => r.Name == KnownMigrations.LedgerNameFor(id)).Success);
        }

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var invalid = new NpgsqlCommand("SELECT count(*) FROM pg_index WHERE NOT indisvalid", connection);
        Assert.Equal(0L, (long)(await invalid.ExecuteScalarAsync())!);
    }
}

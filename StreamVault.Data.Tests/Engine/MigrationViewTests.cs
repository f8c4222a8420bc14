using Npgsql;
using StreamVault.Data.Engine;
using StreamVault.Data.Ledger;
using StreamVault.Data.Migrations;
using StreamVault.Data.Operations;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Engine;

/// <summary>
/// One answer to "is the database up to date?" (issue #22): the no-op check's one-statement read and the full read that
/// status, validate and the health check use give the same decision, whatever is missing: a migration, an older one (a
/// hole), a ledger row, or a ledger column.
/// </summary>
public sealed class MigrationViewTests
{
    public static TheoryData<string, string?, bool> States => new()
    {
        { "migrated", null, true },
        { "newest migration not applied", $"DELETE FROM \"__EFMigrationsHistory\" WHERE migration_id = '{Infrastructure.Migrations.All()[^1]}'", false },
        { "a hole", "DELETE FROM \"__EFMigrationsHistory\" WHERE migration_id = '20250609160908_AddRecordingPathToStreams'", false },
        { "a ledger row missing", "DELETE FROM applied_migrations WHERE migration_name = '20250609_add_recording_path'", false },
        { "a failed ledger row of an applied migration", "UPDATE applied_migrations SET success = false WHERE migration_name = '20250609_add_recording_path'", false },
        { "a ledger column missing", "ALTER TABLE applied_migrations DROP COLUMN applied_by", false },
    };

    [Theory]
    [MemberData(nameof(States))]
    public async Task The_no_op_read_and_the_full_read_decide_alike(string state, string? change, bool upToDate)
    {
        await using var db = await StartingStates.CreateMigratedAsync(StartingStates.Empty);
        if (change is not null)
        {
            await db.ExecuteSqlAsync(change);
        }

        var ct = TestContext.Current.CancellationToken;
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        await connection.OpenAsync(ct);
        var catalog = KnownMigrations.Entries;
        var quick = await Data.Engine.MigrationState.ReadForNoOpAsync(connection, catalog, async: true, ct);
        var full = await Data.Engine.MigrationState.ReadAsync(connection, HistoryTable.Default, ct);

        Assert.True(upToDate == MigrationView.Of(catalog, quick!).IsUpToDate, $"{state}: the no-op read");
        Assert.True(upToDate == MigrationView.Of(catalog, full).IsUpToDate, $"{state}: the full read");
        Assert.Equal(upToDate, await NoOpProbe.AppliedIfUpToDateAsync(db.ConnectionString, new StreamVaultDataOptions(), ct) is not null);
        // status's gate agrees wherever a migration is not applied (a ledger gap alone is the engine's to reconcile).
        var status = await DatabaseStatus.ReadAsync(db.ConnectionString, cancellationToken: ct);
        Assert.Equal(MigrationView.Of(catalog, full).Pending.Count + MigrationView.Of(catalog, full).Failed.Count > 0, status.HasPending);
    }
}

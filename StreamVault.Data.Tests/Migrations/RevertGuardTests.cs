using Npgsql;
using StreamVault.Data.Migrations;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Migrations;

/// <summary>
/// Reverting all the way down reaches <c>BaseSchema.Down</c>, which would drop the tables holding every
/// recording's history. The revert plan refuses it before any Down runs while they hold rows or a table outside the
/// model references them; the guard each Down runs first still refuses by itself (a Down run outside the engine).
/// </summary>
public sealed class RevertGuardTests
{
    [Theory]
    [InlineData("INSERT INTO streamers (twitch_id, username) VALUES ('42', 'kept')", "table streamers holds 1 row (BaseSchema)")]
    [InlineData("INSERT INTO streamers (twitch_id, username) VALUES ('42', 'kept'); INSERT INTO streams (streamer_id, title) SELECT id, 'kept' FROM streamers",
        "table streams holds 1 row (BaseSchema); table streamers holds 1 row (BaseSchema)")]
    public async Task Reverting_to_zero_while_streams_or_streamers_hold_rows_is_refused_and_reverts_nothing(string rows, string blockers)
    {
        await using var db = await StartingStates.CreateAsync(StartingStates.Empty);
        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString);
        await db.ExecuteSqlAsync(rows);
        var rowsBefore = await RowsAsync(db);
        var ledgerBefore = await LedgerReader.RowsAsync(db.ConnectionString);

        var refusal = await Assert.ThrowsAsync<RevertRefusedException>(() => Infrastructure.Migrations.MigrateAsync(db.ConnectionString, "0"));

        Assert.Equal($"revert to 0 refused, nothing reverted: {blockers}", refusal.Message);
        Assert.Equal(Infrastructure.Migrations.All(), await LedgerReader.HistoryAsync(db.ConnectionString));
        Assert.Equal(ledgerBefore, await LedgerReader.RowsAsync(db.ConnectionString));
        Assert.Equal(rowsBefore, await RowsAsync(db));
        Assert.Equal(await Infrastructure.Migrations.ExpectedFingerprintAsync(), await SchemaFingerprint.CaptureAsync(db.ConnectionString, SchemaFingerprint.ModelTables));
    }

    [Fact]
    public async Task Base_schemas_own_guard_still_refuses_while_streams_hold_rows()
    {
        await using var db = await StartingStates.CreateAsync(StartingStates.Empty);
        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString);
        await db.ExecuteSqlAsync("INSERT INTO streamers (twitch_id, username) VALUES ('42', 'kept'); INSERT INTO streams (streamer_id, title) SELECT id, 'kept' FROM streamers");

        var refusal = await Assert.ThrowsAsync<PostgresException>(
            () => db.ExecuteSqlAsync(RevertGuard.RefuseIfTablesHoldRows("BaseSchema", "streams", "streamers", "global_settings")));

        Assert.Equal(PostgresErrorCodes.RaiseException, refusal.SqlState);
        Assert.Equal("refusing to revert BaseSchema: table streams holds rows; back it up and empty it first", refusal.MessageText);
    }

    [Fact]
    public void A_guards_tables_and_columns_are_read_back_from_its_sql()
    {
        Assert.Equal(
            [("streams", (string?)null), ("streamers", null)],
            RevertGuard.GuardedBy(RevertGuard.RefuseIfTablesHoldRows("BaseSchema", "streams", "streamers")));
        Assert.Equal(
            [("global_settings", (string?)"http_proxy"), ("global_settings", "https_proxy")],
            RevertGuard.GuardedBy(RevertGuard.RefuseIfColumnsHoldValues("AddProxySettings", "global_settings", "http_proxy", "https_proxy")));
        Assert.Empty(RevertGuard.GuardedBy("DROP TABLE IF EXISTS streams;"));
    }

    private static Task<string?> RowsAsync(TestDatabase db)
        => db.ScalarAsync<string>("""
            SELECT (SELECT string_agg(id || ':' || twitch_id || ':' || username, ',' ORDER BY id) FROM streamers)
                   || ' / ' || coalesce((SELECT string_agg(id || ':' || streamer_id || ':' || title, ',' ORDER BY id) FROM streams), '')
            """);
}

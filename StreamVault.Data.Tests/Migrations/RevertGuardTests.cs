using Npgsql;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Migrations;

/// <summary>
/// Reverting all the way down reaches <c>BaseSchema.Down</c>, which would drop the tables holding every
/// recording's history: it refuses while they hold rows, PostgreSQL refuses while a table outside the model
/// references them (the drop never cascades), and either refusal leaves it (and what it would drop) applied.
/// </summary>
[Collection("postgres")]
public sealed class RevertGuardTests
{
    private const string BaseSchema = "20240705000000_BaseSchema";

    [Theory]
    [InlineData("INSERT INTO streamers (twitch_id, username) VALUES ('42', 'kept')", "streamers")]
    [InlineData("INSERT INTO streamers (twitch_id, username) VALUES ('42', 'kept'); INSERT INTO streams (streamer_id, title) SELECT id, 'kept' FROM streamers", "streams")]
    public async Task Reverting_to_zero_stops_at_BaseSchema_while_streams_or_streamers_hold_rows(string rows, string table)
    {
        await using var db = await StartingStates.CreateAsync(StartingStates.Empty);
        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString);
        await db.ExecuteSqlAsync(rows);
        var rowsBefore = await RowsAsync(db);

        var refusal = await Assert.ThrowsAsync<PostgresException>(() => Infrastructure.Migrations.MigrateAsync(db.ConnectionString, "0"));

        Assert.Equal($"refusing to revert BaseSchema: table {table} holds rows; back it up and empty it first", refusal.MessageText);
        Assert.Equal([BaseSchema], await LedgerReader.HistoryAsync(db.ConnectionString));
        Assert.Equal([BaseSchema], (await LedgerReader.RowsAsync(db.ConnectionString)).Select(r => r.Name));
        // Newer migrations' Downs dropped their empty columns; BaseSchema's rows are all still there.
        Assert.Equal(rowsBefore, await RowsAsync(db));
        Assert.Equal(
            ["__EFMigrationsHistory", "applied_migrations", "global_settings", "streamers", "streams"],
            (await TableDigest.ListTablesAsync(db.ConnectionString)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Reverting_to_zero_stops_at_BaseSchema_while_an_app_table_references_streams_and_drops_nothing()
    {
        await using var db = await StartingStates.CreateAsync(StartingStates.Empty);
        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString);
        // A table the app added that the model does not know; empty, so only the reference stands in the way.
        await db.ExecuteSqlAsync("CREATE TABLE stream_events (id SERIAL PRIMARY KEY, stream_id INTEGER NOT NULL REFERENCES streams (id))");

        var refusal = await Assert.ThrowsAsync<PostgresException>(() => Infrastructure.Migrations.MigrateAsync(db.ConnectionString, "0"));

        // BaseSchema's DROP TABLE never cascades: PostgreSQL refuses, and the migration's transaction rolls back.
        Assert.Equal(PostgresErrorCodes.DependentObjectsStillExist, refusal.SqlState);
        Assert.Equal("cannot drop table streams because other objects depend on it", refusal.MessageText);
        Assert.Equal([BaseSchema], await LedgerReader.HistoryAsync(db.ConnectionString));
        Assert.Equal(
            ["__EFMigrationsHistory", "applied_migrations", "global_settings", "stream_events", "streamers", "streams"],
            (await TableDigest.ListTablesAsync(db.ConnectionString)).Order(StringComparer.Ordinal));
        Assert.Equal(1L, await db.ScalarAsync<long>(
            "SELECT count(*) FROM pg_constraint WHERE conname = 'stream_events_stream_id_fkey' AND confrelid = 'streams'::regclass"));
    }

    private static Task<string?> RowsAsync(TestDatabase db)
        => db.ScalarAsync<string>("""
            SELECT (SELECT string_agg(id || ':' || twitch_id || ':' || username, ',' ORDER BY id) FROM streamers)
                   || ' / ' || coalesce((SELECT string_agg(id || ':' || streamer_id || ':' || title, ',' ORDER BY id) FROM streams), '')
            """);
}

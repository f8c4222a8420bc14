using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Migrations;

/// <summary>
/// <c>BackfillLastStreamInfo</c> writes what the app's migration 023 would have written, exactly where 023 never ran (no
/// successful row for its script in the app's <c>migrations</c> ledger, whatever that ledger's shape), and only into
/// streamers whose four <c>last_stream_*</c> columns are all NULL.
/// </summary>
public sealed class LastStreamBackfillTests
{
    private const string Script = "023_add_last_stream_info.py";

    /// <summary>The 2025-07 fixture allows duplicate Twitch stream ids (the released unique index refuses them): the operator's fix.</summary>
    private const string KeepOneStreamPerTwitchId = """
        UPDATE streams s SET twitch_stream_id = NULL
        WHERE EXISTS (SELECT 1 FROM streams o WHERE o.twitch_stream_id = s.twitch_stream_id AND o.id < s.id);
        """;

    private const string LastStream = """
        SELECT coalesce(last_stream_title, '(null)') || ' | ' || coalesce(last_stream_category_name, '(null)') || ' | '
               || coalesce(to_char(last_stream_ended_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'), '(null)') || ' | '
               || coalesce(last_stream_viewer_count::text, '(null)')
        FROM streamers WHERE id = 
        """;

    [Fact]
    public async Task Where_023_never_ran_each_streamer_gets_its_latest_ended_stream_as_023_would_write_it()
    {
        await using var db = await ReleaseDatabaseAsync("2025-07");

        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString);

        // Streamer 1's two newest ended streams end at the same instant: the higher id (202) wins, as in the app's own run.
        Assert.Equal("tie B | Minecraft | 2025-07-28 08:00 | (null)", await db.ScalarAsync<string>(LastStream + "1"));
        // Streamer 2's newest ended stream has no title and no category: copied as NULL; its live stream (204) plays no role.
        Assert.Equal("(null) | (null) | 2025-07-29 08:00 | (null)", await db.ScalarAsync<string>(LastStream + "2"));
        // Streamer 8's newest stream is live: the newest ended one counts.
        Assert.Equal("Stream #158 | Elden Ring | 2025-02-28 23:07 | (null)", await db.ScalarAsync<string>(LastStream + "8"));
        // Streamer 7 has no stream at all.
        Assert.Equal("(null) | (null) | (null) | (null)", await db.ScalarAsync<string>(LastStream + "7"));

        // Every streamer with an ended stream, and no other, has the end time of its newest ended stream.
        Assert.Equal(0L, await db.ScalarAsync<long>("""
            SELECT count(*) FROM streamers s
            WHERE s.last_stream_ended_at IS DISTINCT FROM (SELECT max(ended_at) FROM streams t WHERE t.streamer_id = s.id)
            """));
        Assert.Equal(
            await db.ScalarAsync<long>("SELECT count(DISTINCT streamer_id) FROM streams WHERE ended_at IS NOT NULL"),
            await db.ScalarAsync<long>("SELECT count(*) FROM streamers WHERE last_stream_ended_at IS NOT NULL"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(last_stream_viewer_count) FROM streamers"));
    }

    [Fact]
    public async Task Where_023_ran_nothing_is_written_not_even_where_the_app_left_nulls()
    {
        await using var db = await ReleaseDatabaseAsync("2025-11");
        var columns = await TableDigest.ColumnsAsync(db.ConnectionString, ["streamers"]);
        var before = await TableDigest.CaptureAsync(db.ConnectionString, columns);

        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString);

        // Streamer 3 has ended streams but no values (the app's own state); 023 is in the ledger, so it stays that way.
        Assert.Equal("(null) | (null) | (null) | (null)", await db.ScalarAsync<string>(LastStream + "3"));
        Assert.Equal(before, await TableDigest.CaptureAsync(db.ConnectionString, columns));
    }

    public static TheoryData<string, string, bool> Ledgers => new()
    {
        // case, the app's migrations ledger before the run, whether 023 counts as run
        { "no ledger (a v1.0.17 fresh install)", "DROP TABLE migrations", false },
        { "a successful row", $"INSERT INTO migrations (script_name, success) VALUES ('{Script}', true)", true },
        { "a failed row (the app reruns 023, which then skips)", $"INSERT INTO migrations (script_name, success) VALUES ('{Script}', false)", false },
        { "June's shape (a): no id, naive applied_at",
          $"""
          DROP TABLE migrations;
          CREATE TABLE migrations (script_name varchar PRIMARY KEY, applied_at timestamp, success boolean);
          INSERT INTO migrations VALUES ('{Script}', '2025-11-21 09:00:01', true);
          """, true },
        { "v1.0.27–41's shape (c): name instead of script_name",
          $"""
          ALTER TABLE migrations RENAME COLUMN script_name TO name;
          INSERT INTO migrations (name, success) VALUES ('{Script}', true);
          """, true },
    };

    [Theory]
    [MemberData(nameof(Ledgers))]
    public async Task Whether_023_ran_is_read_from_the_app_s_ledger_in_any_of_its_shapes(string ledger, string sql, bool ran)
    {
        Assert.NotEmpty(ledger);
        await using var db = await ReleaseDatabaseAsync("2025-07");
        await db.ExecuteSqlAsync(sql);

        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString);

        Assert.Equal(ran ? "(null) | (null) | (null) | (null)" : "tie B | Minecraft | 2025-07-28 08:00 | (null)",
            await db.ScalarAsync<string>(LastStream + "1"));
    }

    [Fact]
    public async Task A_streamer_with_any_of_the_four_values_set_is_left_as_it_is()
    {
        await using var db = await ReleaseDatabaseAsync("2025-07");
        // The running app sets them when a stream ends; a value it wrote (here only the viewer count) is never overwritten.
        await db.ExecuteSqlAsync("ALTER TABLE streamers ADD COLUMN last_stream_viewer_count integer; UPDATE streamers SET last_stream_viewer_count = 42 WHERE id = 1;");

        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString);

        Assert.Equal("(null) | (null) | (null) | 42", await db.ScalarAsync<string>(LastStream + "1"));
        Assert.Equal("(null) | (null) | 2025-07-29 08:00 | (null)", await db.ScalarAsync<string>(LastStream + "2"));
    }

    private static async Task<TestDatabase> ReleaseDatabaseAsync(string month)
    {
        var db = await StartingStates.CreateAsync(StartingStates.Release(month));
        await db.ExecuteSqlAsync(KeepOneStreamPerTwitchId);
        return db;
    }
}

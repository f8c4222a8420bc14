using Microsoft.EntityFrameworkCore;
using Npgsql;
using StreamVault.Data.Entities;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests;

/// <summary>The model reads and writes an adopted June 2025 database as the Python app left it.</summary>
public sealed class StreamVaultDbContextTests
{
    [Fact]
    public async Task Legacy_streamers_read_through_the_context_match_the_rows_in_the_database()
    {
        await using var db = await AdoptedJuneDatabaseAsync();
        var ct = TestContext.Current.CancellationToken;
        var raw = new List<(int, string, string, bool?, DateTime?)>();
        await using (var connection = new NpgsqlConnection(db.ConnectionString))
        {
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand("SELECT id, twitch_id, username, is_live, created_at FROM streamers ORDER BY id", connection);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                raw.Add((reader.GetInt32(0), reader.GetString(1), reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetBoolean(3), reader.IsDBNull(4) ? null : reader.GetDateTime(4)));
            }
        }

        await using var context = StreamVaultDatabase.CreateContext(db.ConnectionString);
        var read = await context.Streamers.OrderBy(s => s.Id)
            .Select(s => new ValueTuple<int, string, string, bool?, DateTime?>(s.Id, s.TwitchId, s.Username, s.IsLive, s.CreatedAt))
            .ToListAsync(ct);

        Assert.NotEmpty(raw);
        Assert.Equal(raw, read);
        Assert.Contains(read, s => s.Item3.Any(c => c > 127));
        Assert.Contains(read, s => s.Item3.Contains('\'', StringComparison.Ordinal));
    }

    [Fact]
    public async Task Legacy_streams_and_settings_load_with_their_nulls_and_paths()
    {
        await using var db = await AdoptedJuneDatabaseAsync();
        var streamCount = await db.ScalarAsync<long>("SELECT count(*) FROM streams");
        var withPath = await db.ScalarAsync<long>("SELECT count(*) FROM streams WHERE recording_path IS NOT NULL");
        var withoutStart = await db.ScalarAsync<long>("SELECT count(*) FROM streams WHERE started_at IS NULL");

        await using var context = StreamVaultDatabase.CreateContext(db.ConnectionString);
        var ct = TestContext.Current.CancellationToken;

        Assert.True(streamCount >= 1000, $"fixture has {streamCount} streams");
        Assert.Equal(streamCount, await context.Streams.LongCountAsync(ct));
        Assert.Equal(withPath, await context.Streams.LongCountAsync(s => s.RecordingPath != null, ct));
        Assert.Equal(withoutStart, await context.Streams.LongCountAsync(s => s.StartedAt == null, ct));
        Assert.Equal(await db.ScalarAsync<long>("SELECT count(*) FROM global_settings"), await context.GlobalSettings.LongCountAsync(ct));
        Assert.Equal(await db.ScalarAsync<long>("SELECT count(*) FROM push_subscriptions"), await context.PushSubscriptions.LongCountAsync(ct));
        Assert.Equal(
            await db.ScalarAsync<string>("SELECT value FROM system_config ORDER BY id LIMIT 1"),
            (await context.SystemConfig.OrderBy(c => c.Id).FirstAsync(ct)).Value);
    }

    [Fact]
    public async Task New_rows_take_keys_from_the_existing_sequences_without_collisions()
    {
        await using var db = await AdoptedJuneDatabaseAsync();
        var maxStreamer = await db.ScalarAsync<int>("SELECT max(id) FROM streamers");
        var maxStream = await db.ScalarAsync<int>("SELECT max(id) FROM streams");
        var ct = TestContext.Current.CancellationToken;

        await using var context = StreamVaultDatabase.CreateContext(db.ConnectionString);
        var streamer = new Streamer { TwitchId = "new-twitch-id", Username = "newcomer" };
        streamer.Streams.Add(new Broadcast { Title = "first", StartedAt = new DateTime(2026, 11, 25, 12, 0, 0, DateTimeKind.Utc) });
        context.Streamers.Add(streamer);
        context.PushSubscriptions.Add(new PushSubscription { Endpoint = "https://push.example/new", SubscriptionData = "{}" });
        context.SystemConfig.Add(new SystemConfigEntry { Key = "new_key", Value = "v" });
        await context.SaveChangesAsync(ct);

        Assert.Equal(maxStreamer + 1, streamer.Id);
        Assert.Equal(maxStream + 1, streamer.Streams.Single().Id);
        Assert.NotNull(await db.ScalarAsync<DateTime?>($"SELECT created_at FROM streamers WHERE id = {streamer.Id}"));
        Assert.True(await db.ScalarAsync<bool>("SELECT is_active FROM push_subscriptions WHERE endpoint = 'https://push.example/new'"));
    }

    [Fact]
    public async Task Deleting_a_streamer_cascades_to_its_streams()
    {
        await using var db = await AdoptedJuneDatabaseAsync();
        var streamerId = await db.ScalarAsync<int>(
            "SELECT s.id FROM streamers s JOIN streams t ON t.streamer_id = s.id GROUP BY s.id ORDER BY count(*) DESC, s.id LIMIT 1");
        var streams = await db.ScalarAsync<long>($"SELECT count(*) FROM streams WHERE streamer_id = {streamerId}");
        var total = await db.ScalarAsync<long>("SELECT count(*) FROM streams");
        var ct = TestContext.Current.CancellationToken;

        await using (var context = StreamVaultDatabase.CreateContext(db.ConnectionString))
        {
            // Dependents are deliberately not loaded: the database's ON DELETE CASCADE does the work.
            await context.Streamers.Where(s => s.Id == streamerId).ExecuteDeleteAsync(ct);
        }

        Assert.True(streams > 0);
        Assert.Equal(0L, await db.ScalarAsync<long>($"SELECT count(*) FROM streams WHERE streamer_id = {streamerId}"));
        Assert.Equal(total - streams, await db.ScalarAsync<long>("SELECT count(*) FROM streams"));
    }

    private static async Task<TestDatabase> AdoptedJuneDatabaseAsync()
    {
        var db = await StartingStates.CreateAsync(StartingStates.June2025);
        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString);
        return db;
    }
}

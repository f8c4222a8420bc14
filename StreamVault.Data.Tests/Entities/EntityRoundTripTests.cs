using Microsoft.EntityFrameworkCore;
using StreamVault.Data.Entities;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Entities;

/// <summary>Every entity writes and reads back unchanged, and the legacy constraints hold, on a freshly migrated database.</summary>
public sealed class EntityRoundTripTests(MigratedDatabaseFixture database) : IClassFixture<MigratedDatabaseFixture>, IAsyncLifetime
{
    public async ValueTask InitializeAsync() => await database.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task A_streamer_with_streams_round_trips_every_value()
    {
        var ct = TestContext.Current.CancellationToken;
        var started = new DateTime(2025, 6, 1, 18, 30, 15, 123, DateTimeKind.Utc);
        await using (var write = StreamVaultDatabase.CreateContext(database.ConnectionString))
        {
            var streamer = new Streamer
            {
                TwitchId = "123456", Username = "ストリーマー O'Brien \\ 🎮", IsLive = true, Title = "Speedrun \"any%\"",
                CategoryName = "Retro", Language = "ja", LastUpdated = started, ProfileImageUrl = null,
            };
            streamer.Streams.Add(new Broadcast
            {
                Title = "Tag 1 — ünïcödé", StartedAt = started, EndedAt = started.AddHours(3), TwitchStreamId = "987",
                RecordingPath = "/recordings/ストリーマー/2025-06-01.mp4",
            });
            write.Streamers.Add(streamer);
            write.GlobalSettings.Add(new GlobalSettings { NotificationsEnabled = false, HttpProxy = "http://proxy:3128" });
            await write.SaveChangesAsync(ct);
        }

        await using var read = StreamVaultDatabase.CreateContext(database.ConnectionString);
        var back = await read.Streamers.Include(s => s.Streams).SingleAsync(ct);
        var stream = Assert.Single(back.Streams);
        Assert.Equal("ストリーマー O'Brien \\ 🎮", back.Username);
        Assert.Equal("Speedrun \"any%\"", back.Title);
        Assert.True(back.IsLive);
        Assert.Null(back.ProfileImageUrl);
        Assert.Equal(started, back.LastUpdated);
        Assert.NotNull(back.CreatedAt);
        Assert.Equal(started.AddHours(3), stream.EndedAt);
        Assert.Equal("/recordings/ストリーマー/2025-06-01.mp4", stream.RecordingPath);
        Assert.Equal("http://proxy:3128", (await read.GlobalSettings.SingleAsync(ct)).HttpProxy);
    }

    [Fact]
    public async Task A_second_streamer_with_the_same_twitch_id_violates_the_legacy_unique_constraint()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var context = StreamVaultDatabase.CreateContext(database.ConnectionString);
        context.Streamers.Add(new Streamer { TwitchId = "dup", Username = "first" });
        await context.SaveChangesAsync(ct);

        await using var other = StreamVaultDatabase.CreateContext(database.ConnectionString);
        other.Streamers.Add(new Streamer { TwitchId = "dup", Username = "second" });
        var failure = await Assert.ThrowsAsync<DbUpdateException>(() => other.SaveChangesAsync(ct));

        Assert.Contains("streamers_twitch_id_key", failure.InnerException!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_subscriptions_and_system_config_keep_their_unique_keys_and_defaults()
    {
        var ct = TestContext.Current.CancellationToken;
        await using (var write = StreamVaultDatabase.CreateContext(database.ConnectionString))
        {
            write.PushSubscriptions.Add(new PushSubscription { Endpoint = "https://push.example/a", SubscriptionData = """{"keys":{}}""" });
            write.SystemConfig.Add(new SystemConfigEntry { Key = "vapid_public_key", Value = "BExample", Description = "VAPID" });
            await write.SaveChangesAsync(ct);
        }

        await using var read = StreamVaultDatabase.CreateContext(database.ConnectionString);
        var subscription = await read.PushSubscriptions.SingleAsync(ct);
        var config = await read.SystemConfig.SingleAsync(ct);
        Assert.True(subscription.IsActive);
        Assert.NotNull(subscription.CreatedAt);
        Assert.NotNull(subscription.UpdatedAt);
        Assert.Equal("BExample", config.Value);
        Assert.NotNull(config.CreatedAt);
        Assert.Equal(1, await read.PushSubscriptions.CountAsync(ct));
    }

    [Fact]
    public async Task Twitch_token_expiry_is_stored_without_time_zone_as_utc_and_read_back_as_utc()
    {
        var ct = TestContext.Current.CancellationToken;
        var utc = new DateTime(2026, 8, 1, 12, 34, 56, 789, DateTimeKind.Utc);
        await using (var write = StreamVaultDatabase.CreateContext(database.ConnectionString))
        {
            write.GlobalSettings.Add(new GlobalSettings { TwitchTokenExpiresAt = utc });
            write.GlobalSettings.Add(new GlobalSettings { TwitchTokenExpiresAt = DateTime.SpecifyKind(utc, DateTimeKind.Unspecified) });
            await write.SaveChangesAsync(ct);
        }

        await using var read = StreamVaultDatabase.CreateContext(database.ConnectionString);
        var back = await read.GlobalSettings.OrderBy(s => s.Id).Select(s => s.TwitchTokenExpiresAt).ToListAsync(ct);
        Assert.Equal([utc, utc], back);
        Assert.All(back, value => Assert.Equal(DateTimeKind.Utc, value!.Value.Kind));
        await using var connection = new Npgsql.NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(ct);
        await using var stored = new Npgsql.NpgsqlCommand("SELECT string_agg(DISTINCT twitch_token_expires_at::text, ',') FROM global_settings", connection);
        Assert.Equal("2026-08-01 12:34:56.789", await stored.ExecuteScalarAsync(ct));
    }

    [Fact]
    public async Task A_streamers_twitch_id_can_be_changed_and_stays_unique()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var context = StreamVaultDatabase.CreateContext(database.ConnectionString);
        var first = new Streamer { TwitchId = "before", Username = "first" };
        context.Streamers.AddRange(first, new Streamer { TwitchId = "taken", Username = "second" });
        await context.SaveChangesAsync(ct);

        first.TwitchId = "after";
        await context.SaveChangesAsync(ct);
        first.TwitchId = "taken";
        var failure = await Assert.ThrowsAsync<DbUpdateException>(() => context.SaveChangesAsync(ct));

        Assert.Contains("streamers_twitch_id_key", failure.InnerException!.Message, StringComparison.Ordinal);
        await using var read = StreamVaultDatabase.CreateContext(database.ConnectionString);
        Assert.Equal(["after", "taken"], await read.Streamers.OrderBy(s => s.TwitchId).Select(s => s.TwitchId).ToListAsync(ct));
    }
}

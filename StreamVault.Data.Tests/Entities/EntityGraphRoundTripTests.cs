using Microsoft.EntityFrameworkCore;
using StreamVault.Data.Entities;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Entities;

/// <summary>
/// Every entity and navigation of the 22 tables: a graph inserted in one SaveChanges, read back through every navigation
/// with every value as written (JSON kept in text columns as written, timestamps in UTC), then deleted from its roots, the
/// rest following by ON DELETE CASCADE. On a database migrated from June 2025 and on one created from empty.
/// </summary>
public sealed class EntityGraphRoundTripTests
{
    public static TheoryData<string> States => new(StartingStates.June2025, StartingStates.Empty);

    private static readonly DateTime Started = new(2026, 8, 2, 18, 30, 15, 123, DateTimeKind.Utc);

    [Theory]
    [MemberData(nameof(States))]
    public async Task A_graph_through_every_navigation_round_trips_and_deletes_by_cascade(string state)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await StartingStates.CreateMigratedAsync(state);
        var counts = await CountsAsync(db);

        await using (var write = StreamVaultDatabase.CreateContext(db.ConnectionString))
        {
            var user = new User { Username = "graph-user ü", Password = "$2b$12$graph" , IsAdmin = true };
            user.Sessions.Add(new Session { Token = "tok-graph" });
            user.ApiKeys.Add(new ApiKey { Name = "monitoring", KeyHash = "sha256-graph", KeyPrefix = "sv_graph" });
            user.NotificationState = new NotificationState { LastReadTimestamp = Started };
            var category = new Category { TwitchId = "graph-509658", Name = "Just Chatting 🎙", BoxArtUrl = "https://x/{width}x{height}.jpg" };
            user.FavoriteCategories.Add(new FavoriteCategory { Category = category });

            var streamer = new Streamer { TwitchId = "graph-1", Username = "graph-streamer" };
            streamer.NotificationSettings = new NotificationSettings { NotifyOffline = false };
            streamer.RecordingSettings = new StreamerRecordingSettings
            {
                Quality = "1080p60", CleanupPolicy = """{"type": "count", "threshold": 10}""", UseGlobalCleanupPolicy = false,
            };
            var stream = new Broadcast { Title = "graph stream", StartedAt = Started, TwitchStreamId = "graph-stream-1" };
            streamer.Streams.Add(stream);
            var recording = new Recording { StartTime = Started, Status = "recording", Path = "/recordings/graph.ts" };
            stream.Recordings.Add(recording);
            stream.ActiveRecordingState = new ActiveRecordingState
            {
                Recording = recording, ProcessId = 4242, ProcessIdentifier = "proc-graph", StreamerName = "graph-streamer",
                StartedAt = Started, TsOutputPath = "/recordings/graph.ts", ConfigJson = """{"quality": "best", "proxy": null}""",
            };
            stream.Events.Add(new StreamEvent { EventType = "stream.online", Title = "graph stream", Timestamp = Started });
            stream.Metadata = new StreamMetadata { ThumbnailPath = "/meta/graph.jpg", Tags = """["日本語","🎮"]""", SegmentsRemoved = true };

            write.Users.Add(user);
            write.Streamers.Add(streamer);
            write.ProxySettings.Add(new ProxySettings { ProxyUrl = "gAAAAABgraph", Priority = 2, Enabled = false });
            write.RecordingSettings.Add(new RecordingSettings { CleanupPolicy = """{"enabled": false, "days_to_keep": 30}""", ProxyHealthCheckIntervalSeconds = 60 });
            write.ShareTokens.Add(new ShareToken { Token = "share-graph", StreamId = 999_999, ExpiresAt = Started.AddDays(1) });
            await write.SaveChangesAsync(ct);
            write.RecordingProcessingStates.Add(new RecordingProcessingState
            {
                RecordingId = recording.Id, StreamId = stream.Id, StreamerId = streamer.Id, Mp4RemuxStatus = "done", TaskIdsJson = """{"remux": "t-1"}""",
            });
            if (!await write.SystemState.AnyAsync(ct))
            {
                write.SystemState.Add(new SystemState { WelcomeCompleted = true, WelcomeCompletedAt = Started });
            }

            await write.SaveChangesAsync(ct);
        }

        await using (var read = StreamVaultDatabase.CreateContext(db.ConnectionString))
        {
            var user = await read.Users
                .Include(u => u.Sessions).Include(u => u.ApiKeys).Include(u => u.NotificationState)
                .Include(u => u.FavoriteCategories).ThenInclude(f => f.Category)
                .SingleAsync(u => u.Username == "graph-user ü", ct);
            Assert.True(user.IsAdmin);
            Assert.NotNull(user.CreatedAt);
            var session = Assert.Single(user.Sessions);
            Assert.Equal(TimeSpan.FromHours(24), session.ExpiresAt - session.CreatedAt);
            Assert.Equal("sv_graph", Assert.Single(user.ApiKeys).KeyPrefix);
            Assert.Equal(Started, user.NotificationState!.LastReadTimestamp);
            Assert.Equal(DateTimeKind.Utc, user.NotificationState.LastReadTimestamp!.Value.Kind);
            var favorite = Assert.Single(user.FavoriteCategories);
            Assert.Equal("Just Chatting 🎙", favorite.Category!.Name);
            Assert.Equal(favorite.Id, Assert.Single((await read.Categories.Include(c => c.Favorites).SingleAsync(c => c.TwitchId == "graph-509658", ct)).Favorites).Id);

            var streamer = await read.Streamers
                .Include(s => s.NotificationSettings).Include(s => s.RecordingSettings)
                .Include(s => s.Streams).ThenInclude(b => b.Recordings).ThenInclude(r => r.ActiveStates)
                .Include(s => s.Streams).ThenInclude(b => b.Events)
                .Include(s => s.Streams).ThenInclude(b => b.Metadata)
                .Include(s => s.Streams).ThenInclude(b => b.ActiveRecordingState)
                .SingleAsync(s => s.TwitchId == "graph-1", ct);
            Assert.False(streamer.NotificationSettings!.NotifyOffline);
            Assert.True(streamer.NotificationSettings.NotifyOnline);
            Assert.Equal("""{"type": "count", "threshold": 10}""", streamer.RecordingSettings!.CleanupPolicy);
            Assert.False(streamer.RecordingSettings.UseGlobalCleanupPolicy);
            Assert.True(streamer.RecordingSettings.Enabled);
            var stream = Assert.Single(streamer.Streams);
            var recording = Assert.Single(stream.Recordings);
            Assert.Equal(Started, recording.StartTime);
            Assert.Equal(DateTimeKind.Utc, recording.StartTime.Kind);
            Assert.Same(stream.ActiveRecordingState, Assert.Single(recording.ActiveStates));
            Assert.Equal("""{"quality": "best", "proxy": null}""", stream.ActiveRecordingState!.ConfigJson);
            Assert.Equal("recording", stream.ActiveRecordingState.Status);
            Assert.Equal("best", stream.ActiveRecordingState.Quality);
            Assert.Equal(Started, Assert.Single(stream.Events).Timestamp);
            Assert.Equal("""["日本語","🎮"]""", stream.Metadata!.Tags);
            Assert.True(stream.Metadata.SegmentsRemoved);
            Assert.False(stream.Metadata.Mature);

            var proxy = await read.ProxySettings.SingleAsync(p => p.ProxyUrl == "gAAAAABgraph", ct);
            Assert.False(proxy.Enabled);
            Assert.Equal("unknown", proxy.HealthStatus);
            Assert.NotEqual(default, proxy.CreatedAt);
            var settings = await read.RecordingSettings.OrderByDescending(r => r.Id).FirstAsync(ct);
            Assert.Equal("""{"enabled": false, "days_to_keep": 30}""", settings.CleanupPolicy);
            Assert.Equal(60, settings.ProxyHealthCheckIntervalSeconds);
            Assert.Equal(3, settings.ProxyMaxConsecutiveFailures);
            Assert.Equal("/recordings", settings.OutputDirectory);
            var processing = await read.RecordingProcessingStates.SingleAsync(p => p.RecordingId == recording.Id, ct);
            Assert.Equal("done", processing.Mp4RemuxStatus);
            Assert.Equal("pending", processing.Mp4ValidationStatus);
            Assert.Equal(Started.AddDays(1), (await read.ShareTokens.SingleAsync(t => t.Token == "share-graph", ct)).ExpiresAt);
            Assert.Equal(1, (await read.SystemState.SingleAsync(ct)).Id);
        }

        await using (var delete = StreamVaultDatabase.CreateContext(db.ConnectionString))
        {
            // June 2025's favourites keys have no ON DELETE: EF deletes the tracked favourite itself, the server the rest.
            delete.Users.Remove(await delete.Users.Include(u => u.FavoriteCategories).SingleAsync(u => u.Username == "graph-user ü", ct));
            delete.Streamers.Remove(await delete.Streamers.SingleAsync(s => s.TwitchId == "graph-1", ct));
            delete.Categories.Remove(await delete.Categories.SingleAsync(c => c.TwitchId == "graph-509658", ct));
            delete.ProxySettings.Remove(await delete.ProxySettings.SingleAsync(p => p.ProxyUrl == "gAAAAABgraph", ct));
            delete.RecordingSettings.Remove(await delete.RecordingSettings.OrderByDescending(r => r.Id).FirstAsync(ct));
            delete.ShareTokens.Remove(await delete.ShareTokens.SingleAsync(t => t.Token == "share-graph", ct));
            delete.RecordingProcessingStates.RemoveRange(await delete.RecordingProcessingStates.Where(p => p.Mp4RemuxStatus == "done").ToListAsync(ct));
            await delete.SaveChangesAsync(ct);
        }

        // Every table is back to its rows before the graph (system_state keeps the singleton the graph may have added).
        var after = await CountsAsync(db);
        Assert.Equal(counts.Where(c => c.Key != "system_state"), after.Where(c => c.Key != "system_state"));
    }

    private static async Task<Dictionary<string, long>> CountsAsync(TestDatabase db)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in SchemaFingerprint.ModelTables)
        {
            counts[table] = await db.ScalarAsync<long>($"SELECT count(*) FROM {Sql.Identifier(table)}");
        }

        return counts;
    }
}

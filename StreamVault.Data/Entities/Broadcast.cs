namespace StreamVault.Data.Entities;

/// <summary>
/// One broadcast of a streamer (table <c>streams</c>); not called <c>Stream</c>, which would collide
/// with <see cref="System.IO.Stream"/> wherever both are in scope.
/// </summary>
public class Broadcast
{
    public int Id { get; set; }
    public int StreamerId { get; set; }
    public Streamer? Streamer { get; set; }
    public string? Title { get; set; }
    public string? CategoryName { get; set; }
    public string? Language { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? EndedAt { get; set; }

    /// <summary>Unique where set (<c>ix_streams_twitch_stream_id</c>): one recording per Twitch stream.</summary>
    public string? TwitchStreamId { get; set; }
    public string? RecordingPath { get; set; }
    public int? EpisodeNumber { get; set; }
    public DateTime? CreatedAt { get; set; }
    public ICollection<Recording> Recordings { get; } = [];
    public ICollection<StreamEvent> Events { get; } = [];
    public StreamMetadata? Metadata { get; set; }
    public ActiveRecordingState? ActiveRecordingState { get; set; }
}

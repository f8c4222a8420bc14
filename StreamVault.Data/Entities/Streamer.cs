namespace StreamVault.Data.Entities;

/// <summary>A Twitch channel StreamVault watches (table <c>streamers</c>).</summary>
public class Streamer
{
    public int Id { get; set; }
    public required string TwitchId { get; set; }
    public required string Username { get; set; }

    /// <summary>Null leaves it to the server default (false).</summary>
    public bool? IsLive { get; set; }
    public string? Title { get; set; }
    public string? CategoryName { get; set; }
    public string? Language { get; set; }
    public DateTime? LastUpdated { get; set; }
    public string? ProfileImageUrl { get; set; }
    public string? OriginalProfileImageUrl { get; set; }

    /// <summary>Null leaves it to the server default (false).</summary>
    public bool? IsFavorite { get; set; }

    /// <summary>Null leaves it to the server default (false).</summary>
    public bool? AutoRecord { get; set; }
    public DateTime? CreatedAt { get; set; }
    public string? LastStreamTitle { get; set; }
    public string? LastStreamCategoryName { get; set; }
    public int? LastStreamViewerCount { get; set; }
    public DateTime? LastStreamEndedAt { get; set; }
    public bool IsTestData { get; set; }
    public string? Description { get; set; }
    public string? OfflineImageUrl { get; set; }
    public string? OriginalOfflineImageUrl { get; set; }
    public ICollection<Broadcast> Streams { get; } = [];
    public NotificationSettings? NotificationSettings { get; set; }
    public StreamerRecordingSettings? RecordingSettings { get; set; }
}

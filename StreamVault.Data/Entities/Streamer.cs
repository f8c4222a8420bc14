namespace StreamVault.Data.Entities;

/// <summary>A Twitch channel StreamVault watches (table <c>streamers</c>).</summary>
public class Streamer
{
    public int Id { get; set; }
    public required string TwitchId { get; set; }
    public required string Username { get; set; }
    public bool? IsLive { get; set; }
    public string? Title { get; set; }
    public string? CategoryName { get; set; }
    public string? Language { get; set; }
    public DateTime? LastUpdated { get; set; }
    public string? ProfileImageUrl { get; set; }
    public string? OriginalProfileImageUrl { get; set; }
    public DateTime? CreatedAt { get; set; }
    public ICollection<Broadcast> Streams { get; } = [];
}

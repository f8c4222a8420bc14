namespace StreamVault.Data.Entities;

/// <summary>A Twitch event of a stream: online, offline, title or category change (table <c>stream_events</c>).</summary>
public class StreamEvent
{
    public int Id { get; set; }
    public int? StreamId { get; set; }
    public Broadcast? Stream { get; set; }
    public required string EventType { get; set; }
    public string? Title { get; set; }
    public string? CategoryName { get; set; }
    public string? Language { get; set; }
    public DateTime? Timestamp { get; set; }
}

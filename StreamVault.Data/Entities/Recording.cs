namespace StreamVault.Data.Entities;

/// <summary>One recording of a stream (table <c>recordings</c>).</summary>
public class Recording
{
    public int Id { get; set; }
    public int StreamId { get; set; }
    public Broadcast? Stream { get; set; }
    public DateTime StartTime { get; set; }
    public DateTime? EndTime { get; set; }
    public required string Status { get; set; }
    public int? Duration { get; set; }
    public string? Path { get; set; }
    public DateTime? CreatedAt { get; set; }
    public string? ErrorMessage { get; set; }
    public string? FailureReason { get; set; }
    public DateTime? FailureTimestamp { get; set; }
    public ICollection<ActiveRecordingState> ActiveStates { get; } = [];
}

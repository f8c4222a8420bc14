namespace StreamVault.Data.Entities;

/// <summary>When a user last read and cleared notifications (table <c>notification_state</c>, one row per user).</summary>
public class NotificationState
{
    public int Id { get; set; }
    public int UserId { get; set; }
    public User? User { get; set; }
    public DateTime? LastReadTimestamp { get; set; }
    public DateTime? LastClearedTimestamp { get; set; }
    public DateTime? CreatedAt { get; set; }
    public DateTime? UpdatedAt { get; set; }
}

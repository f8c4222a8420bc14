namespace StreamVault.Data.Entities;

/// <summary>A browser's Web Push subscription for PWA notifications (table <c>push_subscriptions</c>).</summary>
public class PushSubscription
{
    public int Id { get; set; }
    public required string Endpoint { get; set; }
    public required string SubscriptionData { get; set; }
    public string? UserAgent { get; set; }
    public bool IsActive { get; set; } = true;
    public DateTime? CreatedAt { get; set; }
    public DateTime? UpdatedAt { get; set; }
    public string? P256dhKey { get; set; }
    public string? AuthKey { get; set; }
    public DateTime? LastUsed { get; set; }
}

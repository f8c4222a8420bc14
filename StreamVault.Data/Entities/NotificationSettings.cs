namespace StreamVault.Data.Entities;

/// <summary>Which notifications a streamer triggers (table <c>notification_settings</c>, one row per streamer).</summary>
public class NotificationSettings
{
    public int Id { get; set; }
    public int StreamerId { get; set; }
    public Streamer? Streamer { get; set; }

    /// <summary>Null leaves it to the server default (true), as for the other three flags.</summary>
    public bool? NotifyOnline { get; set; }
    public bool? NotifyOffline { get; set; }
    public bool? NotifyUpdate { get; set; }
    public bool? NotifyFavoriteCategory { get; set; }
    public DateTime? CreatedAt { get; set; }
}

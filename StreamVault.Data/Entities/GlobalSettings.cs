namespace StreamVault.Data.Entities;

/// <summary>Application-wide notification and proxy settings (table <c>global_settings</c>).</summary>
public class GlobalSettings
{
    public int Id { get; set; }
    public string? NotificationUrl { get; set; }
    public bool? NotificationsEnabled { get; set; }
    public bool? NotifyOnlineGlobal { get; set; }
    public bool? NotifyOfflineGlobal { get; set; }
    public bool? NotifyUpdateGlobal { get; set; }
    public bool? NotifyFavoriteCategoryGlobal { get; set; }
    public string? HttpProxy { get; set; }
    public string? HttpsProxy { get; set; }
}

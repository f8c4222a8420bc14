namespace StreamVault.Data.Entities;

/// <summary>Application-wide notification, recording, proxy and Twitch settings (table <c>global_settings</c>).</summary>
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
    public string SupportedCodecs { get; set; } = "h264,h265";
    public bool PreferHigherQuality { get; set; } = true;
    public bool? NotifyRecordingStarted { get; set; }
    public bool? NotifyRecordingFailed { get; set; }
    public bool? NotifyRecordingCompleted { get; set; }
    public string? ProxyEncryptionKey { get; set; }
    public string? TwitchRefreshToken { get; set; }

    /// <summary>
    /// UTC, stored as <c>timestamp without time zone</c> as the app created it: written in UTC whatever the
    /// Kind, read back with Kind Utc.
    /// </summary>
    public DateTime? TwitchTokenExpiresAt { get; set; }
    public string? TwitchAccessToken { get; set; }
}

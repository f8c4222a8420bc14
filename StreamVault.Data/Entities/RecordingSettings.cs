namespace StreamVault.Data.Entities;

/// <summary>Application-wide recording settings (table <c>recording_settings</c>, one row).</summary>
public class RecordingSettings
{
    public int Id { get; set; }

    /// <summary>Null leaves it to the server default, as for every nullable column here that has one.</summary>
    public bool? Enabled { get; set; }
    public string? OutputDirectory { get; set; }
    public string? FilenameTemplate { get; set; }
    public string? DefaultQuality { get; set; }
    public bool? UseChapters { get; set; }
    public string? FilenamePreset { get; set; }
    public bool? UseCategoryAsChapterTitle { get; set; }
    public int? MaxStreamsPerStreamer { get; set; }

    /// <summary>JSON (or the legacy <c>keep_all</c>), kept as the app wrote it.</summary>
    public string? CleanupPolicy { get; set; }
    public bool EnableProxy { get; set; } = true;
    public bool ProxyHealthCheckEnabled { get; set; } = true;
    public int ProxyHealthCheckIntervalSeconds { get; set; } = 300;
    public int ProxyMaxConsecutiveFailures { get; set; } = 3;
    public bool FallbackToDirectConnection { get; set; } = true;
}

namespace StreamVault.Data.Entities;

/// <summary>A streamer's own recording settings (table <c>streamer_recording_settings</c>, one row per streamer).</summary>
public class StreamerRecordingSettings
{
    public int Id { get; set; }
    public int StreamerId { get; set; }
    public Streamer? Streamer { get; set; }

    /// <summary>Null leaves it to the server default (true).</summary>
    public bool? Enabled { get; set; }

    /// <summary>Null leaves it to the server default (<c>best</c>).</summary>
    public string? Quality { get; set; }
    public string? CustomFilename { get; set; }
    public int? MaxStreams { get; set; }

    /// <summary>JSON, kept as the app wrote it.</summary>
    public string? CleanupPolicy { get; set; }
    public DateTime? CreatedAt { get; set; }
    public DateTime? UpdatedAt { get; set; }
    public bool UseGlobalCleanupPolicy { get; set; } = true;
    public string? SupportedCodecs { get; set; }
}

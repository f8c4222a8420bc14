namespace StreamVault.Data.Entities;

/// <summary>
/// Post-processing progress of one recording (table <c>recording_processing_state</c>). The app's database has no
/// foreign keys on it (only its ORM declares them), so the ids are plain columns here too.
/// </summary>
public class RecordingProcessingState
{
    public int Id { get; set; }

    /// <summary>Unique (<c>ix_rps_recording_id</c>).</summary>
    public int RecordingId { get; set; }
    public int StreamId { get; set; }
    public int StreamerId { get; set; }
    public string MetadataStatus { get; set; } = "pending";
    public string ChaptersStatus { get; set; } = "pending";
    public string Mp4RemuxStatus { get; set; } = "pending";
    public string Mp4ValidationStatus { get; set; } = "pending";
    public string ThumbnailStatus { get; set; } = "pending";
    public string CleanupStatus { get; set; } = "pending";
    public string? LastError { get; set; }

    /// <summary>JSON, kept as the app wrote it.</summary>
    public string? TaskIdsJson { get; set; }
    public DateTime? CreatedAt { get; set; }

    /// <summary>Set by the trigger <c>update_recording_processing_state_updated_at</c> on every update.</summary>
    public DateTime? UpdatedAt { get; set; }
}

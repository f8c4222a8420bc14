namespace StreamVault.Data.Entities;

/// <summary>A recording in progress, kept so a restarted app can resume or clean it up (table <c>active_recordings_state</c>).</summary>
public class ActiveRecordingState
{
    public int Id { get; set; }

    /// <summary>Unique (<c>active_recordings_state_stream_id_key</c>): one recording process per stream.</summary>
    public int StreamId { get; set; }
    public Broadcast? Stream { get; set; }
    public int RecordingId { get; set; }
    public Recording? Recording { get; set; }
    public int ProcessId { get; set; }
    public required string ProcessIdentifier { get; set; }
    public required string StreamerName { get; set; }
    public DateTime StartedAt { get; set; }
    public required string TsOutputPath { get; set; }

    /// <summary>Null leaves it to the server default (false).</summary>
    public bool? ForceMode { get; set; }

    /// <summary>Null leaves it to the server default (<c>best</c>).</summary>
    public string? Quality { get; set; }

    /// <summary>Null leaves it to the server default (<c>recording</c>).</summary>
    public string? Status { get; set; }
    public DateTime? LastHeartbeat { get; set; }

    /// <summary>JSON, kept as the app wrote it.</summary>
    public string? ConfigJson { get; set; }
    public DateTime? CreatedAt { get; set; }
    public DateTime? UpdatedAt { get; set; }
}

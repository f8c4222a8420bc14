namespace StreamVault.Data.Entities;

/// <summary>Files and figures of one recorded stream (table <c>stream_metadata</c>, one row per stream).</summary>
public class StreamMetadata
{
    public int Id { get; set; }

    /// <summary>Nullable: the June 2025 release allowed it. Unique (<c>stream_metadata_stream_id_key</c>).</summary>
    public int? StreamId { get; set; }
    public Broadcast? Stream { get; set; }
    public string? ThumbnailPath { get; set; }
    public string? ThumbnailUrl { get; set; }
    public string? NfoPath { get; set; }
    public string? JsonPath { get; set; }
    public string? ChaptersVttPath { get; set; }
    public string? ChaptersSrtPath { get; set; }
    public string? ChaptersFfmpegPath { get; set; }
    public int? AvgViewers { get; set; }
    public int? MaxViewers { get; set; }
    public int? FollowerCount { get; set; }
    public string? Tags { get; set; }

    /// <summary>Null leaves it to the server default (false).</summary>
    public bool? Mature { get; set; }
    public string? OriginalLanguage { get; set; }
    public string? OriginalTitle { get; set; }
    public string? OriginalCategory { get; set; }
    public DateTime? CreatedAt { get; set; }
    public DateTime? UpdatedAt { get; set; }
    public string? ChaptersXmlPath { get; set; }
    public string? TvshowNfoPath { get; set; }
    public string? SeasonNfoPath { get; set; }
    public string? SegmentsDirPath { get; set; }

    /// <summary>Null leaves it to the server default (false).</summary>
    public bool? SegmentsRemoved { get; set; }
}

using StreamVault.Data.Entities;

namespace StreamVault.Data.Tests.Design;

/// <summary>The new entity of the test changes: a chapter of a recorded stream (table <c>stream_chapters</c>).</summary>
public sealed class Chapter
{
    public int Id { get; set; }
    public int StreamId { get; set; }
    public Broadcast? Stream { get; set; }
    public required string Title { get; set; }
    public int StartsAtSeconds { get; set; }
    public DateTime? CreatedAt { get; set; }
}

namespace StreamVault.Data.Entities;

/// <summary>
/// A link that shares one stream's recording (table <c>share_tokens</c>). The app's database has no foreign key on
/// <c>stream_id</c>, so a token may outlive its stream.
/// </summary>
public class ShareToken
{
    public int Id { get; set; }

    /// <summary>Unique (<c>share_tokens_token_key</c>).</summary>
    public required string Token { get; set; }
    public int StreamId { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? CreatedAt { get; set; }
}

namespace StreamVault.Data.Entities;

/// <summary>A signed-in browser session (table <c>sessions</c>).</summary>
public class Session
{
    public int Id { get; set; }

    /// <summary>Nullable: the June 2025 release allowed sessions without a user.</summary>
    public int? UserId { get; set; }
    public User? User { get; set; }

    /// <summary>Unique (<c>sessions_token_key</c>).</summary>
    public required string Token { get; set; }

    /// <summary>
    /// Null leaves it to the server default (24 hours after the insert). Sessions of releases before July 2025 have
    /// none: the app never reads it.
    /// </summary>
    public DateTime? ExpiresAt { get; set; }
    public DateTime? CreatedAt { get; set; }
}

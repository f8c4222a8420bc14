namespace StreamVault.Data.Entities;

/// <summary>A user's long-lived API key; only its SHA-256 hash is stored (table <c>api_keys</c>).</summary>
public class ApiKey
{
    public int Id { get; set; }
    public int UserId { get; set; }
    public User? User { get; set; }
    public required string Name { get; set; }

    /// <summary>Unique (<c>api_keys_key_hash_key</c>).</summary>
    public required string KeyHash { get; set; }

    /// <summary>The first characters of the raw key, shown in the UI (at most 12).</summary>
    public required string KeyPrefix { get; set; }
    public DateTime? CreatedAt { get; set; }
    public DateTime? LastUsedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
}

namespace StreamVault.Data.Entities;

/// <summary>A persistent system-wide key/value, such as the VAPID keys (table <c>system_config</c>).</summary>
public class SystemConfigEntry
{
    public int Id { get; set; }
    public required string Key { get; set; }

    /// <summary>Nullable since the app's 2025-07 releases.</summary>
    public string? Value { get; set; }
    public string? Description { get; set; }
    public DateTime? CreatedAt { get; set; }
    public DateTime? UpdatedAt { get; set; }
}

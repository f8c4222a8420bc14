namespace StreamVault.Data.Entities;

/// <summary>One proxy recordings may go through, with its health (table <c>proxy_settings</c>, one row per proxy).</summary>
public class ProxySettings
{
    public int Id { get; set; }

    /// <summary>Fernet-encrypted by the newest app (key in <c>global_settings.proxy_encryption_key</c>); see <see cref="Fernet"/>.</summary>
    public required string ProxyUrl { get; set; }
    public int Priority { get; set; }
    public bool Enabled { get; set; } = true;
    public DateTime? LastHealthCheck { get; set; }
    public string HealthStatus { get; set; } = "unknown";
    public int ConsecutiveFailures { get; set; }
    public int? AverageResponseTimeMs { get; set; }
    public int TotalRecordings { get; set; }
    public int FailedRecordings { get; set; }
    public double? SuccessRate { get; set; }

    /// <summary>Left unset (default), the server sets it.</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>Left unset (default), the server sets it.</summary>
    public DateTime UpdatedAt { get; set; }
}

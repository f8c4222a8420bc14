namespace StreamVault.Data;

/// <summary>Knobs of <see cref="StreamVaultDatabase.Configure"/> shared by every entry point.</summary>
public sealed record StreamVaultDataOptions
{
    /// <summary>Assembly holding the migrations; null means this one. Tests point it at test-only migrations.</summary>
    public string? MigrationsAssembly { get; init; }

    /// <summary>Command timeout in seconds for EF commands; null keeps Npgsql's default (30 s).</summary>
    public int? CommandTimeoutSeconds { get; init; }
}

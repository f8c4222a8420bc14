namespace StreamVault.Data;

/// <summary>
/// What the app does with its database at startup (<see cref="StreamVaultHostingExtensions.AddStreamVaultMigrations"/>).
/// How long a run waits for another replica's is the engine's <see cref="StreamVaultDataOptions.RunLockDeadline"/>,
/// set once, where the data options are.
/// </summary>
public sealed class StreamVaultMigrationOptions
{
    /// <summary>How often to try reaching the database before giving up (the first try included).</summary>
    public int ConnectAttempts { get; set; } = 5;

    /// <summary>Wait after the first failed try; each later wait is this times the attempt number (2 s, 4 s, 6 s, ...).</summary>
    public TimeSpan ConnectRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>What a failed run (or an unreachable database) does to startup.</summary>
    public MigrationFailurePolicy FailurePolicy { get; set; } = MigrationFailurePolicy.Stop;
}

/// <summary>What startup does when the migration run fails or the database cannot be reached.</summary>
public enum MigrationFailurePolicy
{
    /// <summary>Startup throws the failure, so the app never serves on a half-migrated schema.</summary>
    Stop,

    /// <summary>The failure is logged and recorded, the health check reports it, and the app starts anyway.</summary>
    Continue,
}

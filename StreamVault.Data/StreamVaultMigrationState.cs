namespace StreamVault.Data;

/// <summary>Outcome of this process's last startup migration run, for the health check.</summary>
public sealed class StreamVaultMigrationState
{
    private volatile StreamVaultMigrationResult? _last;

    /// <summary>Null until a run finished (successfully or not).</summary>
    public StreamVaultMigrationResult? LastRun => _last;

    internal void Record(StreamVaultMigrationResult result) => _last = result;
}

/// <summary>One run: the migrations it applied, and the migration and error that stopped it, if any.</summary>
public sealed record StreamVaultMigrationResult(
    IReadOnlyList<string> Applied, string? FailedMigration, string? Error, DateTimeOffset FinishedAt)
{
    /// <summary>The run finished without an error.</summary>
    public bool Succeeded => Error is null;
}

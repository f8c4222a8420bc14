namespace StreamVault.Data;

/// <summary>
/// Observes a migration run as it happens. A migration has finished when the next one starts or when
/// <c>MigrateAsync</c> returns; when it throws, the migration that started last is the one that failed.
/// </summary>
public interface IMigrationProgress
{
    /// <summary>EF is about to apply (or revert) <paramref name="migrationId"/>.</summary>
    void MigrationStarting(string migrationId, bool reverting);

    /// <summary>The run found every migration applied (the engine's no-op fast path, or nothing between here and the target).</summary>
    void NothingToApply();
}

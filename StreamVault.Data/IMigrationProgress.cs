namespace StreamVault.Data;

/// <summary>
/// Observes a migration run as it happens. A migration has finished when the next one starts or when
/// <c>MigrateAsync</c> returns; when it throws, the migration that started last is the one that failed.
/// The calls after <see cref="MigrationStarting"/> concern the migration that started last; they have empty default
/// bodies, so an implementation listens only to what it shows. <see cref="IndexBuild"/> comes from another thread.
/// </summary>
public interface IMigrationProgress
{
    /// <summary>EF is about to apply (or revert) <paramref name="migrationId"/>.</summary>
    void MigrationStarting(string migrationId, bool reverting);

    /// <summary>The run found every migration applied (the engine's no-op fast path, or nothing between here and the target).</summary>
    void NothingToApply();

    /// <summary>
    /// The migration that started last is recorded without running its SQL, its objects being present (a migration the
    /// StreamVault app applied). <paramref name="appliedByAppAt"/> is when the app's ledger row says it applied it; null
    /// when the app left no row (its objects came from elsewhere, e.g. the app's create_all).
    /// </summary>
    void MigrationAdopted(string migrationId, DateTimeOffset? appliedByAppAt)
    {
    }

    /// <summary>
    /// Before the statements of the migration that started last run: <paramref name="skipped"/> of its
    /// <paramref name="statements"/> will change nothing, their objects being present (decided from the catalog, as
    /// <c>streamvault-db plan</c> decides it). Not called for an adopted migration.
    /// </summary>
    void StatementsSkipped(string migrationId, int skipped, int statements)
    {
    }

    /// <summary>How a concurrent index build of the migration that started last is getting on: about once a second while it runs.</summary>
    void IndexBuild(IndexBuildProgress progress)
    {
    }
}

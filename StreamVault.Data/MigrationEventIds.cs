namespace StreamVault.Data;

/// <summary>
/// Event ids of the engine's and the ledger's log events: a public contract, so a host (the CLI, an app's log
/// filter) can pick out progress and notices without sharing numbers by convention.
/// </summary>
public static class MigrationEventIds
{
    /// <summary>Information: every migration applied and the ledger in agreement; the run did nothing (one statement, no lock).</summary>
    public const int UpToDate = 2001;

    /// <summary>Information: another session holds the run lock; names it. Repeated every 5 s while waiting.</summary>
    public const int WaitingForRunLock = 2002;

    /// <summary>Debug: the run lock was acquired, with how long it took.</summary>
    public const int RunLockAcquired = 2003;

    /// <summary>Warning: a step timed out waiting for a table lock and will be retried; names the lock holders.</summary>
    public const int LockTimeoutRetry = 2004;

    /// <summary>Information: a released migration was recorded without running, its objects being present.</summary>
    public const int Adopted = 2005;

    /// <summary>Warning: the run was cancelled during a migration, which rolled back (no failure is recorded).</summary>
    public const int RunCancelled = 2006;

    /// <summary>Information: a concurrent index build's phase and percentage, every 10 s while it runs.</summary>
    public const int IndexBuildProgress = 2007;

    /// <summary>Error: a migration failed and its failure was recorded in <c>applied_migrations</c>.</summary>
    public const int FailureRecorded = 2101;

    /// <summary>Error: a migration failed and recording the failure failed too.</summary>
    public const int FailureNotRecorded = 2102;

    /// <summary>Warning: the run reconciled <c>applied_migrations</c> with EF history; says what it fixed.</summary>
    public const int Reconciled = 2103;

    /// <summary>Error: reverting a migration failed; it stays applied.</summary>
    public const int RevertFailed = 2104;
}

namespace StreamVault.Data.Tests.Infrastructure;

/// <summary>Advisory locks (the run lock) as a test reads them: pg_locks is the whole server's, shared with parallel tests.</summary>
public static class AdvisoryLocks
{
    /// <summary>How many advisory locks are held or awaited in the database the query runs in.</summary>
    public const string InThisDatabase =
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())";
}

using StreamVault.Data.Ledger;
using StreamVault.Data.Migrations;

namespace StreamVault.Data.Engine;

/// <summary>SQL of the run lock, the lock diagnostics and the no-op check.</summary>
internal static class EngineSql
{
    /// <summary>
    /// Advisory lock key of a migration run ("SVmig" in ASCII). Advisory locks are per database, so runs
    /// against different databases of one server never wait for each other.
    /// </summary>
    public const long RunLockKey = 0x53_56_6D_69_67;

    /// <summary>
    /// Run inside the lock connection's READ COMMITTED transaction (see <see cref="RunLock"/>); the lock ends with the
    /// transaction. The SET comes last on purpose: over the extended protocol the SELECT's portal keeps its snapshot
    /// (and so the session's xmin, which a concurrent index build waits for) until another statement replaces it,
    /// and a SET needs no snapshot. It also keeps a server-wide idle_in_transaction_session_timeout from killing the
    /// session while the run builds an index for longer than that.
    /// </summary>
    public static readonly string TryRunLock =
        $"SELECT pg_try_advisory_xact_lock({RunLockKey}); {KeepRunLock}";

    /// <summary>
    /// The lock connection's liveness check, a statement that needs no snapshot (see <see cref="TryRunLock"/>).
    /// </summary>
    public const string KeepRunLock = "SET LOCAL idle_in_transaction_session_timeout = 0";

    /// <summary>The run lock, granted, in this database (a condition on <c>pg_locks l</c>).</summary>
    private static readonly string RunLockGranted = $"""
        l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND l.classid = {RunLockKey >> 32} AND l.objid = {RunLockKey & 0xFFFFFFFF} AND l.objsubid = 1
        """;

    /// <summary>A build's phase and its counters, from <c>pg_stat_progress_create_index p</c> (see <see cref="Data.IndexBuildProgress.PercentOf"/>).</summary>
    private const string BuildCounters = """
        p.phase, coalesce(p.blocks_done, 0), coalesce(p.blocks_total, 0), coalesce(p.tuples_done, 0), coalesce(p.tuples_total, 0),
        coalesce(p.lockers_done, 0), coalesce(p.lockers_total, 0)
        """;

    /// <summary>
    /// The progress of the build of index <c>@index</c> in this database and schema (<see cref="IndexBuildWatch"/>): found by
    /// the index's name, so it works through a pooler whose server sessions are not the client's.
    /// </summary>
    public const string IndexBuildReading = $"""
        SELECT {BuildCounters}
        FROM pg_stat_progress_create_index p
        JOIN pg_class i ON i.oid = p.index_relid
        WHERE p.datid = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND i.relname = @index AND i.relnamespace = current_schema()::regnamespace
        """;

    /// <summary>
    /// One row for the health check: whether some session holds the run lock (a run is in progress), and the first index
    /// build in this database with its index, table and counters (nulls when none).
    /// </summary>
    public static readonly string RunInProgress = $"""
        SELECT EXISTS (SELECT FROM pg_locks l WHERE {RunLockGranted}), b.*
        FROM (SELECT) AS one
        LEFT JOIN LATERAL (
            SELECT coalesce(i.relname, ''), coalesce(t.relname, ''), {BuildCounters}
            FROM pg_stat_progress_create_index p
            LEFT JOIN pg_class i ON i.oid = p.index_relid
            LEFT JOIN pg_class t ON t.oid = p.relid
            WHERE p.datid = (SELECT oid FROM pg_database WHERE datname = current_database())
            ORDER BY p.pid
            LIMIT 1) AS b ON true
        """;

    /// <summary>
    /// Who holds the run lock: pid, application, client, since when, and what it is doing. In this database only: the same
    /// key locks every database's run separately, and pg_locks shows the whole server's.
    /// </summary>
    public static readonly string RunLockHolder = $"""
        SELECT a.pid, coalesce(a.application_name, ''), coalesce(host(a.client_addr), 'local'),
               a.backend_start, coalesce(a.state, ''), left(coalesce(a.query, ''), 200)
        FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE {RunLockGranted}
        """;

    /// <summary>
    /// Sessions holding locks on <paramref name="tables"/> (the model's and the ledgers): after a lock timeout these are the
    /// blockers (the waiting statement is gone by then, so pg_blocking_pids has nothing left to say), named by pid and
    /// application_name. In this database only: relation OIDs repeat across databases (clones of one template share them).
    /// </summary>
    public static string LockHolders(IEnumerable<string> tables) => $"""
        SELECT DISTINCT a.pid, coalesce(a.application_name, ''), coalesce(a.state, ''), a.xact_start, left(coalesce(a.query, ''), 200)
        FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        JOIN pg_class c ON c.oid = l.relation
        WHERE l.granted AND l.pid <> pg_backend_pid() AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND c.relnamespace = current_schema()::regnamespace
          AND c.relname IN ({string.Join(", ", tables.Select(LedgerSql.Literal))})
        ORDER BY a.pid
        """;

    /// <summary>Whether a valid index of this (unquoted, lower-case) name exists in the current schema.</summary>
    public static string ValidIndexExists(string name) => "SELECT " + CatalogSql.ValidIndex(name);

    /// <summary>
    /// One statement deciding whether a run has anything to do: the applied EF ids (one text, a line each), how many history rows
    /// lack a successful ledger row, and whether the ledger has its extra columns. Fails with 42P01 on a
    /// database that has no history table yet, which simply means "not a no-op".
    /// </summary>
    public static string NoOpCheck(HistoryTable history, IEnumerable<LedgerEntry> known)
    {
        ArgumentNullException.ThrowIfNull(history);
        return $"""
            SELECT
                (SELECT coalesce(string_agg(h.{history.MigrationIdColumn}::text, E'\n'), '') FROM {history.Table} h),
                (SELECT count(*) FROM ({LedgerSql.MissingLedgerRows(history, known)}) AS missing),
                ({LedgerSql.CountExtraColumns})
            """;
    }
}

using Microsoft.Extensions.Logging;

namespace StreamVault.Data;

/// <summary>Knobs of <see cref="StreamVaultDatabase.Configure"/> shared by every entry point.</summary>
public sealed record StreamVaultDataOptions
{
    /// <summary>Assembly holding the migrations; null means this one. Tests point it at test-only migrations.</summary>
    public string? MigrationsAssembly { get; init; }

    /// <summary>Command timeout in seconds for EF commands; null keeps Npgsql's default (30 s).</summary>
    public int? CommandTimeoutSeconds { get; init; }

    /// <summary>
    /// How long each transactional migration step may wait for a table lock (<c>SET LOCAL lock_timeout</c>)
    /// before it gives up, lets queued queries through, and retries: about the longest an app query waits behind a run.
    /// A step waits so only while it holds no other table lock (see docs/engine.md, "Never hurting the running app").
    /// </summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Total time a step keeps retrying after lock timeouts before the run fails, naming the blocker.</summary>
    public TimeSpan LockRetryDeadline { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The statement_timeout of every migration and repair step, concurrent index builds included; none by default.
    /// It replaces the role's or database's own statement_timeout for the run's steps, which would otherwise cancel a
    /// step half-way (and leave an INVALID index behind).
    /// </summary>
    public TimeSpan? StatementTimeout { get; init; }

    /// <summary>How long a run waits for another run (another replica) to finish before it fails.</summary>
    public TimeSpan RunLockDeadline { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Whether a run may create the database when it does not exist. Off by default: a typo in <c>Database=</c> must
    /// not yield a new, empty database, so a run refuses with <see cref="MissingDatabaseException"/> instead.
    /// </summary>
    public bool CreateDatabaseIfMissing { get; init; }

    /// <summary>
    /// For an app that does not migrate (no <c>AddStreamVaultMigrations</c>; a Job, an init container or another
    /// replica runs them): when set, the host started with <c>AddStreamVaultData</c> waits up to this long, before any
    /// hosted service starts (the web server included), until the database is at this version's migrations, asking the
    /// engine's one-statement up-to-date check about once a second. A database that does not exist yet or a server that
    /// is not reachable yet is waited for too. When the time is up, host start fails with
    /// <see cref="MigrationWaitTimeoutException"/>. Null (the default) does not wait. An app that migrates at startup
    /// does not wait either: its run already holds start until the database is migrated.
    /// </summary>
    public TimeSpan? WaitForMigrationsTimeout { get; init; }

    /// <summary>
    /// Where EF Core and the engine log; null leaves EF's default (the application's logger factory when the
    /// context comes from dependency injection, none otherwise).
    /// </summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>Told when each migration starts and when a run finds nothing to do (progress output, startup logs).</summary>
    public IMigrationProgress? Progress { get; init; }
}

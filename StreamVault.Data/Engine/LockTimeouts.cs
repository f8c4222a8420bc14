using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace StreamVault.Data.Engine;

/// <summary>
/// The one lock-timeout policy of migrate and repair: each transactional step starts with
/// <c>SET LOCAL lock_timeout</c> (and optionally statement_timeout), so a DDL statement queued behind a long
/// transaction never holds up the app's queries for longer than that; on a lock timeout (55P03), or when the server
/// chose the step as a deadlock victim (40P01: a concurrent index build still running for a killed run waits for the
/// step's transaction while the step waits for the build's table lock), the step is rolled back whole and retried with
/// jittered backoff until <see cref="StreamVaultDataOptions.LockRetryDeadline"/>, naming the sessions in the way each time.
/// </summary>
internal static class LockTimeouts
{
    /// <summary>
    /// The statements that start every transactional step. The engine owns its timeouts: a role's or database's
    /// statement_timeout or idle_in_transaction_session_timeout would otherwise cancel a step half-way, so both are set
    /// here too (statement_timeout to <see cref="StreamVaultDataOptions.StatementTimeout"/>, none by default).
    /// </summary>
    public static string SetLocal(StreamVaultDataOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return string.Create(CultureInfo.InvariantCulture,
            $"SET LOCAL lock_timeout = {Milliseconds(options.LockTimeout)}; SET LOCAL statement_timeout = {StatementTimeoutMilliseconds(options)}; SET LOCAL idle_in_transaction_session_timeout = 0;");
    }

    /// <summary>The statement_timeout of every step in milliseconds, 0 (none) unless <see cref="StreamVaultDataOptions.StatementTimeout"/> is set.</summary>
    public static long StatementTimeoutMilliseconds(StreamVaultDataOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.StatementTimeout is { } timeout ? Math.Max(1, Milliseconds(timeout)) : 0;
    }

    /// <summary>A timeout as PostgreSQL's milliseconds; at least 1, since 0 would mean "no timeout".</summary>
    private static long Milliseconds(TimeSpan timeout) => Math.Max(1, (long)timeout.TotalMilliseconds);

    /// <summary>
    /// Runs <paramref name="step"/> until it neither times out on a lock nor loses a deadlock. <paramref name="retrying"/>
    /// logs each retry (attempt, delay, reason, lock holders); past the deadline a <see cref="MigrationLockException"/> saying
    /// "<paramref name="what"/> could not get its locks within N s; blocked by …" is thrown.
    /// </summary>
    public static async Task<T> RetryAsync<T>(
        Func<Task<T>> step,
        NpgsqlConnection connection,
        IEnumerable<string> tables,
        StreamVaultDataOptions options,
        string what,
        Action<int, TimeSpan, string, string> retrying,
        bool async,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(retrying);
        var clock = Stopwatch.StartNew();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await step();
            }
            catch (Exception wrapped) when (MigrationFailure.ServerError(wrapped) is
                                                { SqlState: PostgresErrorCodes.LockNotAvailable or PostgresErrorCodes.DeadlockDetected } timeout)
            {
                var reason = timeout.SqlState == PostgresErrorCodes.DeadlockDetected
                    ? "was chosen as a deadlock victim"
                    : "timed out waiting for a lock";
                // The waiting statement is gone by now; who holds locks on the tables is what is left to say.
                var blockers = await Sql.DescribeLockHoldersAsync(connection, tables, async, cancellationToken);
                if (clock.Elapsed >= options.LockRetryDeadline)
                {
                    throw new MigrationLockException(string.Create(CultureInfo.InvariantCulture,
                        $"{what} could not get its locks within {options.LockRetryDeadline.TotalSeconds:0} s; blocked by {blockers}"),
                        timeout);
                }

                var delay = Backoff.Delay(attempt, options.LockRetryDeadline - clock.Elapsed);
                retrying(attempt + 1, delay, reason, blockers);
                if (async)
                {
                    await Task.Delay(delay, cancellationToken);
                }
                else
                {
                    Thread.Sleep(delay);
                }
            }
        }
    }
}

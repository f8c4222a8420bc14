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
    /// <summary>The statements that start every transactional step.</summary>
    public static string SetLocal(StreamVaultDataOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = string.Create(CultureInfo.InvariantCulture,
            $"SET LOCAL lock_timeout = {(long)options.LockTimeout.TotalMilliseconds};");
        if (options.StatementTimeout is { } statementTimeout)
        {
            settings += string.Create(CultureInfo.InvariantCulture,
                $" SET LOCAL statement_timeout = {(long)statementTimeout.TotalMilliseconds};");
        }

        return settings;
    }

    /// <summary>
    /// Runs <paramref name="step"/> until it neither times out on a lock nor loses a deadlock. <paramref name="retrying"/>
    /// logs each retry (attempt, delay, reason, lock holders); past the deadline a <see cref="MigrationLockException"/> saying
    /// "<paramref name="what"/> could not get its locks within N s; blocked by …" is thrown.
    /// </summary>
    public static async Task<T> RetryAsync<T>(
        Func<Task<T>> step,
        NpgsqlConnection connection,
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
                var blockers = await Sql.DescribeLockHoldersAsync(connection, async, cancellationToken);
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

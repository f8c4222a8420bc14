using System.Net.Sockets;
using Npgsql;

namespace StreamVault.Data.Engine;

/// <summary>What went wrong in a run, as the ledger, the logs and the health check state it.</summary>
internal static class MigrationFailure
{
    /// <summary>
    /// The server error behind a failure. Npgsql's execution strategy wraps errors it deems transient (a lock
    /// timeout among them) in an InvalidOperationException, so the error may sit further down the chain.
    /// </summary>
    public static PostgresException? ServerError(Exception failure)
    {
        for (var e = failure; e is not null; e = e.InnerException)
        {
            if (e is PostgresException pg)
            {
                return pg;
            }
        }

        return null;
    }

    /// <summary>One line: PostgreSQL's code and message when there is one, never a connection string.</summary>
    public static string Describe(Exception failure)
        => ServerError(failure) is { } pg ? $"{pg.SqlState}: {pg.MessageText}" : failure.Message;

    /// <summary>
    /// Whether <paramref name="failure"/> means the run lost its session rather than that a statement failed: the server
    /// crashed, restarted or failed over, or terminated the session (57P01–57P03, a broken stream). A connection that
    /// could not be opened at all, or a client-side timeout, is not an interruption.
    /// </summary>
    public static bool IsInterruption(Exception failure)
    {
        for (var e = failure; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                // The run lock's own session was lost: that outcome has its own exception and words (RunLock).
                case MigrationLockException:
                    return false;
                case PostgresException pg:
                    return pg.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown
                        or PostgresErrorCodes.CannotConnectNow
                        || pg.SqlState.StartsWith("08", StringComparison.Ordinal);
                case TimeoutException:
                    return false;
                case SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData }:
                    return false;
                case IOException or EndOfStreamException or SocketException:
                    return true;
            }
        }

        return false;
    }

    /// <summary>The one-line reason of an interruption, as the server or the socket gave it.</summary>
    public static string DescribeInterruption(Exception failure)
    {
        for (var e = failure; e is not null; e = e.InnerException)
        {
            if (e is PostgresException pg)
            {
                return $"{pg.SqlState}: {pg.MessageText}";
            }

            if (e is IOException or EndOfStreamException or SocketException)
            {
                // The socket's own words ("Attempted to read past the end of the stream") tell an operator nothing more.
                return "the connection to the server was lost";
            }
        }

        return failure.Message;
    }

    /// <summary>
    /// A run that lost its session as <see cref="MigrationInterruptedException"/>: one line naming the migration that was
    /// running (null: between migrations), what this run completed and kept, and what to do next.
    /// </summary>
    public static MigrationInterruptedException Interrupted(string? migrationId, int appliedBefore, bool startedIndexBuilds, Exception cause)
        => new(DescribeInterruptedRun(migrationId, appliedBefore, startedIndexBuilds, cause), migrationId, appliedBefore, cause);

    private static string DescribeInterruptedRun(string? migrationId, int appliedBefore, bool startedIndexBuilds, Exception cause)
    {
        var reason = DescribeInterruption(cause);
        var plural = appliedBefore == 1 ? "migration" : "migrations";
        if (migrationId is null)
        {
            return appliedBefore == 0
                ? $"migrate was interrupted ({reason}) before any migration ran; nothing was changed. Run migrate again to finish"
                : $"migrate was interrupted ({reason}) after the {appliedBefore} {plural} it applied, which are kept. Run migrate again to finish";
        }

        var kept = appliedBefore == 0 ? "" : $"the {appliedBefore} {plural} this run applied before it {(appliedBefore == 1 ? "is" : "are")} kept; ";
        var builds = startedIndexBuilds ? " (an index build it started may be left INVALID; the next run rebuilds it)" : "";
        return $"migration {migrationId} was interrupted ({reason}): {kept}{migrationId} was rolled back{builds}. Run migrate again to finish";
    }
}

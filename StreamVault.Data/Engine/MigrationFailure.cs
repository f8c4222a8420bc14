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
}

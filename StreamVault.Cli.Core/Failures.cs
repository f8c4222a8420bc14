using System.Net.Sockets;
using System.Security.Authentication;
using Npgsql;
using StreamVault.Data;
using StreamVault.Data.Engine;

namespace StreamVault.Cli;

/// <summary>Maps any failure to an exit code and one line that names the cause but never a password.</summary>
internal static class Failures
{
    /// <summary>
    /// A failed command's report: one line on stderr (plus the stack trace with --verbose) and its exit code;
    /// cancellation (Ctrl+C, SIGTERM) is "cancelled" and exit 1.
    /// </summary>
    public static async Task<int> ReportAsync(TextWriter error, Exception failure, string? connectionString, bool verbose)
    {
        if (failure is OperationCanceledException)
        {
            await error.WriteLineAsync("streamvault-db: cancelled");
            return ExitCodes.MigrationFailed;
        }

        var (exitCode, message) = Describe(failure, connectionString);
        await error.WriteLineAsync($"streamvault-db: {message}");
        if (verbose && failure is not CliException)
        {
            await error.WriteLineAsync(failure.ToString());
        }

        return exitCode;
    }

    public static (int ExitCode, string Message) Describe(Exception failure, string? connectionString)
    {
        if (failure is CliException cli)
        {
            return (cli.ExitCode, cli.Message);
        }

        for (var e = failure; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case MigrationLockException locked:
                    return (ExitCodes.MigrationFailed, locked.Message);
                case MigrationInterruptedException interrupted:
                    return (ExitCodes.Interrupted, interrupted.Message);
                case MissingDatabaseException { Database: { } database, Server: { } server }:
                    return (ExitCodes.CannotConnect,
                        $"database \"{database}\" does not exist on {server}; create it, or pass --create-database to have migrate create it");
                case PostgresException pg when IsConnectionRefusal(pg.SqlState):
                    return (ExitCodes.CannotConnect, pg.MessageText);
                // A migration's own refusal (RAISE EXCEPTION) is a sentence written for the operator; its SQLSTATE adds nothing.
                case PostgresException { SqlState: PostgresErrorCodes.RaiseException } refusal:
                    return (ExitCodes.MigrationFailed, refusal.MessageText);
                case PostgresException pg:
                    return (ExitCodes.MigrationFailed, $"{pg.SqlState}: {pg.MessageText}");
                case NpgsqlException npgsql:
                    return (ExitCodes.CannotConnect, DescribeConnectFailure(npgsql, connectionString));
            }
        }

        return (ExitCodes.MigrationFailed, failure.Message);
    }

    /// <summary>Errors the server raises while accepting a session: login, database, or the server not ready.</summary>
    private static bool IsConnectionRefusal(string sqlState)
        => sqlState.StartsWith("28", StringComparison.Ordinal) // invalid authorization / password
           || sqlState is PostgresErrorCodes.InvalidCatalogName or PostgresErrorCodes.CannotConnectNow
               or PostgresErrorCodes.TooManyConnections;

    private static string DescribeConnectFailure(NpgsqlException failure, string? connectionString)
    {
        var (host, port) = Endpoint(connectionString);
        for (Exception? e = failure; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData }:
                    return $"unknown host {host}";
                case SocketException { SocketErrorCode: SocketError.ConnectionRefused }:
                    return $"cannot connect to {host}:{port}: connection refused";
                case SocketException socket:
                    return $"cannot connect to {host}:{port}: {socket.Message}";
                case TimeoutException:
                    return $"cannot connect to {host}:{port}: timed out";
                // SSL Mode=VerifyCA/VerifyFull: the chain does not end at Root Certificate, or the name is not Host.
                case AuthenticationException:
                    return $"cannot connect to {host}:{port}: the server's TLS certificate was rejected (not issued by the Root Certificate, or not for this host name)";
            }
        }

        return failure.Message;
    }

    private static (string Host, int Port) Endpoint(string? connectionString)
    {
        var target = StreamVaultConnections.Target(connectionString ?? "");
        return (target.Host, target.Port);
    }
}

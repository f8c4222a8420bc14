using StreamVault.Data;
using StreamVault.Cli.Rendering;
using StreamVault.Data.Operations;

namespace StreamVault.Cli;

/// <summary>
/// What <c>migrate</c> (without a target) and <c>status</c> answer without EF Core: migrate's "up to date" and the
/// whole status report, both from the compiled-in list of migrations and one connection. The commands start here,
/// and the native front (StreamVault.Cli.Front) runs this same code to give the very same answers without .NET's JIT
/// (issue #13); whatever needs EF it hands to the full CLI.
/// </summary>
internal static class QuickAnswers
{
    /// <summary>migrate's closing line when nothing was applied.</summary>
    public const string UpToDateLine = "Database is up to date";

    /// <summary>The options a command passes to the engine: its log on stderr and, for migrate, its progress.</summary>
    public static StreamVaultDataOptions DataOptions(TextWriter error, bool verbose, IMigrationProgress? progress = null)
        => new() { LoggerFactory = new ConsoleLog(error, verbose), Progress = progress };

    /// <summary>The operations' options: the engine's, plus their own logger.</summary>
    public static OperationOptions OperationOptions(TextWriter error, bool verbose)
    {
        var data = DataOptions(error, verbose);
        return new OperationOptions { Data = data, Logger = data.LoggerFactory?.CreateLogger("StreamVault.Operations") };
    }

    /// <summary>migrate's first line: which database on which server.</summary>
    public static string MigratingLine(string connectionString) => $"Migrating database {StreamVaultConnections.Target(connectionString)}";

    /// <summary>
    /// migrate without a target, up to the point where EF is needed: writes the first line and, when the database is
    /// up to date (one statement, no lock), the closing line, and returns true; false when the run has work.
    /// </summary>
    public static async Task<bool> MigrateIsNoOpAsync(
        string connectionString, TextWriter output, StreamVaultDataOptions options, CancellationToken cancellationToken)
    {
        await output.WriteLineAsync(MigratingLine(connectionString));
        if (!await StreamVaultUpToDateCheck.IsUpToDateAsync(connectionString, options, cancellationToken))
        {
            return false;
        }

        await output.WriteLineAsync(UpToDateLine);
        return true;
    }

    /// <summary>status: prints the report (text or JSON); exit 4 with <c>--fail-on-pending</c> when a migration is not applied.</summary>
    public static async Task<int> StatusAsync(
        string connectionString, TextWriter output, OperationOptions options, bool json, bool failOnPending, CancellationToken cancellationToken)
    {
        var report = await DatabaseStatus.ReadAsync(connectionString, options, cancellationToken);
        await PrintAsync(output, report, json);
        return failOnPending && report.HasPending ? ExitCodes.CheckFailed : ExitCodes.Ok;
    }

    /// <summary>How every operation's report is printed.</summary>
    public static async Task PrintAsync(TextWriter output, object report, bool json)
        => await output.WriteLineAsync(json ? ReportJson.Render(report) : ReportText.Render(report));

    /// <summary>
    /// The native front's whole answer to <c>status</c> or a target-less <c>migrate</c>, buffered: null when the run needs
    /// the full CLI (the database is not up to date), so that nothing of this attempt shows; otherwise the exit code and
    /// what to print, exactly as the full CLI would.
    /// </summary>
    public static async Task<BufferedAnswer?> AnswerAsync(bool status, string? connection, string? connectionFile, bool json, bool failOnPending)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        string? connectionString = null;
        int exitCode;
        try
        {
            connectionString = ConnectionResolver.Resolve(connection, connectionFile);
            if (status)
            {
                exitCode = await StatusAsync(connectionString, output, OperationOptions(error, verbose: false), json, failOnPending, CancellationToken.None);
            }
            else
            {
                using var progress = new ConsoleProgress(output, error, live: false);
                if (!await MigrateIsNoOpAsync(connectionString, output, DataOptions(error, verbose: false, progress), CancellationToken.None))
                {
                    // Work to do: the full CLI runs it. Our idle connection is closed first rather than dropped by exec.
                    StreamVaultConnections.DataSource(connectionString).Clear();
                    return null;
                }

                exitCode = ExitCodes.Ok;
            }
        }
        catch (Exception failure)
        {
            exitCode = await Failures.ReportAsync(error, failure, connectionString, verbose: false);
        }

        return new BufferedAnswer(exitCode, output.ToString(), error.ToString());
    }
}

/// <summary>A complete answer of the front: its exit code and its stdout and stderr text.</summary>
/// <remarks>A class, not a tuple: async methods over value types are generic code that ReadyToRun leaves to the JIT.</remarks>
internal sealed record BufferedAnswer(int ExitCode, string Output, string Error);

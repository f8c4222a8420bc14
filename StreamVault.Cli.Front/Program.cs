using StreamVault.Cli;
using StreamVault.Cli.Commands;
using StreamVault.Cli.Front;
using StreamVault.Data;

// streamvault-db's native front (issue #13). It runs the full CLI's own code for migrate's no-op and for status
// (QuickAnswers), so their output, exit codes and failure lines are the full CLI's; whenever a run needs more (EF,
// a target, --verbose, anything it does not recognise), it hands the unchanged command line to the full CLI.
Console.OutputEncoding = System.Text.Encoding.UTF8;

if (FrontRequest.Parse(args) is not { } request)
{
    return FullCli.Exec(args);
}

// No signal handlers: Ctrl+C and SIGTERM end the front at once, as they end the full CLI before its engine starts
// (the front only reads). A handler would have to wait for Npgsql, which does not cancel a connection attempt.

// Buffered: when the run turns out to need the full CLI, nothing of this attempt may show.
var output = new StringWriter();
var error = new StringWriter();
string? connectionString = null;
int exitCode;
try
{
    connectionString = ConnectionResolver.Resolve(request.Connection, request.ConnectionFile);
    if (request.Command == FrontRequest.Status)
    {
        exitCode = await QuickAnswers.StatusAsync(
            connectionString, output, QuickAnswers.OperationOptions(error, verbose: false), request.Json, request.FailOnPending, CancellationToken.None);
    }
    else
    {
        using var progress = new ConsoleProgress(output, error);
        if (!await QuickAnswers.MigrateIsNoOpAsync(connectionString, output, QuickAnswers.DataOptions(error, verbose: false, progress), CancellationToken.None))
        {
            // Work to do: the full CLI runs it. Our idle connection is closed first rather than dropped by exec.
            StreamVaultConnections.DataSource(connectionString).Clear();
            return FullCli.Exec(args);
        }

        exitCode = ExitCodes.Ok;
    }
}
catch (Exception failure)
{
    exitCode = await Failures.ReportAsync(error, failure, connectionString, verbose: false);
}

await Console.Out.WriteAsync(output.ToString());
await Console.Error.WriteAsync(error.ToString());
return exitCode;

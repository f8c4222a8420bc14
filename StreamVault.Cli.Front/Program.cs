using StreamVault.Cli;
using StreamVault.Cli.Front;

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
if (await QuickAnswers.AnswerAsync(
        request.Command == FrontRequest.Status, request.Connection, request.ConnectionFile, request.Json, request.FailOnPending) is not { } answer)
{
    return FullCli.Exec(args);
}

await Console.Out.WriteAsync(answer.Output);
await Console.Error.WriteAsync(answer.Error);
return answer.ExitCode;

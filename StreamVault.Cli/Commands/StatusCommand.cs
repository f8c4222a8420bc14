using System.CommandLine;

namespace StreamVault.Cli.Commands;

/// <summary><c>streamvault-db status</c>: every migration, its EF history and ledger rows, and the older history.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var json = OperationOutput.JsonOption();
        var failOnPending = new Option<bool>("--fail-on-pending")
        {
            Description = "Exit 4 when a migration is pending or failed (a deployment gate)",
        };
        var command = new Command("status", "Show applied, pending and failed migrations") { json, failOnPending };
        command.SetAction((parseResult, cancellationToken) => CliSession.RunAsync(parseResult, session => QuickAnswers.StatusAsync(
            session.ConnectionString, session.Out, OperationOutput.Options(session), parseResult.GetValue(json), parseResult.GetValue(failOnPending), cancellationToken)));
        return command;
    }
}

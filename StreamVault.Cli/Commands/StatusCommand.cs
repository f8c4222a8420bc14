using System.CommandLine;
using StreamVault.Data.Operations;

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
        command.SetAction((parseResult, cancellationToken) => CliSession.RunAsync(parseResult, async session =>
        {
            var report = await DatabaseStatus.ReadAsync(session.ConnectionString, OperationOutput.Options(session), cancellationToken);
            await OperationOutput.PrintAsync(session, report, parseResult.GetValue(json));
            return parseResult.GetValue(failOnPending) && report.HasPending ? ExitCodes.CheckFailed : ExitCodes.Ok;
        }));
        return command;
    }
}

using System.CommandLine;
using StreamVault.Data.Operations;

namespace StreamVault.Cli.Commands;

/// <summary>
/// <c>streamvault-db repair</c>: mends what is safe to mend (indexes, constraints, ledger) and says what it won't;
/// <c>repair mark-applied &lt;migration&gt;</c>: the old guide's manual recovery, only when the objects exist.
/// </summary>
internal static class RepairCommand
{
    public static Command Create()
    {
        var json = OperationOutput.JsonOption();
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the SQL it would run, change nothing" };
        var command = new Command("repair", "Rebuild invalid or missing indexes, re-create missing constraints, reconcile the ledger")
        {
            json, dryRun, MarkApplied(),
        };
        command.SetAction((parseResult, cancellationToken) => CliSession.RunAsync(parseResult, async session =>
        {
            var report = await SchemaRepair.RepairAsync(
                session.ConnectionString, parseResult.GetValue(dryRun), OperationOutput.Options(session), cancellationToken);
            await OperationOutput.PrintAsync(session, report, parseResult.GetValue(json));
            return !report.Succeeded ? ExitCodes.MigrationFailed : report.IsClean ? ExitCodes.Ok : ExitCodes.CheckFailed;
        }));
        return command;
    }

    private static Command MarkApplied()
    {
        var migration = new Argument<string>("migration") { Description = "EF id, ledger name or name of the migration" };
        var force = new Option<bool>("--force") { Description = "Record it even though its objects are missing or differ" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the SQL it would run, change nothing" };
        var json = OperationOutput.JsonOption();
        var command = new Command("mark-applied", "Record a migration as applied without running it (only when its objects exist)")
        {
            migration, force, dryRun, json,
        };
        command.SetAction((parseResult, cancellationToken) => CliSession.RunAsync(parseResult, async session =>
        {
            MarkAppliedReport report;
            try
            {
                report = await SchemaRepair.MarkAppliedAsync(
                    session.ConnectionString, parseResult.GetValue(migration)!, parseResult.GetValue(force), parseResult.GetValue(dryRun),
                    OperationOutput.Options(session), cancellationToken);
            }
            catch (ArgumentException unknown) when (unknown.ParamName == "migration")
            {
                throw new CliException($"unknown migration '{parseResult.GetValue(migration)}'");
            }

            await OperationOutput.PrintAsync(session, report, parseResult.GetValue(json));
            return report.Outcome == MarkAppliedOutcome.Refused ? ExitCodes.CheckFailed : ExitCodes.Ok;
        }));
        return command;
    }
}

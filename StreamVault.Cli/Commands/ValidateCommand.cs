using System.CommandLine;
using StreamVault.Data.Operations;

namespace StreamVault.Cli.Commands;

/// <summary><c>streamvault-db validate</c>: the live database against what the migrations produce.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var json = OperationOutput.JsonOption();
        var strict = new Option<bool>("--strict") { Description = "Fail on warnings too (release variants, objects the migrations do not create)" };
        var command = new Command(
            "validate",
            "Compare the database with the schema the migrations produce; exit 0 unless an error is found (warnings are listed)")
        {
            json, strict,
        };
        command.SetAction((parseResult, cancellationToken) => CliSession.RunAsync(parseResult, async session =>
        {
            var report = await SchemaValidator.ValidateAsync(
                session.ConnectionString, OperationOutput.Options(session), parseResult.GetValue(strict), cancellationToken);
            await OperationOutput.PrintAsync(session, report, parseResult.GetValue(json));
            return report.IsClean ? ExitCodes.Ok : ExitCodes.CheckFailed;
        }));
        return command;
    }
}

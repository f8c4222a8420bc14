using System.CommandLine;
using Npgsql;
using StreamVault.Cli.Rendering;
using StreamVault.Data.Operations;

namespace StreamVault.Cli.Commands;

/// <summary>
/// <c>streamvault-db plan [target]</c>: what <c>migrate [target]</c> would do, statement by statement, read from the
/// catalog without changing anything; with <c>--rehearse-on</c>, measured on a copy.
/// </summary>
internal static class PlanCommand
{
    public static Command Create()
    {
        var target = new Argument<string?>("target")
        {
            Description = "Migration to plan to (id or name; 0 reverts all). Default: the latest.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        // As migrate's: an unknown option after "plan" is not a target.
        target.Validators.Add(result =>
        {
            if (result.Tokens is [{ Value: var value }] && value.StartsWith('-'))
            {
                result.AddError($"unknown option '{value}'");
            }
        });
        var json = OperationOutput.JsonOption();
        var failOnPending = new Option<bool>("--fail-on-pending")
        {
            Description = "Exit 4 when a migration is pending or failed (a deployment gate, as status)",
        };
        var checkData = new Option<bool>("--check-data")
        {
            Description = "Also read the rows a refusal depends on (duplicates under a unique index to come, a revert's data)",
        };
        var rehearseOn = new Option<string?>("--rehearse-on")
        {
            Description = "Run the plan on this copy of the database (staging, a restored backup) and report what each statement did; never the live database",
            HelpName = "connection-string",
        };
        var command = new Command("plan", "Show what migrate would do: each statement's locks, tables and cost; changes nothing")
        {
            target, json, failOnPending, checkData, rehearseOn,
        };
        command.SetAction((parseResult, cancellationToken) => CliSession.RunAsync(parseResult, async session =>
        {
            var connectionString = session.ConnectionString;
            // Checked before anything is read, so a malformed copy's string is a usage error like the live one's.
            var copy = parseResult.GetValue(rehearseOn) is { } given ? ConnectionResolver.Resolve(given, null, _ => null) : null;
            var options = OperationOutput.Options(session);
            PlanReport report;
            try
            {
                report = await MigrationPlan.ReadAsync(
                    connectionString, parseResult.GetValue(target), parseResult.GetValue(checkData), options, cancellationToken: cancellationToken);
            }
            catch (ArgumentException unknown) when (unknown.ParamName == "target")
            {
                throw new CliException($"unknown migration '{parseResult.GetValue(target)}'");
            }

            if (copy is not null)
            {
                try
                {
                    report = report with { Rehearsal = await MigrationRehearsal.RunAsync(connectionString, copy, report, options, cancellationToken) };
                }
                catch (RehearsalRefusedException refused)
                {
                    throw new CliException(refused.Message);
                }
                catch (NpgsqlException unreachable)
                {
                    // Described with the copy's host and port, not the live database's, which the session would name.
                    var (exitCode, message) = Failures.Describe(unreachable, copy);
                    throw new CliException(exitCode, "--rehearse-on: " + message);
                }
            }

            await session.Out.WriteLineAsync(parseResult.GetValue(json) ? ReportJson.Render(report) : PlanText.Render(report));
            return report.Rehearsal is { Failure: not null } ? ExitCodes.MigrationFailed
                : parseResult.GetValue(failOnPending) && report.HasPending ? ExitCodes.CheckFailed
                : ExitCodes.Ok;
        }));
        return command;
    }
}

using System.CommandLine;
using StreamVault.Data.Operations;

namespace StreamVault.Cli.Commands;

/// <summary>What the operations commands share: the --json switch and how a report is printed.</summary>
internal static class OperationOutput
{
    public static Option<bool> JsonOption() => new("--json") { Description = "Print the report as JSON (stable shape, see docs/cli.md)" };

    public static OperationOptions Options(CliSession session) => QuickAnswers.OperationOptions(session.Error, session.Verbose);

    public static Task PrintAsync(CliSession session, object report, bool json) => QuickAnswers.PrintAsync(session.Out, report, json);
}

using StreamVault.Cli.Rendering;
using System.CommandLine;
using StreamVault.Data.Operations;

namespace StreamVault.Cli.Commands;

/// <summary><c>streamvault-db script</c>: SQL that psql can run any number of times with the result of migrate.</summary>
internal static class ScriptCommand
{
    public static Command Create()
    {
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Write the script to this file instead of stdout" };
        var json = OperationOutput.JsonOption();
        var command = new Command("script", "Print an idempotent SQL script of all migrations for psql -v ON_ERROR_STOP=1 -f") { output, json };
        command.SetAction((parseResult, cancellationToken) => CliSession.RunAsync(parseResult, async session =>
        {
            // Generating needs no database: the script is built from the migrations compiled into this tool.
            var report = MigrationScript.Generate(session.DataOptions());
            var text = parseResult.GetValue(json) ? ReportJson.Render(report) : ReportText.Render(report);
            if (parseResult.GetValue(output) is { } file)
            {
                await File.WriteAllTextAsync(file.FullName, text, cancellationToken);
                await session.Error.WriteLineAsync($"wrote {file.FullName} ({report.Migrations.Count} migrations)");
            }
            else
            {
                await session.Out.WriteLineAsync(text);
            }

            return ExitCodes.Ok;
        }));
        return command;
    }
}

using System.CommandLine;
using StreamVault.Cli.Commands;

namespace StreamVault.Cli;

/// <summary>The command tree. A new command is a file in Commands/ and one line here.</summary>
internal static class CliApp
{
    public static RootCommand Build()
    {
        var root = new RootCommand("StreamVault database tool: applies, inspects, validates and repairs the StreamVault schema.")
        {
            CommonOptions.Connection,
            CommonOptions.Verbose,
        };
        root.Add(MigrateCommand.Create());
        root.Add(StatusCommand.Create());
        root.Add(ValidateCommand.Create());
        root.Add(RepairCommand.Create());
        root.Add(ScriptCommand.Create());
        return root;
    }
}

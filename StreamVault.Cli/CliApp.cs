using System.CommandLine;
using StreamVault.Cli.Commands;

namespace StreamVault.Cli;

/// <summary>The command tree. A new command is a file in Commands/ and one line here.</summary>
internal static class CliApp
{
    public static RootCommand Build()
    {
        var root = new RootCommand("StreamVault database tool: applies the StreamVault schema migrations.")
        {
            CommonOptions.Connection,
            CommonOptions.Verbose,
        };
        root.Add(MigrateCommand.Create());
        return root;
    }
}

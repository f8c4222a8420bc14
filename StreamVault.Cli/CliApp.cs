using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using StreamVault.Cli.Commands;

namespace StreamVault.Cli;

/// <summary>The command tree. A new command is a file in Commands/ and one line here.</summary>
internal static class CliApp
{
    public const string Name = "streamvault-db";

    public static Command Build()
    {
        // Named here, not after the executable as RootCommand would be: the deployed file is streamvault-db-full
        // behind the native front, and help must still say streamvault-db.
        var root = new Command(Name, "StreamVault database tool: applies, inspects, validates and repairs the StreamVault schema.")
        {
            new HelpOption(),
            new VersionOption(),
            CommonOptions.Connection,
            CommonOptions.ConnectionFile,
            CommonOptions.Verbose,
        };
        var migrate = MigrateCommand.Create();
        root.Add(migrate);
        // The commands list names an argument without saying it is optional; migrate's target is.
        if (root.Options.OfType<HelpOption>().SingleOrDefault() is { Action: HelpAction help } helpOption)
        {
            helpOption.Action = new OptionalTargetHelp(help);
        }

        root.Add(StatusCommand.Create());
        root.Add(PlanCommand.Create());
        root.Add(ValidateCommand.Create());
        root.Add(RepairCommand.Create());
        root.Add(ScriptCommand.Create());
        return root;
    }

    /// <summary>
    /// Parses and runs one command line, writing to <paramref name="output"/> and <paramref name="error"/> and reading
    /// environment variables through <paramref name="environment"/>: the program passes the console and the process
    /// environment; tests run the CLI in-process with writers and variables of their own.
    /// </summary>
    public static async Task<int> RunAsync(
        string[] args, TextWriter output, TextWriter error, Func<string, string?> environment, CancellationToken cancellationToken = default)
    {
        var parsed = Build().Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // System.CommandLine would print every error plus the full help and exit 1; a usage error is one line and exit 2.
            var message = parsed.UnmatchedTokens.Count > 0
                ? $"unknown command or option '{parsed.UnmatchedTokens[0]}'"
                : parsed.Errors[0].Message.TrimEnd('.');
            await error.WriteLineAsync($"streamvault-db: {message} (see streamvault-db --help)");
            return ExitCodes.Usage;
        }

        return await parsed.InvokeAsync(
            new CliInvocation(environment) { EnableDefaultExceptionHandler = false, Output = output, Error = error }, cancellationToken);
    }
}

/// <summary>An invocation's console: System.CommandLine's output writers, plus where its environment variables come from.</summary>
internal sealed class CliInvocation(Func<string, string?> environment) : InvocationConfiguration
{
    public Func<string, string?> Environment { get; } = environment;
}

/// <summary>
/// System.CommandLine's help with <c>migrate [&lt;target&gt;]</c> and <c>plan [&lt;target&gt;]</c> in the commands list, where the library prints every
/// argument as if required (its help builder's customisation is internal in 2.0). A test pins the output.
/// </summary>
internal sealed class OptionalTargetHelp(HelpAction inner) : SynchronousCommandLineAction
{
    private const string Required = "  migrate <target>";
    private const string Optional = "  migrate [<target>]";
    private const string PlanRequired = "  plan <target>";
    private const string PlanOptional = "  plan [<target>]";

    public override int Invoke(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var configuration = parseResult.InvocationConfiguration;
        var output = configuration.Output;
        using var buffer = new StringWriter();
        configuration.Output = buffer;
        int exitCode;
        try
        {
            exitCode = inner.Invoke(parseResult);
        }
        finally
        {
            configuration.Output = output;
        }

        output.Write(Rewrite(buffer.ToString()));
        return exitCode;
    }

    /// <summary>Widens the commands list's first column by the two brackets and brackets migrate's target.</summary>
    internal static string Rewrite(string help)
    {
        var lines = help.Split('\n');
        var first = Array.FindIndex(lines, l => l.StartsWith(Required + "  ", StringComparison.Ordinal));
        if (first < 0)
        {
            return help;
        }

        var descriptionColumn = Required.Length + lines[first][Required.Length..].TakeWhile(c => c == ' ').Count();
        var section = Array.FindLastIndex(lines, first, l => l.Length == 0) + 1;
        for (var i = section; i < lines.Length && lines[i].Length > 0; i++)
        {
            var line = lines[i];
            lines[i] = line.Length >= descriptionColumn ? line[..(descriptionColumn - 2)] + "  " + line[(descriptionColumn - 2)..] : line;
        }

        lines[first] = Optional + lines[first][(Required.Length + 2)..];
        // plan's target is optional too; its name is short enough to take the brackets from the padding.
        var plan = Array.FindIndex(lines, l => l.StartsWith(PlanRequired + "  ", StringComparison.Ordinal));
        if (plan >= 0)
        {
            lines[plan] = PlanOptional + lines[plan][(PlanRequired.Length + 2)..];
        }

        return string.Join('\n', lines);
    }
}

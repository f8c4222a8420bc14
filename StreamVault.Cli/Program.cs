using System.CommandLine;
using StreamVault.Cli;

// Reports use a few symbols (✅ ❌ ⚠️) as the Python tool did; without this a C locale would print '?'.
Console.OutputEncoding = System.Text.Encoding.UTF8;

var root = CliApp.Build();
var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    // System.CommandLine would print every error plus the full help and exit 1; a usage error is one line and exit 2.
    var message = parsed.UnmatchedTokens.Count > 0
        ? $"unknown command or option '{parsed.UnmatchedTokens[0]}'"
        : parsed.Errors[0].Message.TrimEnd('.');
    await Console.Error.WriteLineAsync($"streamvault-db: {message} (see streamvault-db --help)");
    return ExitCodes.Usage;
}

return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });

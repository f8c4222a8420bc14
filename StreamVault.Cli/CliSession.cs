using System.CommandLine;
using StreamVault.Cli.Commands;
using StreamVault.Data;

namespace StreamVault.Cli;

/// <summary>What a command's action gets: output streams, the shared options, and the connection.</summary>
internal sealed class CliSession(ParseResult parseResult, TextWriter output, TextWriter error, Func<string, string?> environment)
{
    private string? _connectionString;

    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;

    public bool Verbose { get; } = parseResult.GetValue(CommonOptions.Verbose);

    /// <summary>The resolved connection string; a usage error (exit 2) when missing or malformed.</summary>
    public string ConnectionString => _connectionString ??= ConnectionResolver.Resolve(
        parseResult.GetValue(CommonOptions.Connection), parseResult.GetValue(CommonOptions.ConnectionFile), environment);

    /// <summary>Options for <see cref="StreamVaultDatabase.CreateContext"/> wired to this session's log and progress.</summary>
    public StreamVaultDataOptions DataOptions(IMigrationProgress? progress = null) => QuickAnswers.DataOptions(Error, Verbose, progress);

    /// <summary>
    /// Runs a command body and turns any failure into its exit code and one line on stderr (plus the stack
    /// trace with --verbose). Every command's action goes through here.
    /// </summary>
    public static async Task<int> RunAsync(ParseResult parseResult, Func<CliSession, Task<int>> body)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        ArgumentNullException.ThrowIfNull(body);
        // The invocation's writers and environment (CliApp.RunAsync); the console's for any other invocation.
        var invocation = parseResult.InvocationConfiguration;
        var session = new CliSession(
            parseResult, invocation.Output, invocation.Error, (invocation as CliInvocation)?.Environment ?? Environment.GetEnvironmentVariable);
        try
        {
            return await body(session);
        }
        catch (Exception failure)
        {
            return await Failures.ReportAsync(session.Error, failure, session._connectionString, session.Verbose);
        }
    }
}

using System.CommandLine;
using StreamVault.Data;

namespace StreamVault.Cli;

/// <summary>What a command's action gets: output streams, the shared options, and the connection.</summary>
internal sealed class CliSession(ParseResult parseResult, TextWriter output, TextWriter error)
{
    private string? _connectionString;

    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;

    public bool Verbose { get; } = parseResult.GetValue(CommonOptions.Verbose);

    /// <summary>The resolved connection string; a usage error (exit 2) when missing or malformed.</summary>
    public string ConnectionString => _connectionString ??= ConnectionResolver.Resolve(
        parseResult.GetValue(CommonOptions.Connection), parseResult.GetValue(CommonOptions.ConnectionFile));

    /// <summary>Options for <see cref="StreamVaultDatabase.CreateContext"/> wired to this session's log and progress.</summary>
    public StreamVaultDataOptions DataOptions(IMigrationProgress? progress = null)
        => new() { LoggerFactory = new ConsoleLog(Error, Verbose), Progress = progress };

    /// <summary>
    /// Runs a command body and turns any failure into its exit code and one line on stderr (plus the stack
    /// trace with --verbose). Every command's action goes through here.
    /// </summary>
    public static async Task<int> RunAsync(ParseResult parseResult, Func<CliSession, Task<int>> body)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        ArgumentNullException.ThrowIfNull(body);
        var session = new CliSession(parseResult, Console.Out, Console.Error);
        try
        {
            return await body(session);
        }
        catch (OperationCanceledException)
        {
            await session.Error.WriteLineAsync("streamvault-db: cancelled");
            return ExitCodes.MigrationFailed;
        }
        catch (Exception failure)
        {
            var (exitCode, message) = Failures.Describe(failure, session._connectionString);
            await session.Error.WriteLineAsync($"streamvault-db: {message}");
            if (session.Verbose && failure is not CliException)
            {
                await session.Error.WriteLineAsync(failure.ToString());
            }

            return exitCode;
        }
    }
}

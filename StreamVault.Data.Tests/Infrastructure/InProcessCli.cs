using StreamVault.Cli;

namespace StreamVault.Data.Tests.Infrastructure;

/// <summary>
/// streamvault-db run in-process: the same command tree, parsing, exit codes and output as the built CLI
/// (<see cref="CliApp.RunAsync"/>, which the CLI's Program runs with the console), without building the artifacts or
/// starting a process. The console and the environment are process-wide, so a run gets writers of its own and sees
/// only the environment variables the test gives it, never the test process's STREAMVAULT_* variables.
/// Tests of the artifacts themselves (the native front, the single file, the bundle, the scripts, signals, process
/// lists) run the built programs through <see cref="ProcessRunner"/> instead.
/// </summary>
public static class InProcessCli
{
    /// <summary>Runs <c>streamvault-db <paramref name="arguments"/></c> and returns what it printed, as a process run would.</summary>
    /// <param name="environment">The only variables the run sees (null values count as unset).</param>
    /// <param name="error">Where standard error goes, for a test that reads it while the run goes on; a writer of its own if null.</param>
    public static async Task<ToolResult> RunAsync(
        IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? timeout = null, SharedText? error = null)
    {
        var args = arguments.ToArray();
        timeout ??= ProcessRunner.DefaultTimeout;
        using var output = new StringWriter();
        using var ownError = error is null ? new SharedText() : null;
        error ??= ownError!;
        // The progress heartbeat and the log write from other threads, as they would to the (synchronized) console.
        var synchronizedOutput = TextWriter.Synchronized(output);
        var synchronizedError = TextWriter.Synchronized(error);
        using var stop = new CancellationTokenSource();
        var run = Task.Run(
            () => CliApp.RunAsync(args, synchronizedOutput, synchronizedError, name => environment?.GetValueOrDefault(name), stop.Token),
            CancellationToken.None);
        try
        {
            var exitCode = await run.WaitAsync(timeout.Value);
            return new ToolResult(exitCode, output.ToString(), error.ToString());
        }
        catch (TimeoutException)
        {
            // As a process run that overran is killed: stop it, and say which run it was.
            await stop.CancelAsync();
            await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(30), CancellationToken.None));
            throw new TimeoutException($"streamvault-db {string.Join(' ', args)} (in-process) did not finish within {timeout.Value.TotalSeconds} s");
        }
    }
}

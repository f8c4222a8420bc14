using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace StreamVault.Data.Tests.Infrastructure;

/// <summary>What a finished external command printed and returned.</summary>
public sealed record ToolResult(int ExitCode, string StandardOutput, string StandardError)
{
    public string Output => StandardOutput + StandardError;
}

/// <summary>
/// The one way the tests run a program (the repository's entry points, the scripts, PostgreSQL's and the SDK's tools):
/// output collected line by line while it runs, standard input closed (nothing ever waits for a prompt), no
/// STREAMVAULT_CONNECTION from the test process (the connection a test passes must be the only one in play), and
/// SIGINT and SIGQUIT at their default dispositions whatever the test process inherited (see <see cref="Start"/>).
/// </summary>
public static class ProcessRunner
{
    /// <summary>
    /// How long <see cref="RunAsync"/> waits unless told otherwise. It only catches a hang: a cold .NET program on a
    /// 2-core machine busy with CI's Release builds and sixteen test classes can take minutes for what takes seconds idle.
    /// </summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// <c>env --default-signal</c> (GNU coreutils 8.31+), when this machine's env has it: a job started in the background
    /// of a non-interactive shell inherits SIGINT and SIGQUIT as ignored, a child inherits ignored dispositions across exec,
    /// and .NET keeps them ignored; a program the tests interrupt must get them as a terminal would give them.
    /// </summary>
    private static readonly Lazy<string?> DefaultSignals = new(FindDefaultSignalsWrapper);

    /// <summary>Runs a program to completion and returns what it printed; a timeout kills it and throws.</summary>
    /// <param name="environment">Variables to set; a null value removes the variable.</param>
    /// <param name="workingDirectory">The checkout's root unless given.</param>
    public static async Task<ToolResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null,
        TimeSpan? timeout = null,
        string? workingDirectory = null)
    {
        var argumentList = arguments.ToList();
        timeout ??= DefaultTimeout;
        using var process = Start(fileName, argumentList, environment, out var stdout, out var stderr, workingDirectory);
        using var cancel = new CancellationTokenSource(timeout.Value);
        try
        {
            // Also waits until both output streams are read to their end.
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Describe(fileName, argumentList)} did not finish within {timeout.Value.TotalSeconds} s");
        }

        return new ToolResult(process.ExitCode, Text(stdout), Text(stderr));
    }

    /// <summary><see cref="RunAsync"/>, failing with the program's output unless it exits 0.</summary>
    public static async Task<ToolResult> RunCheckedAsync(
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null,
        TimeSpan? timeout = null,
        string? workingDirectory = null)
    {
        var argumentList = arguments.ToList();
        var result = await RunAsync(fileName, argumentList, environment, timeout, workingDirectory);
        return result.ExitCode == 0 ? result : throw Failed(fileName, argumentList, result);
    }

    /// <summary>
    /// Synchronous <see cref="RunCheckedAsync"/>, for the harness's short-lived tools (initdb, pg_ctl, chown, openssl):
    /// a cluster is also stopped from AppDomain.ProcessExit, where awaiting is not an option. Returns what it printed.
    /// </summary>
    public static string RunChecked(string fileName, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout)
    {
        var argumentList = arguments.ToList();
        using var process = Start(fileName, argumentList, null, out var stdout, out var stderr, workingDirectory);
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Describe(fileName, argumentList)} did not finish within {timeout.TotalSeconds} s.");
        }

        // Without a timeout, WaitForExit also waits until the output events have all been raised.
        process.WaitForExit();
        var result = new ToolResult(process.ExitCode, Text(stdout), Text(stderr));
        return result.ExitCode == 0 ? result.Output : throw Failed(fileName, argumentList, result);
    }

    /// <summary>
    /// Starts a program whose output is collected while it runs (for tests that signal or kill it midway).
    /// </summary>
    /// <param name="environment">Variables to set; a null value removes the variable.</param>
    /// <param name="workingDirectory">The checkout's root unless given.</param>
    public static Process Start(
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment,
        out StringBuilder stdout,
        out StringBuilder stderr,
        string? workingDirectory = null)
    {
        // The wrapper execs the program, so the process (its id, its exit code) is the program's own.
        var wrapper = DefaultSignals.Value;
        var startInfo = new ProcessStartInfo(wrapper ?? fileName)
        {
            WorkingDirectory = workingDirectory ?? RepositoryTools.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (wrapper is not null)
        {
            startInfo.ArgumentList.Add("--default-signal=INT,QUIT");
            startInfo.ArgumentList.Add("--");
            startInfo.ArgumentList.Add(fileName);
        }

        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment.Remove(StreamVaultDatabase.ConnectionEnvironmentVariable);
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                startInfo.Environment.Remove(name);
            }
            else
            {
                startInfo.Environment[name] = value;
            }
        }

        var process = new Process { StartInfo = startInfo };
        var output = new StringBuilder();
        var errors = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(errors, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        stdout = output;
        stderr = errors;
        return process;
    }

    /// <summary>What a builder of <see cref="Start"/> holds so far (it is written to while the process runs).</summary>
    public static string Text(StringBuilder collected)
    {
        lock (collected)
        {
            return collected.ToString();
        }
    }

    private static void Append(StringBuilder collected, string? line)
    {
        if (line is not null)
        {
            lock (collected)
            {
                collected.Append(line).Append('\n');
            }
        }
    }

    private static InvalidOperationException Failed(string fileName, IReadOnlyList<string> arguments, ToolResult result)
        => new(string.Format(
            CultureInfo.InvariantCulture, "{0} exited with code {1}:{2}{3}", Describe(fileName, arguments), result.ExitCode, Environment.NewLine, result.Output.Trim()));

    private static string Describe(string fileName, IEnumerable<string> arguments) => fileName + " " + string.Join(' ', arguments);

    private static string? FindDefaultSignalsWrapper()
    {
        const string env = "/usr/bin/env";
        if (OperatingSystem.IsWindows() || !File.Exists(env))
        {
            return null;
        }

        // Asked once, directly: an env without the option (BSD, busybox, coreutils before 8.31) refuses it.
        var probe = new ProcessStartInfo(env)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--default-signal=INT,QUIT", "--", "true" })
        {
            probe.ArgumentList.Add(argument);
        }

        using var process = Process.Start(probe)!;
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? env : null;
    }
}

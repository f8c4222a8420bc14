using System.Diagnostics;
using System.Globalization;

namespace StreamVault.Data.Tests.Infrastructure;

/// <summary>Runs a short-lived tool (initdb, pg_ctl, chown) and fails with its output when it fails.</summary>
internal static class ProcessRunner
{
    /// <summary>
    /// Synchronous on purpose: the cluster is also stopped from AppDomain.ProcessExit, where awaiting is not an option.
    /// </summary>
    public static string Run(string fileName, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Could not start {fileName}.");

        // Both pipes are drained concurrently; reading one to the end first can deadlock on a full other pipe.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Describe(startInfo)} did not finish within {timeout.TotalSeconds} s.");
        }

        var output = stdout.GetAwaiter().GetResult() + stderr.GetAwaiter().GetResult();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(string.Format(
                CultureInfo.InvariantCulture,
                "{0} exited with code {1}:{2}{3}",
                Describe(startInfo),
                process.ExitCode,
                Environment.NewLine,
                output.Trim()));
        }

        return output;
    }

    private static string Describe(ProcessStartInfo startInfo)
        => startInfo.FileName + " " + string.Join(' ', startInfo.ArgumentList);
}

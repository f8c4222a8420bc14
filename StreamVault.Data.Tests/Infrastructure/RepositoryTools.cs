using System.Diagnostics;
using System.Text;

namespace StreamVault.Data.Tests.Infrastructure;

/// <summary>What a finished external command printed and returned.</summary>
public sealed record ToolResult(int ExitCode, string StandardOutput, string StandardError)
{
    public string Output => StandardOutput + StandardError;
}

/// <summary>
/// Runs the repository's own entry points (dotnet ef, the efbundle, the scripts) as separate processes, the
/// way operators run them, so tests exercise exactly what ships.
/// </summary>
public static class RepositoryTools
{
    private static readonly SemaphoreSlim BuildGate = new(1, 1);
    private static bool artifactsBuilt;
    private static bool toolsRestored;
    private static PackedPackages? packages;
    private static readonly string[] NoBuild = ["--no-build"];

    /// <summary>The checkout's root: the directory holding StreamVault.sln above the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    public static string Bundle => Path.Combine(Root, "migrations-bundle", "out", "efbundle");

    /// <summary>What operators run: on Linux the native front, which runs <see cref="FullCli"/> for all it does not answer.</summary>
    public static string Cli => Path.Combine(Root, "migrations-bundle", "out", "streamvault-db");

    /// <summary>The full (ReadyToRun, single-file) CLI that build.sh writes next to the native front.</summary>
    public static string FullCli => Path.Combine(Root, "migrations-bundle", "out", "streamvault-db-full");

    public static string MigrateScript => Path.Combine(Root, "migrations-bundle", "migrate.sh");

    /// <summary>
    /// Builds the deployable artifacts (build.sh) and migrate.sh's CLI (lib/build-cli.sh) once per test run; both
    /// skip when nothing changed.
    /// </summary>
    public static async Task EnsureArtifactsAsync()
    {
        await BuildGate.WaitAsync();
        try
        {
            if (artifactsBuilt)
            {
                return;
            }

            var build = await RunAsync("bash", [Path.Combine(Root, "migrations-bundle", "build.sh")], timeout: TimeSpan.FromMinutes(15));
            if (build.ExitCode != 0)
            {
                throw new InvalidOperationException($"migrations-bundle/build.sh failed ({build.ExitCode}):\n{build.Output}");
            }

            // migrate.sh's own build, so tests that read its exact output never see the build's progress lines.
            var cli = await RunAsync("bash", [Path.Combine(Root, "migrations-bundle", "lib", "build-cli.sh")], timeout: TimeSpan.FromMinutes(10));
            if (cli.ExitCode != 0)
            {
                throw new InvalidOperationException($"migrations-bundle/lib/build-cli.sh failed ({cli.ExitCode}):\n{cli.Output}");
            }

            artifactsBuilt = true;
        }
        finally
        {
            BuildGate.Release();
        }
    }

    /// <summary>
    /// `dotnet pack` of StreamVault.Cli (which builds StreamVault.Data) and StreamVault.Data into a temp folder, once per
    /// run. The version gets a suffix unique to the run, so NuGet's global cache never serves an older build under the
    /// same version; <see cref="CleanUpPackages"/> removes the folder and that version from the cache when the run ends.
    /// </summary>
    public static async Task<PackedPackages> EnsurePackagesAsync()
    {
        await BuildGate.WaitAsync();
        try
        {
            if (packages is not null)
            {
                return packages;
            }

            var suffix = "test." + Guid.NewGuid().ToString("N")[..8];
            var folder = Directory.CreateTempSubdirectory("streamvault-packages-").FullName;
            foreach (var project in new[] { "StreamVault.Cli", "StreamVault.Data" })
            {
                var pack = await RunAsync(
                    "dotnet",
                    ["pack", Path.Combine(Root, project), "-c", "Release", "--version-suffix", suffix, "-o", folder, "-nologo", "-v", "q",
                     // The Cli's pack has just built StreamVault.Data in Release with the same suffix.
                     .. project == "StreamVault.Data" ? NoBuild : []],
                    timeout: TimeSpan.FromMinutes(5));
                if (pack.ExitCode != 0)
                {
                    Directory.Delete(folder, recursive: true);
                    throw new InvalidOperationException($"dotnet pack {project} failed ({pack.ExitCode}):\n{pack.Output}");
                }
            }

            packages = new PackedPackages(folder, "1.0.0-" + suffix);
            return packages;
        }
        finally
        {
            BuildGate.Release();
        }
    }

    /// <summary>Removes what <see cref="EnsurePackagesAsync"/> left behind: the folder, and the run's version in NuGet's cache.</summary>
    public static void CleanUpPackages()
    {
        if (packages is not { } packed)
        {
            return;
        }

        packed.RemoveFromGlobalCache("StreamVault.Data");
        packed.RemoveFromGlobalCache("StreamVault.Cli");
        Directory.Delete(packed.Folder, recursive: true);
        packages = null;
    }

    /// <summary>`dotnet ef` on the data project, without rebuilding it (the test build already did).</summary>
    public static Task<ToolResult> DotnetEfAsync(params string[] arguments) => DotnetEfAsync(null, arguments);

    /// <summary>`dotnet ef` as above, with <paramref name="environment"/> (null values remove a variable).</summary>
    public static async Task<ToolResult> DotnetEfAsync(IReadOnlyDictionary<string, string?>? environment, params string[] arguments)
    {
        await EnsureToolsAsync();
        return await RunAsync(
            "dotnet", ["tool", "run", "dotnet-ef", .. arguments, "--project", Path.Combine(Root, "StreamVault.Data"), "--no-build"],
            environment,
            TimeSpan.FromMinutes(3));
    }

    /// <summary>PowerShell 7 from the repository's tool manifest, so migrate.ps1 runs the way Windows users run it.</summary>
    public static async Task<ToolResult> PwshAsync(IReadOnlyDictionary<string, string?>? environment, params string[] arguments)
    {
        await EnsureToolsAsync();
        return await RunAsync("dotnet", ["tool", "run", "pwsh", "-NoProfile", "-NonInteractive", .. arguments], environment, TimeSpan.FromMinutes(15));
    }

    /// <summary>The pinned local tools (dotnet-ef, pwsh), restored once per run, so plain `dotnet test` needs no setup.</summary>
    private static async Task EnsureToolsAsync()
    {
        await BuildGate.WaitAsync();
        try
        {
            if (toolsRestored)
            {
                return;
            }

            var restore = await RunAsync("dotnet", ["tool", "restore"], timeout: TimeSpan.FromMinutes(5));
            if (restore.ExitCode != 0)
            {
                throw new InvalidOperationException($"dotnet tool restore failed ({restore.ExitCode}):\n{restore.Output}");
            }

            toolsRestored = true;
        }
        finally
        {
            BuildGate.Release();
        }
    }

    /// <summary>Runs a program to completion (two minutes unless told otherwise) and returns what it printed.</summary>
    public static async Task<ToolResult> RunAsync(
        string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? timeout = null)
    {
        timeout ??= TimeSpan.FromMinutes(2);
        using var process = Start(fileName, arguments, environment, out var stdout, out var stderr);
        using var cancel = new CancellationTokenSource(timeout.Value);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish within {timeout.Value.TotalSeconds} s");
        }

        return new ToolResult(process.ExitCode, stdout.ToString(), stderr.ToString());
    }

    /// <summary>
    /// Starts a process whose output is collected while it runs (for tests that kill it midway). Environment
    /// values of null remove the variable; standard input is closed, so nothing ever waits for a prompt.
    /// </summary>
    public static Process Start(
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment,
        out StringBuilder stdout,
        out StringBuilder stderr)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // The connection a test passes must be the only one in play.
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
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (errors) { errors.AppendLine(e.Data); } } };
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        stdout = output;
        stderr = errors;
        return process;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "StreamVault.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No StreamVault.sln above {AppContext.BaseDirectory}");
    }
}

/// <summary>The folder <see cref="RepositoryTools.EnsurePackagesAsync"/> packed into, and the version it packed.</summary>
public sealed record PackedPackages(string Folder, string Version)
{
    /// <summary>Where NuGet caches the run's packages once something restored them.</summary>
    public static string GlobalPackagesFolder
        => Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>Removes the run's unique version from NuGet's global cache (it is never needed again).</summary>
    public void RemoveFromGlobalCache(string packageId)
    {
        var cached = Path.Combine(GlobalPackagesFolder, packageId.ToLowerInvariant(), Version.ToLowerInvariant());
        if (Directory.Exists(cached))
        {
            Directory.Delete(cached, recursive: true);
        }
    }
}

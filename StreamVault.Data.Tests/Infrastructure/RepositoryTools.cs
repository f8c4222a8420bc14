namespace StreamVault.Data.Tests.Infrastructure;

/// <summary>
/// The repository's own entry points (dotnet ef, the efbundle, the built CLI, the scripts, the packages) for tests that
/// run them as separate processes, the way operators run them, so those tests exercise exactly what ships; and what
/// they need built first, once per run.
/// </summary>
public static class RepositoryTools
{
    private static readonly string[] NoBuild = ["--no-build"];
    private static readonly SemaphoreSlim ReleaseBuilds = new(1, 1);
    private static readonly Lazy<Task> Artifacts = new(() => ReleaseBuildAsync(BuildArtifactsAsync));
    private static readonly Lazy<Task> MigrateScriptCli = new(() => ReleaseBuildAsync(BuildMigrateScriptCliAsync));
    private static readonly Lazy<Task> Tools = new(RestoreToolsAsync);
    private static readonly Lazy<Task<PackedPackages>> Packages = new(() => ReleaseBuildAsync(PackAsync));

    /// <summary>The checkout's root: the directory holding StreamVault.sln above the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    public static string Bundle => Path.Combine(Root, "migrations-bundle", "out", "efbundle");

    /// <summary>What operators run: on Linux the native front, which runs <see cref="FullCli"/> for all it does not answer.</summary>
    public static string Cli => Path.Combine(Root, "migrations-bundle", "out", "streamvault-db");

    /// <summary>The full (ReadyToRun, single-file) CLI that build.sh writes next to the native front.</summary>
    public static string FullCli => Path.Combine(Root, "migrations-bundle", "out", "streamvault-db-full");

    public static string MigrateScript => Path.Combine(Root, "migrations-bundle", "migrate.sh");

    /// <summary>
    /// streamvault-db as the test build compiled it (framework-dependent, next to the test assembly): the same sources as
    /// the artifacts, as a process of its own, for tests that need one (killed or interrupted runs, several runners at
    /// once, Npgsql reading the process environment) but not the shipped file; nothing to build first.
    /// </summary>
    public static string TestBuildCli => Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "streamvault-db.exe" : "streamvault-db");

    /// <summary>
    /// The file lock every Release build of this checkout takes (build.sh, lib/build-cli.sh, dotnet pack): they share
    /// obj/Release, so two at once would overwrite each other's intermediate files. .ci/run holds the same lock (flock)
    /// while it builds the artifacts beside the test run, so a test that needs them waits for that build instead of
    /// starting another.
    /// </summary>
    public static string ReleaseBuildLock => Path.Combine(Root, "artifacts", "release-build.lock");

    /// <summary>
    /// Builds the deployable artifacts (build.sh: the native front, the full CLI, the efbundle) once per test run; it
    /// skips when nothing changed. Every caller shares the one build's outcome, a failure included.
    /// </summary>
    public static Task EnsureArtifactsAsync() => Artifacts.Value;

    /// <summary>
    /// Builds the CLI migrate.sh and migrate.ps1 run (lib/build-cli.sh, out/cli) once per test run, before a test runs
    /// either script on this checkout: the tests that read a script's exact output never see the build's progress lines,
    /// and no two scripts build at once.
    /// </summary>
    public static Task EnsureMigrateScriptCliAsync() => MigrateScriptCli.Value;

    /// <summary>
    /// `dotnet pack` of StreamVault.Cli (which builds StreamVault.Data) and StreamVault.Data into a temp folder, once per
    /// run. The version gets a suffix unique to the run, so NuGet's global cache never serves an older build under the
    /// same version; <see cref="CleanUpPackages"/> removes the folder and that version from the cache when the run ends.
    /// </summary>
    public static Task<PackedPackages> EnsurePackagesAsync() => Packages.Value;

    /// <summary>Removes what <see cref="EnsurePackagesAsync"/> left behind: the folder, and the run's version in NuGet's cache.</summary>
    public static void CleanUpPackages()
    {
        if (!Packages.IsValueCreated || !Packages.Value.IsCompletedSuccessfully)
        {
            return;
        }

        var packed = Packages.Value.Result;
        packed.RemoveFromGlobalCache("StreamVault.Data");
        packed.RemoveFromGlobalCache("StreamVault.Cli");
        Directory.Delete(packed.Folder, recursive: true);
    }

    /// <summary>
    /// `dotnet ef` on the data project, without rebuilding it (the test build already did). The 10 minutes only catch a hang:
    /// a cold dotnet host, MSBuild's evaluation and EF's tool beside CI's Release builds can take minutes.
    /// </summary>
    public static Task<ToolResult> DotnetEfAsync(params string[] arguments) => DotnetEfAsync(null, arguments);

    /// <summary>`dotnet ef` as above, with <paramref name="environment"/> (null values remove a variable).</summary>
    public static async Task<ToolResult> DotnetEfAsync(IReadOnlyDictionary<string, string?>? environment, params string[] arguments)
    {
        await Tools.Value;
        return await ProcessRunner.RunAsync(
            "dotnet", ["tool", "run", "dotnet-ef", .. arguments, "--project", Path.Combine(Root, "StreamVault.Data"), "--no-build"],
            environment,
            TimeSpan.FromMinutes(10));
    }

    /// <summary>PowerShell 7 from the repository's tool manifest, so migrate.ps1 runs the way Windows users run it.</summary>
    public static async Task<ToolResult> PwshAsync(IReadOnlyDictionary<string, string?>? environment, params string[] arguments)
    {
        await Tools.Value;
        return await ProcessRunner.RunAsync(
            "dotnet", ["tool", "run", "pwsh", "-NoProfile", "-NonInteractive", .. arguments], environment, TimeSpan.FromMinutes(15));
    }

    /// <summary>
    /// A copy of the checkout's tracked and new files (what a clone of the change would hold, uncommitted changes
    /// included; no build output, nothing git ignores, no benchmarks), with their modes, in a new directory the postgres
    /// user can reach, so a script's own build and local server start from nothing. The caller deletes it.
    /// </summary>
    public static async Task<string> CopyCheckoutAsync()
    {
        var copy = Path.Combine(Path.GetTempPath(), "streamvault-copy-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(copy);
        var files = await ProcessRunner.RunCheckedAsync(
            "git", ["-C", Root, "ls-files", "-z", "--cached", "--others", "--exclude-standard"], timeout: TimeSpan.FromMinutes(1));
        foreach (var file in files.StandardOutput.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var source = Path.Combine(Root, file);
            if (!File.Exists(source) || file.StartsWith("benchmarks/", StringComparison.Ordinal))
            {
                continue;
            }

            var target = Path.Combine(copy, file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(source, target);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(target, File.GetUnixFileMode(source));
            }
        }

        return copy;
    }

    /// <summary>
    /// Runs <paramref name="build"/> as the only Release build of the checkout: one at a time in this process, and under
    /// <see cref="ReleaseBuildLock"/> against other processes (flock(2), the lock .ci/run's flock(1) takes).
    /// </summary>
    private static async Task<T> ReleaseBuildAsync<T>(Func<Task<T>> build)
    {
        await ReleaseBuilds.WaitAsync();
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(ReleaseBuildLock)!);
            using var held = await FileLock.AcquireAsync(ReleaseBuildLock, TimeSpan.FromMinutes(30));
            return await build();
        }
        finally
        {
            ReleaseBuilds.Release();
        }
    }

    private static Task<ToolResult> BuildArtifactsAsync()
        => ProcessRunner.RunCheckedAsync("bash", [Path.Combine(Root, "migrations-bundle", "build.sh")], timeout: TimeSpan.FromMinutes(20));

    private static Task<ToolResult> BuildMigrateScriptCliAsync()
        => ProcessRunner.RunCheckedAsync("bash", [Path.Combine(Root, "migrations-bundle", "lib", "build-cli.sh")], timeout: TimeSpan.FromMinutes(10));

    private static async Task<PackedPackages> PackAsync()
    {
        var suffix = "test." + Guid.NewGuid().ToString("N")[..8];
        var folder = Directory.CreateTempSubdirectory("streamvault-packages-").FullName;
        try
        {
            foreach (var project in new[] { "StreamVault.Cli", "StreamVault.Data" })
            {
                await ProcessRunner.RunCheckedAsync(
                    "dotnet",
                    ["pack", Path.Combine(Root, project), "-c", "Release", "--version-suffix", suffix, "-o", folder, "-nologo", "-v", "q",
                     // The Cli's pack has just built StreamVault.Data in Release with the same suffix.
                     .. project == "StreamVault.Data" ? NoBuild : []],
                    // A Release build of four projects; minutes on a busy 2-core machine.
                    timeout: TimeSpan.FromMinutes(15));
            }
        }
        catch
        {
            Directory.Delete(folder, recursive: true);
            throw;
        }

        return new PackedPackages(folder, "1.0.0-" + suffix);
    }

    /// <summary>The pinned local tools (dotnet-ef, pwsh), restored once per run, so plain `dotnet test` needs no setup.</summary>
    private static async Task RestoreToolsAsync()
        => await ProcessRunner.RunCheckedAsync("dotnet", ["tool", "restore"], timeout: TimeSpan.FromMinutes(5));

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

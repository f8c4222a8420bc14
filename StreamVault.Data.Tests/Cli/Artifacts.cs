namespace StreamVault.Data.Tests.Cli;

/// <summary>
/// The deployable binaries, built by <c>migrations-bundle/build.sh</c> once per test run (it skips when its
/// stamp says the sources did not change, so a rerun costs seconds, a first run a few minutes).
/// </summary>
public static class Artifacts
{
    private static readonly Lazy<Task<string>> Built = new(BuildAsync);

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string BundleDirectory => Path.Combine(RepositoryRoot, "migrations-bundle");

    public static string Cli => Path.Combine(BundleDirectory, "out", "streamvault-db");

    public static string EfBundle => Path.Combine(BundleDirectory, "out", "efbundle");

    public static string MigrateScript => Path.Combine(BundleDirectory, "migrate.sh");

    /// <summary>Builds (or confirms up to date) both artifacts; the output of build.sh on success.</summary>
    public static Task<string> EnsureBuiltAsync() => Built.Value;

    private static async Task<string> BuildAsync()
    {
        var run = await CommandRun.RunAsync(
            "bash", [Path.Combine(BundleDirectory, "build.sh")], timeout: TimeSpan.FromMinutes(15));
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"migrations-bundle/build.sh exited with {run.ExitCode}:\n{run.Output}");
        }

        return run.Output;
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "StreamVault.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No StreamVault.sln above {AppContext.BaseDirectory}.");
    }
}

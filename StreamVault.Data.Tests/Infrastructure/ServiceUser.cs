namespace StreamVault.Data.Tests.Infrastructure;

/// <summary>
/// PostgreSQL's server programs (and PgBouncer) refuse to run as root: as root, the harness runs them as the postgres
/// service user (<c>runuser</c>) and gives that user the files they need; as anyone else, as the current user.
/// </summary>
internal static class ServiceUser
{
    public const string Name = "postgres";

    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(120);

    /// <summary>True when the tests run as root, so the server's programs run as <see cref="Name"/>.</summary>
    public static bool Needed { get; } = !OperatingSystem.IsWindows() && Environment.UserName == "root";

    /// <summary>Runs <paramref name="program"/> as the service user when needed; fails with its output unless it exits 0.</summary>
    public static string Run(string program, IEnumerable<string> arguments, string workingDirectory)
        => Needed
            ? ProcessRunner.RunChecked("runuser", ["-u", Name, "--", program, .. arguments], workingDirectory, ToolTimeout)
            : ProcessRunner.RunChecked(program, arguments, workingDirectory, ToolTimeout);

    /// <summary>Makes the service user the owner of <paramref name="paths"/> (directories with all they hold) when needed.</summary>
    public static void Own(params string[] paths)
    {
        if (Needed)
        {
            ProcessRunner.RunChecked("chown", ["-R", $"{Name}:", .. paths], Path.GetTempPath(), ToolTimeout);
        }
    }
}

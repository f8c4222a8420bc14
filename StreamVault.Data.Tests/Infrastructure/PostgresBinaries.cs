namespace StreamVault.Data.Tests.Infrastructure;

/// <summary>The PostgreSQL server programs a throwaway local cluster is built with.</summary>
public sealed record PostgresBinaries(string BinDirectory, string Initdb, string PgCtl, string Postgres, string? Psql)
{
    /// <summary>Where Debian and Ubuntu install each major version (<c>/usr/lib/postgresql/15/bin</c>).</summary>
    public const string DefaultVersionRoot = "/usr/lib/postgresql";

    public static PostgresBinaries? Find()
        => Find(Environment.GetEnvironmentVariable("PATH"), DefaultVersionRoot);

    /// <summary>
    /// PATH first (a developer's explicit choice), then the highest version under <paramref name="versionRoot"/>,
    /// because Debian keeps initdb and pg_ctl off PATH. Null when neither has all three server programs.
    /// </summary>
    public static PostgresBinaries? Find(string? pathVariable, string versionRoot)
    {
        var pathDirectories = (pathVariable ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        foreach (var directory in pathDirectories)
        {
            var initdb = Path.Combine(directory, "initdb");
            if (!IsExecutable(initdb))
            {
                continue;
            }

            // initdb looks for postgres next to its real location, so a symlink farm like /usr/local/bin
            // is followed to the directory the programs actually live in.
            var realDirectory = Path.GetDirectoryName(ResolveLinks(initdb));
            foreach (var candidate in new[] { realDirectory, directory })
            {
                if (candidate is not null && HasServerPrograms(candidate))
                {
                    return Create(candidate, pathDirectories);
                }
            }
        }

        if (!Directory.Exists(versionRoot))
        {
            return null;
        }

        var highest = Directory.EnumerateDirectories(versionRoot)
            .Select(directory => (Directory: Path.Combine(directory, "bin"), Version: ParseVersion(Path.GetFileName(directory))))
            .Where(entry => entry.Version is not null && HasServerPrograms(entry.Directory))
            .OrderByDescending(entry => entry.Version)
            .Select(entry => entry.Directory)
            .FirstOrDefault();

        return highest is null ? null : Create(highest, pathDirectories);
    }

    private static PostgresBinaries Create(string binDirectory, string[] pathDirectories)
    {
        var psql = Path.Combine(binDirectory, "psql");
        if (!IsExecutable(psql))
        {
            psql = pathDirectories.Select(directory => Path.Combine(directory, "psql")).FirstOrDefault(IsExecutable);
        }

        return new PostgresBinaries(
            binDirectory,
            Path.Combine(binDirectory, "initdb"),
            Path.Combine(binDirectory, "pg_ctl"),
            Path.Combine(binDirectory, "postgres"),
            psql);
    }

    private static bool HasServerPrograms(string directory)
        => IsExecutable(Path.Combine(directory, "initdb"))
            && IsExecutable(Path.Combine(directory, "pg_ctl"))
            && IsExecutable(Path.Combine(directory, "postgres"));

    private static bool IsExecutable(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return (File.GetUnixFileMode(ResolveLinks(path)) & anyExecute) != 0;
    }

    private static string ResolveLinks(string path)
        => new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;

    private static Version? ParseVersion(string? name)
    {
        if (name is null)
        {
            return null;
        }

        var withMinor = name.Contains('.', StringComparison.Ordinal) ? name : name + ".0";
        return Version.TryParse(withMinor, out var version) ? version : null;
    }

    /// <summary>The server's own version line, e.g. <c>postgres (PostgreSQL) 15.18</c>.</summary>
    internal string ReadVersion()
        => ProcessRunner.RunChecked(Postgres, ["--version"], BinDirectory, TimeSpan.FromSeconds(10))
            .Trim();
}

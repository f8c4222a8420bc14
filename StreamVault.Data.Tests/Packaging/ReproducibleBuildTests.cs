using System.Text.RegularExpressions;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Packaging;

/// <summary>What makes two builds of one commit alike: lock files everywhere, and the image's base pinned to the runtime.</summary>
public sealed partial class ReproducibleBuildTests
{
    [Fact]
    public void Every_project_has_a_committed_lock_file()
    {
        var projects = Directory.EnumerateFiles(RepositoryTools.Root, "*.csproj", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();

        // Every project of the solution is among them (the walk found the repository), and each has its lock file.
        var solution = File.ReadAllLines(Path.Combine(RepositoryTools.Root, "StreamVault.sln"))
            .Select(l => SolutionProject().Match(l))
            .Where(m => m.Success)
            .Select(m => Path.GetFullPath(Path.Combine(RepositoryTools.Root, m.Groups["path"].Value.Replace('\\', Path.DirectorySeparatorChar))))
            .ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(solution);
        Assert.Subset(projects.Select(Path.GetFullPath).ToHashSet(StringComparer.Ordinal), solution);
        Assert.All(projects, p => Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(p)!, "packages.lock.json")), p));
        var props = File.ReadAllText(Path.Combine(RepositoryTools.Root, "Directory.Build.props"));
        Assert.Contains("<RestorePackagesWithLockFile>true</RestorePackagesWithLockFile>", props, StringComparison.Ordinal);
        Assert.Contains("<RestoreLockedMode Condition=\"'$(CI)' == 'true'\">true</RestoreLockedMode>", props, StringComparison.Ordinal);
    }

    [Fact]
    public void Dockerfile_base_image_is_pinned_to_the_runtime_patch_the_sdk_publishes_with()
    {
        var dockerfile = File.ReadAllText(Path.Combine(RepositoryTools.Root, "migrations-bundle", "Dockerfile"));

        var from = Assert.Single(FromLine().Matches(dockerfile));
        // The test host runs on the shared runtime installed with the SDK, the one self-contained publishing embeds.
        Assert.Equal(Environment.Version.ToString(3), from.Groups["version"].Value);
        Assert.Equal("noble", from.Groups["distro"].Value);
    }

    [GeneratedRegex(@"^Project\(""\{[^}]+\}""\) = ""[^""]+"", ""(?<path>[^""]+\.csproj)""")]
    private static partial Regex SolutionProject();

    [GeneratedRegex(@"^FROM mcr\.microsoft\.com/dotnet/runtime-deps:(?<version>\d+\.\d+\.\d+)-(?<distro>[a-z0-9.-]+)$", RegexOptions.Multiline)]
    private static partial Regex FromLine();
}

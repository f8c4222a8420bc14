using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Architecture;

/// <summary>
/// The public API is the contract (issue #22): the context and entities, the options, the hosting entry points, the
/// up-to-date check, the progress interface, Fernet and the exceptions a caller catches, in the root namespace (the
/// entities in their own). PublicApiAnalyzers fails the build on any public symbol missing from PublicAPI.*.txt; this
/// keeps the files and the namespaces honest.
/// </summary>
public sealed class PublicApiTests
{
    private static readonly string Directory = Path.Combine(RepositoryTools.Root, "StreamVault.Data");

    [Fact]
    public void Public_types_live_in_the_root_namespace_or_the_entities()
    {
        var outside = typeof(StreamVaultDbContext).Assembly.GetExportedTypes()
            .Where(t => t.Namespace is not ("StreamVault.Data" or "StreamVault.Data.Entities"))
            .Select(t => t.FullName)
            .ToList();
        Assert.Empty(outside);
    }

    [Fact]
    public void Every_public_type_is_listed_in_the_public_api_files()
    {
        // Members are the analyzer's (RS0016 for a new one, RS0017 for one listed but gone); the types are checked here too,
        // so that the files stay readable as the list of the contract.
        var listed = File.ReadAllLines(Path.Combine(Directory, "PublicAPI.Shipped.txt"))
            .Concat(File.ReadAllLines(Path.Combine(Directory, "PublicAPI.Unshipped.txt")))
            .ToHashSet(StringComparer.Ordinal);
        var exported = typeof(StreamVaultDbContext).Assembly.GetExportedTypes().Select(t => t.FullName!.Replace('+', '.'));

        Assert.All(exported, t => Assert.Contains(t, listed));
    }

    [Fact]
    public void The_library_runs_the_public_api_analyzer_over_both_files()
    {
        var project = File.ReadAllText(Path.Combine(Directory, "StreamVault.Data.csproj"));
        Assert.Contains("<PackageReference Include=\"Microsoft.CodeAnalysis.PublicApiAnalyzers\">", project, StringComparison.Ordinal);
        Assert.Contains("<AdditionalFiles Include=\"PublicAPI.Shipped.txt\" />", project, StringComparison.Ordinal);
        Assert.Contains("<AdditionalFiles Include=\"PublicAPI.Unshipped.txt\" />", project, StringComparison.Ordinal);
    }
}

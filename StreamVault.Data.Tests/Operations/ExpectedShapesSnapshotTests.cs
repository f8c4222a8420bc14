using StreamVault.Data.Operations;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Operations;

/// <summary>
/// validate's fallback for a role that may not create its shadow database is the shape every migration leaves,
/// embedded in the library (<c>StreamVault.Data/Operations/ExpectedShapes.json</c>). It is derived, never written by hand:
/// a developer's <c>dotnet test</c> refreshes it from a freshly migrated database (a new migration needs no step of its
/// own); CI, which runs on a clean clone, fails while the committed file is stale.
/// </summary>
public sealed class ExpectedShapesSnapshotTests
{
    [Fact]
    public async Task Embedded_snapshot_equals_a_freshly_migrated_database()
    {
        await using var database = await OperationsDatabases.EmptyAsync();
        using var operation = OperationContext.Create(database.ConnectionString, null);
        var ids = operation.Catalog.Select(e => e.MigrationId).ToList();
        var shapes = await ExpectedShapes.CaptureStepsAsync(
            database.ConnectionString, null, operation.Tables, ids, TestContext.Current.CancellationToken);
        var fresh = ExpectedShapes.Serialize(new ShapeSnapshot(ids.Zip(shapes, (id, shape) => new ShapeSnapshotStep(id, shape)).ToList()));

        var path = SnapshotSourcePath();
        var committed = await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken);
        if (fresh != committed && Environment.GetEnvironmentVariable("CI") != "true")
        {
            // A developer's run: the file follows the migrations; the next build embeds it.
            await File.WriteAllTextAsync(path, fresh, TestContext.Current.CancellationToken);
            TestContext.Current.SendDiagnosticMessage($"refreshed {path} from a freshly migrated database; commit it");
            committed = fresh;
        }

        Assert.True(fresh == committed,
            "StreamVault.Data/Operations/ExpectedShapes.json differs from a freshly migrated database: run dotnet test once outside CI (it refreshes the file) and commit it.");
    }

    // From the repository root, not [CallerFilePath]: CI builds map source paths to /_/ (deterministic builds).
    private static string SnapshotSourcePath()
        => Path.Combine(RepositoryTools.Root, "StreamVault.Data", "Operations", "ExpectedShapes.json");
}

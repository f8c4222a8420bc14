using System.Runtime.CompilerServices;
using StreamVault.Data.Operations;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Operations;

[Collection("postgres")]
public sealed class ExpectedShapesSnapshotTests
{
    /// <summary>Set to 1 to rewrite StreamVault.Data/Operations/ExpectedShapes.json from a freshly migrated database.</summary>
    private const string UpdateVariable = "STREAMVAULT_UPDATE_SNAPSHOT";

    [Fact]
    public async Task Embedded_snapshot_equals_a_freshly_migrated_database()
    {
        await using var database = await OperationsDatabases.EmptyAsync();
        using var operation = OperationContext.Create(database.ConnectionString, null);
        var ids = operation.Catalog.Select(e => e.MigrationId).ToList();
        var shapes = await ExpectedShapes.CaptureStepsAsync(
            database.ConnectionString, null, operation.Tables, ids, TestContext.Current.CancellationToken);
        var fresh = ExpectedShapes.Serialize(new ShapeSnapshot(ids.Zip(shapes, (id, shape) => new ShapeSnapshotStep(id, shape)).ToList()));

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            await File.WriteAllTextAsync(SnapshotSourcePath(), fresh, TestContext.Current.CancellationToken);
        }

        Assert.True(fresh == ExpectedShapes.ReadEmbeddedSnapshotText(),
            $"StreamVault.Data/Operations/ExpectedShapes.json differs from a freshly migrated database. If the migrations changed on purpose, run the tests once with {UpdateVariable}=1 and commit the file.");
    }

    private static string SnapshotSourcePath([CallerFilePath] string thisFile = "")
        => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "..", "StreamVault.Data", "Operations", "ExpectedShapes.json"));
}

using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Cli;

/// <summary>
/// The built single-file CLI and the EF bundle, run as processes against real PostgreSQL, leave exactly the
/// state in-process <c>MigrateAsync()</c> leaves, on an empty and on a June 2025 (Python app) database.
/// </summary>
public sealed class ArtifactTests
{
    public const string LegacyFixture = "Fixtures/june-2025.sql";

    public static TheoryData<string, string> BinariesAndStartingPoints => new()
    {
        { "streamvault-db", "empty" },
        { "streamvault-db", "legacy" },
        { "efbundle", "empty" },
        { "efbundle", "legacy" },
    };

    [Fact]
    public async Task Build_script_produces_both_artifacts()
    {
        await RepositoryTools.EnsureArtifactsAsync();

        Assert.True(File.Exists(RepositoryTools.Cli), RepositoryTools.Cli);
        Assert.True(File.Exists(RepositoryTools.Bundle), RepositoryTools.Bundle);

        // A second build finds nothing changed and says so instead of rebuilding.
        var again = await ProcessRunner.RunAsync("bash", [Path.Combine(Path.Combine(RepositoryTools.Root, "migrations-bundle"), "build.sh")]);
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("out/efbundle and out/streamvault-db are up to date", again.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BinariesAndStartingPoints))]
    public async Task Artifact_migrates_like_in_process_migrate_and_second_run_is_a_noop(string binary, string startingPoint)
    {
        await RepositoryTools.EnsureArtifactsAsync();
        Func<TestDatabase, Task> prepare = startingPoint == "legacy" ? db => db.RunFixtureAsync(LegacyFixture) : _ => Task.CompletedTask;
        var expected = await MigrationState.InProcessReferenceAsync(prepare);
        await using var database = await TestDatabase.CreateAsync();
        await prepare(database);

        var first = await RunAsync(binary, database.ConnectionString);
        Assert.True(first.ExitCode == 0, first.Output);
        Assert.Equal(expected, await MigrationState.CaptureAsync(database.ConnectionString));

        var second = await RunAsync(binary, database.ConnectionString);
        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Contains("Database is up to date", second.StandardOutput, StringComparison.Ordinal);
        if (binary == "streamvault-db")
        {
            // Up to date is the closing line; a summary of zeros would only repeat it.
            Assert.Equal("Database is up to date", second.StandardOutput.TrimEnd('\n').Split('\n')[^1]);
            Assert.DoesNotContain("Migration summary", second.StandardOutput, StringComparison.Ordinal);
        }

        Assert.Equal(expected, await MigrationState.CaptureAsync(database.ConnectionString));
    }

    [Fact]
    public async Task Cli_prints_one_line_per_migration_with_duration_and_a_summary()
    {
        await RepositoryTools.EnsureArtifactsAsync();
        await using var database = await TestDatabase.CreateAsync();

        var run = await RunAsync("streamvault-db", database.ConnectionString);

        Assert.Equal(0, run.ExitCode);
        // Run, or adopted where earlier migrations of the run left its objects present (docs/cli.md, "migrate's output").
        var finished = run.StandardOutput.Split('\n')
            .Where(line => line.StartsWith("Applied ", StringComparison.Ordinal) || line.StartsWith("Adopted ", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            Infrastructure.Migrations.All(),
            finished.Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]));
        Assert.All(finished, line => Assert.Matches(
            @"^Applied  \S+ \((\d+ ms|\d+\.\d s)(; \d+ of \d+ statements skipped, their objects present)?\)$|^Adopted  \S+ \(its objects were already present, no app ledger row\)$", line));
        Assert.Contains($"Migration summary: {Infrastructure.Migrations.All().Count} successful, 0 failed", run.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.StandardError);
    }

    [Fact]
    public async Task Cli_migrates_down_to_a_target_and_back_up()
    {
        await RepositoryTools.EnsureArtifactsAsync();
        await using var database = await TestDatabase.CreateAsync();
        Assert.Equal(0, (await RunAsync("streamvault-db", database.ConnectionString)).ExitCode);

        var down = await ProcessRunner.RunAsync(RepositoryTools.Cli, ["migrate", "AddSystemConfig", "--connection", database.ConnectionString]);

        Assert.True(down.ExitCode == 0, down.Output);
        Assert.Contains("Reverted 20261125000000_ConvergeLegacySchema", down.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"Reverted {Infrastructure.Migrations.All()[^1]}", down.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"Migration summary: {Infrastructure.Migrations.After("20250620000001_AddSystemConfig").Count} successful, 0 failed", down.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(Infrastructure.Migrations.UpTo("20250620000001_AddSystemConfig").Count, await database.ScalarAsync<long>("""SELECT count(*) FROM "__EFMigrationsHistory" """));
    }

    private static Task<ToolResult> RunAsync(string binary, string connectionString) => binary switch
    {
        "streamvault-db" => ProcessRunner.RunAsync(RepositoryTools.Cli, ["migrate", "--connection", connectionString]),
        "efbundle" => ProcessRunner.RunAsync(RepositoryTools.Bundle, ["--connection", connectionString]),
        _ => throw new ArgumentOutOfRangeException(nameof(binary), binary, null),
    };
}

using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Cli;

[Collection("postgres")]
public sealed class MigrateScriptTests
{
    [Fact]
    public async Task Migrate_script_migrates_the_database_in_STREAMVAULT_CONNECTION()
    {
        await Artifacts.EnsureBuiltAsync();
        await using var database = await TestDatabase.CreateAsync();
        var expected = await MigrationState.InProcessReferenceAsync(_ => Task.CompletedTask);

        var run = await CommandRun.RunAsync("bash", [Artifacts.MigrateScript], new Dictionary<string, string?>
        {
            [StreamVaultDatabase.ConnectionEnvironmentVariable] = database.ConnectionString,
        });

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("Migration summary: 7 successful, 0 failed", run.Stdout, StringComparison.Ordinal);
        Assert.Equal(expected, await MigrationState.CaptureAsync(database.ConnectionString));
    }

    [Fact]
    public async Task Migrate_script_connection_option_wins_over_the_environment()
    {
        await Artifacts.EnsureBuiltAsync();
        await using var database = await TestDatabase.CreateAsync();

        var run = await CommandRun.RunAsync(
            "bash",
            [Artifacts.MigrateScript, "--connection", database.ConnectionString],
            new Dictionary<string, string?> { [StreamVaultDatabase.ConnectionEnvironmentVariable] = "Host=nosuchhost.invalid" });

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(7L, await database.ScalarAsync<long>("""SELECT count(*) FROM "__EFMigrationsHistory" """));
    }
}

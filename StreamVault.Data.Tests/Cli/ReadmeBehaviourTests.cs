using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Cli;

/// <summary>What the README says the CLI prints, checked against streamvault-db's command tree (in-process).</summary>
public sealed class ReadmeBehaviourTests
{
    [Fact]
    public async Task Root_help_shows_the_migrate_target_as_optional_and_keeps_the_columns_aligned()
    {
        var help = await InProcessCli.RunAsync(["--help"]);

        Assert.Equal(0, help.ExitCode);
        // Named streamvault-db although the native front hands --help to the file streamvault-db-full.
        Assert.Contains("Usage:\n  streamvault-db [command] [options]\n", help.StandardOutput, StringComparison.Ordinal);
        var commands = help.StandardOutput.Split('\n').SkipWhile(l => l != "Commands:").Skip(1).TakeWhile(l => l.Length > 0).ToList();
        Assert.Equal(
            [
                "  migrate [<target>]  Apply pending migrations, or migrate up or down to a target",
                "  status              Show applied, pending and failed migrations",
                "  plan [<target>]     Show what migrate would do: each statement's locks, tables and cost; changes nothing",
            ],
            commands.Take(3));
        Assert.Equal(6, commands.Count);
        // Every description starts in the same column, two spaces after the widest name.
        Assert.All(commands, line =>
        {
            Assert.Equal("  ", line[20..22]);
            Assert.NotEqual(' ', line[22]);
        });
    }

    [Fact]
    public async Task Status_text_says_for_every_migration_whether_its_checksum_matches()
    {
        await using var db = await StartingStates.CreateMigratedAsync(StartingStates.Empty);
        await db.ExecuteSqlAsync("""
            UPDATE applied_migrations SET checksum = repeat('0', 64) WHERE migration_name = '20250609_add_recording_path';
            UPDATE applied_migrations SET checksum = NULL WHERE migration_name = '20250617_add_proxy_settings';
            """);

        var status = await InProcessCli.RunAsync(["status", "--connection", db.ConnectionString]);

        Assert.True(status.ExitCode == 0, status.Output);
        var lines = status.StandardOutput.Split('\n');
        string Line(string id) => Assert.Single(lines, l => l.Contains(" " + id + " ", StringComparison.Ordinal));
        Assert.EndsWith(", checksum differs: SQL CHANGED since applied", Line("20250609160908_AddRecordingPathToStreams"), StringComparison.Ordinal);
        Assert.EndsWith(", no checksum", Line("20250617000000_AddProxySettings"), StringComparison.Ordinal);
        foreach (var id in new[] { "20240705000000_BaseSchema", "20250522000000_AddStreamIndices", "20250620000000_AddPushSubscriptions",
                     "20250620000001_AddSystemConfig", "20261125000000_ConvergeLegacySchema" })
        {
            Assert.EndsWith(", checksum matches", Line(id), StringComparison.Ordinal);
        }
    }
}

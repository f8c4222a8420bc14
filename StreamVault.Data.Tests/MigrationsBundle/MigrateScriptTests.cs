using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.MigrationsBundle;

/// <summary>The README's main job works on a fresh checkout with nothing configured.</summary>
public sealed class MigrateScriptTests
{
    [Fact]
    public async Task Migrate_sh_without_configuration_migrates_a_local_database_twice_in_a_row_on_a_fresh_copy()
    {
        var copy = await RepositoryTools.CopyCheckoutAsync();
        var script = Path.Combine(copy, "migrations-bundle", "migrate.sh");
        var localPostgres = Path.Combine(copy, "migrations-bundle", "lib", "local-postgres.sh");
        try
        {
            var first = await ProcessRunner.RunAsync("bash", [script], timeout: TimeSpan.FromMinutes(10));
            var second = await ProcessRunner.RunAsync("bash", [script], timeout: TimeSpan.FromMinutes(5));
            var status = await ProcessRunner.RunAsync("bash", [localPostgres, "status"], timeout: TimeSpan.FromMinutes(1));

            Assert.True(first.ExitCode == 0, first.Output);
            Assert.True(second.ExitCode == 0, second.Output);
            Assert.Equal(0, status.ExitCode);
            var connection = status.StandardOutput.Trim();
            Assert.StartsWith("Host=127.0.0.1;Port=", connection, StringComparison.Ordinal);
            Assert.Contains(connection, first.StandardError, StringComparison.Ordinal);
            Assert.Equal(Infrastructure.Migrations.All(), await LedgerReader.HistoryAsync(connection));
            Assert.Equal(Infrastructure.Migrations.All().Count, (await LedgerReader.RowsAsync(connection)).Count(r => r.Success == true));
            Assert.Contains("up to date", second.Output, StringComparison.OrdinalIgnoreCase);
            Assert.True(Directory.Exists(Path.Combine(copy, ".streamvault")));

            Assert.Contains("Database is up to date", second.StandardOutput, StringComparison.Ordinal);
            // Only the framework-dependent CLI is built, once, with progress; the deployment artifacts are not.
            Assert.Contains("migrate: building streamvault-db", first.StandardError, StringComparison.Ordinal);
            Assert.Contains("migrate: built streamvault-db in ", first.StandardError, StringComparison.Ordinal);
            Assert.DoesNotContain("building streamvault-db", second.StandardError, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(copy, "migrations-bundle", "out", "cli", "streamvault-db.dll")));
            Assert.False(File.Exists(Path.Combine(copy, "migrations-bundle", "out", "streamvault-db")));
            Assert.False(File.Exists(Path.Combine(copy, "migrations-bundle", "out", "efbundle")));
        }
        finally
        {
            await ProcessRunner.RunAsync("bash", [localPostgres, "stop"], timeout: TimeSpan.FromMinutes(1));
            Directory.Delete(copy, recursive: true);
        }
    }

    [Fact]
    public async Task Migrate_sh_migrates_the_database_in_STREAMVAULT_CONNECTION_like_an_in_process_run()
    {
        await RepositoryTools.EnsureMigrateScriptCliAsync();
        await using var database = await TestDatabase.CreateAsync();
        var expected = await MigrationState.InProcessReferenceAsync(_ => Task.CompletedTask);

        var run = await ProcessRunner.RunAsync("bash", [RepositoryTools.MigrateScript], new Dictionary<string, string?>
        {
            [StreamVaultDatabase.ConnectionEnvironmentVariable] = database.ConnectionString,
        });

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains($"Migration summary: {Infrastructure.Migrations.All().Count} successful, 0 failed", run.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(expected, await MigrationState.CaptureAsync(database.ConnectionString));
    }

    [Fact]
    public async Task Migrate_sh_connection_option_wins_over_the_environment()
    {
        await RepositoryTools.EnsureMigrateScriptCliAsync();
        await using var database = await TestDatabase.CreateAsync();

        var run = await ProcessRunner.RunAsync(
            "bash",
            [RepositoryTools.MigrateScript, "--connection", database.ConnectionString],
            new Dictionary<string, string?> { [StreamVaultDatabase.ConnectionEnvironmentVariable] = "Host=nosuchhost.invalid" });

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal((long)Infrastructure.Migrations.All().Count, await database.ScalarAsync<long>("""SELECT count(*) FROM "__EFMigrationsHistory" """));
    }

    [Fact]
    public async Task Migrate_sh_help_prints_exactly_its_usage_comment()
    {
        var help = await ProcessRunner.RunAsync("bash", [RepositoryTools.MigrateScript, "--help"]);

        Assert.Equal(0, help.ExitCode);
        var lines = help.StandardOutput.TrimEnd('\n').Split('\n');
        Assert.Equal("The main job: apply every pending StreamVault migration (or migrate to a target) with streamvault-db.", lines[0]);
        Assert.Equal(
            "  migrations-bundle/migrate.sh [--connection \"<Npgsql connection string>\"] [--verbose] [target migration]", lines[1]);
        Assert.Contains(lines, line => line.StartsWith("The first run builds streamvault-db", StringComparison.Ordinal));
        Assert.Equal("STREAMVAULT_CONNECTION_FILE, or \"the local server\") and exits, changing nothing.", lines[^1]);
        Assert.DoesNotContain(lines, line => line.Contains("set -", StringComparison.Ordinal) || line.StartsWith('#'));
        Assert.Equal(string.Empty, help.StandardError);
    }

    [Fact]
    public async Task Migrate_ps1_under_pwsh_migrates_the_given_database_or_the_one_in_a_connection_file_and_refuses_without_a_connection()
    {
        await RepositoryTools.EnsureMigrateScriptCliAsync();
        await using var database = await TestDatabase.CreateAsync();
        var script = Path.Combine(RepositoryTools.Root, "migrations-bundle", "migrate.ps1");

        var run = await RepositoryTools.PwshAsync(null, "-File", script, "-Connection", database.ConnectionString);
        var again = await RepositoryTools.PwshAsync(
            new Dictionary<string, string?> { [StreamVaultDatabase.ConnectionEnvironmentVariable] = database.ConnectionString }, "-File", script);
        var unconfigured = await RepositoryTools.PwshAsync(null, "-File", script);
        await using var fromFile = await TestDatabase.CreateAsync();
        var connectionFile = Path.Combine(Path.GetTempPath(), "streamvault-ps1-" + Guid.NewGuid().ToString("N")[..8]);
        await File.WriteAllTextAsync(connectionFile, fromFile.ConnectionString + "\n", TestContext.Current.CancellationToken);
        var viaFile = await RepositoryTools.PwshAsync(null, "-File", script, "-ConnectionFile", connectionFile);
        File.Delete(connectionFile);

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains($"Migration summary: {Infrastructure.Migrations.All().Count} successful, 0 failed", run.StandardOutput, StringComparison.Ordinal);
        Assert.True(again.ExitCode == 0, again.Output);
        Assert.Contains("Database is up to date", again.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(Infrastructure.Migrations.All(), await LedgerReader.HistoryAsync(database.ConnectionString));
        Assert.Equal(2, unconfigured.ExitCode);
        Assert.Equal(
            "migrate.ps1: no connection configured: pass -Connection or -ConnectionFile, or set STREAMVAULT_CONNECTION or STREAMVAULT_CONNECTION_FILE",
            unconfigured.StandardError.Trim());
        Assert.True(viaFile.ExitCode == 0, viaFile.Output);
        Assert.Equal(Infrastructure.Migrations.All(), await LedgerReader.HistoryAsync(fromFile.ConnectionString));
    }
}

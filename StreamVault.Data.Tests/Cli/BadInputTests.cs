using Npgsql;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Cli;

/// <summary>
/// Bad input to streamvault-db (in-process: its behaviour, not its build), to migrate.sh and to the EF bundle: the
/// documented exit code, one line saying why, no stack trace, and never the password.
/// </summary>
public sealed class BadInputTests
{
    private const string SecretPassword = "Sup3r-Secret-Pw-91";

    public static TheoryData<string> Entrypoints => new() { "streamvault-db", "migrate.sh" };

    [Theory]
    [MemberData(nameof(Entrypoints))]
    public async Task Wrong_password_exits_3_naming_the_user_without_the_password(string entrypoint)
    {
        var connection = WithPassword(await PasswordServer.GetConnectionStringAsync(), SecretPassword);

        var run = await RunAsync(entrypoint, connection);

        AssertFailure(run, 3, """streamvault-db: password authentication failed for user "postgres" """.Trim());
    }

    [Theory]
    [MemberData(nameof(Entrypoints))]
    public async Task Closed_port_exits_3_with_connection_refused(string entrypoint)
    {
        var port = LocalCluster.FindFreePort();

        var run = await RunAsync(entrypoint, $"Host=127.0.0.1;Port={port};Username=postgres;Password={SecretPassword}");

        AssertFailure(run, 3, $"streamvault-db: cannot connect to 127.0.0.1:{port}: connection refused");
    }

    [Theory]
    [MemberData(nameof(Entrypoints))]
    public async Task Unknown_host_exits_3_naming_the_host(string entrypoint)
    {
        var run = await RunAsync(entrypoint, $"Host=nosuchhost.invalid;Username=postgres;Password={SecretPassword}");

        AssertFailure(run, 3, "streamvault-db: unknown host nosuchhost.invalid");
    }

    [Theory]
    [MemberData(nameof(Entrypoints))]
    public async Task Unknown_connection_string_key_exits_2_naming_the_key(string entrypoint)
    {
        var run = await RunAsync(entrypoint, $"Host=127.0.0.1;Pasword={SecretPassword}");

        AssertFailure(run, 2, "streamvault-db: malformed connection string: unknown key 'pasword'");
    }

    [Theory]
    [MemberData(nameof(Entrypoints))]
    public async Task Invalid_connection_string_value_exits_2_naming_the_key(string entrypoint)
    {
        var run = await RunAsync(entrypoint, $"Host=127.0.0.1;Port=fivefourthreetwo;Password={SecretPassword}");

        AssertFailure(run, 2, "streamvault-db: malformed connection string: invalid value for key 'port'");
    }

    [Fact]
    public async Task Cli_without_any_connection_exits_2()
    {
        var run = await InProcessCli.RunAsync(["migrate"]);

        AssertFailure(run, 2, "streamvault-db: no connection configured: pass --connection or --connection-file, or set STREAMVAULT_CONNECTION or STREAMVAULT_CONNECTION_FILE");
    }

    [Theory]
    [InlineData("frobnicate", "streamvault-db: unknown command or option 'frobnicate' (see streamvault-db --help)")]
    [InlineData("migrate --frobnicate", "streamvault-db: unknown option '--frobnicate' (see streamvault-db --help)")]
    [InlineData("", "streamvault-db: Required command was not provided (see streamvault-db --help)")]
    public async Task Unknown_command_or_option_exits_2(string arguments, string message)
    {
        var run = await InProcessCli.RunAsync(arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries));

        AssertFailure(run, 2, message);
    }

    [Fact]
    public async Task Unknown_target_migration_exits_2()
    {
        await using var database = await TestDatabase.CreateAsync();

        var run = await InProcessCli.RunAsync(["migrate", "NoSuchMigration", "--connection", database.ConnectionString]);

        AssertFailure(run, 2, "streamvault-db: unknown migration 'NoSuchMigration'");
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"));
    }

    [Fact]
    public async Task Migrate_script_rejects_unknown_option_with_exit_2()
    {
        var run = await ProcessRunner.RunAsync("bash", [RepositoryTools.MigrateScript, "--frobnicate"]);

        AssertFailure(run, 2, "migrate.sh: unknown option '--frobnicate' (try --help)");
    }

    [Fact]
    public async Task Failing_migration_exits_1_naming_the_migration_and_the_error()
    {
        await using var database = await TestDatabase.CreateAsync();
        await database.ExecuteSqlAsync("CREATE TABLE other (x int); CREATE INDEX idx_streams_title ON other (x);");

        var run = await InProcessCli.RunAsync(["migrate", "--connection", database.ConnectionString]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Failed   20250522000000_AddStreamIndices after ", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Migration summary: 1 successful, 1 failed", run.StandardOutput, StringComparison.Ordinal);
        var error = Assert.Single(run.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        // The migration's refusal as it wrote it, without PostgreSQL's P0001 (the ledger row keeps the code).
        Assert.StartsWith("streamvault-db: index idx_streams_title exists with another definition", error, StringComparison.Ordinal);
        Assert.False(await database.ScalarAsync<bool>("SELECT success FROM applied_migrations WHERE migration_name = '20250522_add_stream_indices'"));
    }

    /// <summary>
    /// The bundle is EF's program, so its messages cannot be reshaped; observed: a failed login exits 1 with
    /// EF's error text. What must hold all the same is that the password never shows.
    /// </summary>
    [Fact]
    public async Task Efbundle_wrong_password_fails_without_printing_the_password()
    {
        await RepositoryTools.EnsureArtifactsAsync();
        var connection = WithPassword(await PasswordServer.GetConnectionStringAsync(), SecretPassword);

        var run = await ProcessRunner.RunAsync(RepositoryTools.Bundle, ["--connection", connection]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("password authentication failed for user \"postgres\"", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretPassword, run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Correct_password_on_the_password_server_migrates()
    {
        var connection = await PasswordServer.GetConnectionStringAsync();

        var run = await InProcessCli.RunAsync(["migrate", "--connection", connection]);

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.DoesNotContain(PasswordServer.Password, run.Output, StringComparison.Ordinal);
    }

    private static async Task<ToolResult> RunAsync(string entrypoint, string connection)
    {
        switch (entrypoint)
        {
            case "streamvault-db":
                return await InProcessCli.RunAsync(["migrate", "--connection", connection]);
            case "migrate.sh":
                await RepositoryTools.EnsureMigrateScriptCliAsync();
                return await ProcessRunner.RunAsync("bash", [RepositoryTools.MigrateScript], new Dictionary<string, string?>
                {
                    [StreamVaultDatabase.ConnectionEnvironmentVariable] = connection,
                });
            default:
                throw new ArgumentOutOfRangeException(nameof(entrypoint), entrypoint, null);
        }
    }

    private static string WithPassword(string connectionString, string password)
        => new NpgsqlConnectionStringBuilder(connectionString) { Password = password }.ConnectionString;

    /// <summary>The exit code, the reason as the last stderr line, no stack trace, no password anywhere.</summary>
    private static void AssertFailure(ToolResult run, int exitCode, string reason)
    {
        Assert.True(run.ExitCode == exitCode, $"exit {run.ExitCode}, expected {exitCode}:\n{run.Output}");
        var errorLines = run.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => !line.StartsWith("build.sh: ", StringComparison.Ordinal))
            .ToList();
        Assert.Equal([reason], errorLines);
        Assert.DoesNotContain(SecretPassword, run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Output, StringComparison.Ordinal);
    }
}

using Npgsql;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Cli;

/// <summary>
/// Where streamvault-db, dotnet ef and the bundle take the connection from: --connection-file and
/// STREAMVAULT_CONNECTION_FILE (the Docker/Kubernetes secrets convention), a pgpass file, and nothing at all. No
/// password or file content is ever printed. streamvault-db runs in-process with the variables each test gives it,
/// except where Npgsql itself reads the process environment (PGPASSFILE): there the test build's CLI runs as a process.
/// </summary>
public sealed class ConnectionSourceTests : IDisposable
{
    private const string FileVariable = "STREAMVAULT_CONNECTION_FILE";
    private const string Secret = "File-Secret-Pw-3c9d";
    private readonly string directory = Directory.CreateTempSubdirectory("streamvault-connection-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task Connection_file_option_with_a_trailing_newline_migrates_without_printing_the_password()
    {
        await using var database = await PasswordDatabase.CreateAsync();
        var file = Write("secret", database.ConnectionString + "\n");

        var run = await Cli(["migrate", "--connection-file", file]);

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains($"Migration summary: {Infrastructure.Migrations.All().Count} successful, 0 failed", run.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(PasswordServer.Password, run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connection_file_variable_is_read_when_no_option_is_given()
    {
        await using var database = await PasswordDatabase.CreateAsync();
        var file = Write("secret", "  " + database.ConnectionString + "\r\n\n");

        var run = await Cli(["status"], new() { [FileVariable] = file });

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains(database.Name, run.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(PasswordServer.Password, run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connection_option_wins_over_the_file_variable()
    {
        await using var database = await PasswordDatabase.CreateAsync();

        var run = await Cli(["status", "--connection", database.ConnectionString], new() { [FileVariable] = Path.Combine(directory, "absent") });

        Assert.True(run.ExitCode == 0, run.Output);
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("directory")]
    [InlineData("empty")]
    public async Task Unusable_connection_file_exits_2_naming_the_file(string kind)
    {
        var file = Path.Combine(directory, "secret");
        var reason = kind switch
        {
            "missing" => "cannot read connection file {0} (--connection-file): no such file",
            "directory" => "cannot read connection file {0} (--connection-file): it is a directory",
            _ => "connection file {0} (--connection-file) is empty",
        };
        if (kind == "directory")
        {
            Directory.CreateDirectory(file);
        }
        else if (kind == "empty")
        {
            File.WriteAllText(file, " \n");
        }

        var run = await Cli(["migrate", "--connection-file", file]);

        AssertFailure(run, 2, "streamvault-db: " + string.Format(System.Globalization.CultureInfo.InvariantCulture, reason, file));
    }

    [Fact]
    public async Task Malformed_connection_file_names_the_key_never_the_content()
    {
        var file = Write("secret", $"Host=127.0.0.1;Pasword={Secret}\n");

        var run = await Cli(["migrate"], new() { [FileVariable] = file });

        AssertFailure(run, 2, "streamvault-db: malformed connection string: unknown key 'pasword'");
    }

    [Fact]
    public async Task Connection_option_and_connection_file_together_exit_2()
    {
        var file = Write("secret", $"Host=127.0.0.1;Password={Secret}");

        var run = await Cli(["migrate", "--connection", $"Host=127.0.0.1;Password={Secret}", "--connection-file", file]);

        AssertFailure(run, 2, "streamvault-db: both --connection and --connection-file given; pass one");
    }

    [Fact]
    public async Task Connection_variable_and_file_variable_together_exit_2()
    {
        var file = Write("secret", $"Host=127.0.0.1;Password={Secret}");

        var run = await Cli(["migrate"], new()
        {
            [FileVariable] = file,
            [StreamVaultDatabase.ConnectionEnvironmentVariable] = $"Host=127.0.0.1;Password={Secret}",
        });

        AssertFailure(run, 2, "streamvault-db: both STREAMVAULT_CONNECTION and STREAMVAULT_CONNECTION_FILE are set; set one");
    }

    [Theory]
    [InlineData("Passfile key")]
    [InlineData("PGPASSFILE")]
    public async Task Password_from_a_pgpass_file_logs_in(string how)
    {
        await using var database = await PasswordDatabase.CreateAsync();
        var port = new NpgsqlConnectionStringBuilder(database.ConnectionString).Port;
        var pgpass = Write("pgpass", $"127.0.0.1:{port}:*:postgres:{PasswordServer.Password}\n");
        OwnerOnly(pgpass);
        var withoutPassword = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Password = null };
        if (how == "Passfile key")
        {
            withoutPassword.Passfile = pgpass;
        }

        // Npgsql reads PGPASSFILE from the process environment, which an in-process run shares with every other test.
        var run = how == "PGPASSFILE"
            ? await BuiltCliAsync(["migrate", "--connection", withoutPassword.ConnectionString], new() { ["PGPASSFILE"] = pgpass })
            : await Cli(["migrate", "--connection", withoutPassword.ConnectionString]);

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal((long)Infrastructure.Migrations.All().Count, await database.ScalarAsync<long>("""SELECT count(*) FROM "__EFMigrationsHistory" """));
        Assert.DoesNotContain(PasswordServer.Password, run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_password_in_a_pgpass_file_exits_3_without_printing_it()
    {
        var port = new NpgsqlConnectionStringBuilder(await PasswordServer.GetConnectionStringAsync()).Port;
        var pgpass = Write("pgpass", $"*:*:*:*:{Secret}\n");
        OwnerOnly(pgpass);

        var run = await Cli(["migrate", "--connection", $"Host=127.0.0.1;Port={port};Username=postgres;Passfile={pgpass}"]);

        AssertFailure(run, 3, "streamvault-db: password authentication failed for user \"postgres\"");
    }

    [Fact]
    public async Task Dotnet_ef_database_update_without_a_connection_fails_in_one_line_naming_how_to_give_one()
    {
        var run = await RepositoryTools.DotnetEfAsync("database", "update");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(
            ["Unable to create a 'DbContext' of type 'StreamVaultDbContext'. The exception 'no connection configured: pass --connection "
             + "\"<Npgsql connection string>\", or set STREAMVAULT_CONNECTION or STREAMVAULT_CONNECTION_FILE' was thrown while attempting "
             + "to create an instance. For the different patterns supported at design time, see https://go.microsoft.com/fwlink/?linkid=851728"],
            Lines(run.Output));
        Assert.DoesNotContain("localhost", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dotnet_ef_has_pending_model_changes_needs_no_connection()
    {
        var run = await RepositoryTools.DotnetEfAsync("migrations", "has-pending-model-changes");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(["No changes have been made to the model since the last migration."], Lines(run.Output));
    }

    [Fact]
    public async Task Dotnet_ef_database_update_takes_the_connection_from_the_file_variable()
    {
        await using var database = await TestDatabase.CreateAsync();
        var file = Write("secret", database.ConnectionString + "\n");

        var run = await RepositoryTools.DotnetEfAsync(new Dictionary<string, string?> { [FileVariable] = file }, "database", "update");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(Infrastructure.Migrations.All(), await LedgerReader.HistoryAsync(database.ConnectionString));
    }

    [Fact]
    public async Task Efbundle_without_a_connection_fails_in_one_line_naming_how_to_give_one()
    {
        await RepositoryTools.EnsureArtifactsAsync();

        var run = await ProcessRunner.RunAsync(RepositoryTools.Bundle, []);

        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(Lines(run.Output));
        Assert.Contains(
            "no connection configured: pass --connection \"<Npgsql connection string>\", or set STREAMVAULT_CONNECTION or STREAMVAULT_CONNECTION_FILE",
            line,
            StringComparison.Ordinal);
    }

    /// <summary>pgpass files are meant to be private (libpq ignores looser ones); do as a user would.</summary>
    private static void OwnerOnly(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private string Write(string name, string content)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>streamvault-db in-process, seeing only <paramref name="environment"/>.</summary>
    private static Task<ToolResult> Cli(string[] arguments, Dictionary<string, string?>? environment = null)
        => InProcessCli.RunAsync(arguments, environment);

    /// <summary>streamvault-db as a process, with <paramref name="environment"/> added to the test process's.</summary>
    private static Task<ToolResult> BuiltCliAsync(string[] arguments, Dictionary<string, string?> environment)
        => ProcessRunner.RunAsync(RepositoryTools.TestBuildCli, arguments, environment);

    private static void AssertFailure(ToolResult run, int exitCode, string line)
    {
        Assert.True(run.ExitCode == exitCode, $"exit {run.ExitCode}, expected {exitCode}:\n{run.Output}");
        Assert.Equal([line], Lines(run.StandardError));
        Assert.DoesNotContain("   at ", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, run.Output, StringComparison.Ordinal);
    }
}

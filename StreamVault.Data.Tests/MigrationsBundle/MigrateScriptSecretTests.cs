using System.Security.Cryptography;
using Npgsql;
using StreamVault.Data.Tests.Cli;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.MigrationsBundle;

/// <summary>
/// migrate.sh never lets a password reach a process list: /proc/*/cmdline is sampled for the whole run, the build
/// of streamvault-db (a fresh copy, so it builds) included.
/// </summary>
public sealed class MigrateScriptSecretTests
{
    [Fact]
    public async Task Migrate_sh_connection_option_never_reaches_a_child_process_command_line_build_included()
    {
        // A password of this run only: another test run on the machine may show a fixed one legitimately.
        var password = "Argv-" + RandomNumberGenerator.GetHexString(16, lowercase: true);
        await using var role = await RoleAsync(password);
        var copy = await RepositoryTools.CopyCheckoutAsync();
        try
        {
            var script = Path.Combine(copy, "migrations-bundle", "migrate.sh");
            using var sampler = new CommandLineSampler(password, marker: copy);
            using var process = ProcessRunner.Start("bash", [script, "--connection", role.ConnectionString], null, out var stdout, out var stderr);
            sampler.Watch(process.Id);
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
            await process.WaitForExitAsync(timeout.Token);
            var samples = await sampler.StopAsync();

            Assert.True(process.ExitCode == 0, stdout.ToString() + stderr);
            Assert.Contains("migrate: building streamvault-db", stderr.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(password, stdout.ToString() + stderr, StringComparison.Ordinal);
            Assert.True(samples.Count > 100, $"only {samples.Count} samples");
            // Only the script as started shows it, until it moves it into the environment and starts over; from the
            // moment the build starts no process shows it (the script's own final exec would hide a late move).
            Assert.Empty(samples.Where(s => s.ShowsPassword && s.Pid != process.Id).Select(s => $"{s.Pid}: {s.CommandLine}"));
            var buildStarted = samples.ToList().FindIndex(s => s.CommandLine.Contains("build-cli.sh", StringComparison.Ordinal));
            Assert.True(buildStarted >= 0, "the build step was never seen");
            Assert.Empty(samples.Skip(buildStarted).Where(s => s.ShowsPassword).Select(s => $"{s.Pid}: {s.CommandLine}"));
            Assert.Equal((long)Infrastructure.Migrations.All().Count, await role.HistoryCountAsync());
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    [Theory]
    [InlineData("--connection-file")]
    [InlineData("STREAMVAULT_CONNECTION_FILE")]
    public async Task Migrate_sh_with_a_connection_file_shows_the_password_in_no_process_at_all(string how)
    {
        await RepositoryTools.EnsureMigrateScriptCliAsync();
        var password = "File-" + RandomNumberGenerator.GetHexString(16, lowercase: true);
        await using var role = await RoleAsync(password);
        var file = Path.Combine(Path.GetTempPath(), "streamvault-secret-" + RandomNumberGenerator.GetHexString(8, lowercase: true));
        await File.WriteAllTextAsync(file, role.ConnectionString + "\n", TestContext.Current.CancellationToken);
        try
        {
            using var sampler = new CommandLineSampler(password, marker: null);
            var run = how == "--connection-file"
                ? await ProcessRunner.RunAsync("bash", [RepositoryTools.MigrateScript, "--connection-file", file])
                : await ProcessRunner.RunAsync("bash", [RepositoryTools.MigrateScript], new Dictionary<string, string?> { ["STREAMVAULT_CONNECTION_FILE"] = file });
            var samples = await sampler.StopAsync();

            Assert.True(run.ExitCode == 0, run.Output);
            Assert.Empty(samples.Where(s => s.ShowsPassword).Select(s => $"{s.Pid}: {s.CommandLine}"));
            Assert.DoesNotContain(password, run.Output, StringComparison.Ordinal);
            Assert.Equal((long)Infrastructure.Migrations.All().Count, await role.HistoryCountAsync());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Migrate_sh_refuses_both_connection_and_connection_file_with_exit_2()
    {
        var run = await ProcessRunner.RunAsync("bash", [RepositoryTools.MigrateScript, "--connection", "Host=db;Password=Both-Pw-1", "--connection-file", "/run/secrets/db"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("migrate.sh: both --connection and --connection-file given; pass one", run.StandardError.Trim());
        Assert.Equal(string.Empty, run.StandardOutput);
    }

    /// <summary>A login role with <paramref name="password"/> on the password server, owning a new database.</summary>
    private static async Task<Role> RoleAsync(string password)
    {
        var admin = await PasswordServer.GetConnectionStringAsync();
        var name = "sv_argv_" + RandomNumberGenerator.GetHexString(8, lowercase: true);
        await Sql.ExecuteAsync(admin, $"CREATE ROLE {name} LOGIN PASSWORD '{password}'");
        await Sql.ExecuteAsync(admin, $"CREATE DATABASE {name} OWNER {name}");
        var connection = new NpgsqlConnectionStringBuilder(admin) { Username = name, Password = password, Database = name }.ConnectionString;
        return new Role(admin, name, connection);
    }

    private sealed record Role(string Admin, string Name, string ConnectionString) : IAsyncDisposable
    {
        public async Task<long> HistoryCountAsync()
        {
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("""SELECT count(*) FROM "__EFMigrationsHistory" """, connection);
            return (long)(await command.ExecuteScalarAsync())!;
        }

        public async ValueTask DisposeAsync()
        {
            Sql.ClearPool(ConnectionString);
            await Sql.ExecuteAsync(Admin, $"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
            await Sql.ExecuteAsync(Admin, $"DROP ROLE IF EXISTS {Name}");
        }
    }

    private sealed record Sample(int Pid, string CommandLine, bool ShowsPassword);

    /// <summary>
    /// Reads every process's /proc/&lt;pid&gt;/cmdline in a loop until stopped, in order, keeping those that show the
    /// secret, the watched process, and those whose command line holds <c>marker</c> (the copy's path: its build).
    /// </summary>
    private sealed class CommandLineSampler : IDisposable
    {
        private readonly string secret;
        private readonly string? marker;
        private readonly CancellationTokenSource stop = new();
        private readonly List<Sample> samples = [];
        private readonly Task loop;
        private int watched = -1;

        public CommandLineSampler(string secret, string? marker)
        {
            this.secret = secret;
            this.marker = marker;
            loop = Task.Run(Run);
        }

        /// <summary>Also records the clean samples of <paramref name="pid"/> (the script as started).</summary>
        public void Watch(int pid) => Volatile.Write(ref watched, pid);

        public async Task<IReadOnlyList<Sample>> StopAsync()
        {
            await stop.CancelAsync();
            await loop;
            return samples;
        }

        public void Dispose() => stop.Dispose();

        private void Run()
        {
            while (!stop.IsCancellationRequested)
            {
                foreach (var directory in Directory.EnumerateDirectories("/proc"))
                {
                    if (!int.TryParse(Path.GetFileName(directory), out var pid))
                    {
                        continue;
                    }

                    string commandLine;
                    try
                    {
                        commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
                    }
                    catch (IOException)
                    {
                        continue; // exited meanwhile
                    }
                    catch (UnauthorizedAccessException)
                    {
                        continue;
                    }

                    var shows = commandLine.Contains(secret, StringComparison.Ordinal);
                    if (shows || pid == Volatile.Read(ref watched) || (marker is not null && commandLine.Contains(marker, StringComparison.Ordinal)))
                    {
                        samples.Add(new Sample(pid, commandLine, shows));
                    }
                }
            }
        }
    }
}

using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Cli;

/// <summary>
/// Issue #13: <c>out/streamvault-db</c> is a native (NativeAOT) front that answers migrate on an up-to-date database and
/// status itself, with the full CLI's own code, and execs <c>out/streamvault-db-full</c> for everything else. Proven
/// by running both binaries against one database (same output, byte for byte, same exit code) and by running the front
/// alone, without the full CLI next to it, where every run it does not answer fails with exit 127 and changes nothing.
/// </summary>
public sealed class NativeFrontTests : IDisposable
{
    private const string FullCliName = "streamvault-db-full";

    private readonly string directory = Directory.CreateTempSubdirectory("streamvault-front-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    public static TheoryData<string, string[]> SameAnswers => new()
    {
        { "up to date", ["migrate"] },
        { "up to date", ["status"] },
        { "up to date", ["status", "--json", "--fail-on-pending"] },
        { "empty", ["status", "--fail-on-pending"] },
        { "empty", ["status", "--json"] },
        { "refused", ["migrate"] },
        { "refused", ["status"] },
        { "no connection", ["migrate"] },
        { "up to date", ["migrate", "--verbose"] },
        { "up to date", ["status", "--bogus"] },
        { "up to date", ["--version"] },
    };

    public static TheoryData<string, string[]> HandedOver => new()
    {
        { "empty", ["migrate"] },
        { "empty", ["migrate", "--create-database"] },
        { "up to date", ["migrate", "0"] },
        { "up to date", ["migrate", "--verbose"] },
        { "up to date", ["status", "-v"] },
        { "up to date", ["validate"] },
        { "up to date", ["plan"] },
        { "up to date", ["status", "--json", "--json"] },
        { "up to date", ["--help"] },
        { "up to date", [] },
    };

    [Theory]
    [MemberData(nameof(SameAnswers))]
    public async Task Front_prints_exactly_what_the_full_cli_prints(string state, string[] arguments)
    {
        await RepositoryTools.EnsureArtifactsAsync();
        await using var database = await DatabaseAsync(state);
        var environment = Environment(database, state);

        var front = await ProcessRunner.RunAsync(RepositoryTools.Cli, arguments, environment);
        var full = await ProcessRunner.RunAsync(RepositoryTools.FullCli, arguments, environment);

        Assert.Equal(full, front);
        Assert.NotEqual(string.Empty, front.Output);
    }

    [Fact]
    public async Task Front_alone_answers_an_up_to_date_migrate_and_status_without_the_full_cli()
    {
        await RepositoryTools.EnsureArtifactsAsync();
        await using var database = await DatabaseAsync("up to date");
        var front = Alone();
        var where = new NpgsqlConnectionStringBuilder(database.ConnectionString);

        var migrate = await ProcessRunner.RunAsync(front, ["migrate", "--connection", database.ConnectionString]);
        var status = await ProcessRunner.RunAsync(front, ["status", "--json", "--connection", database.ConnectionString]);
        var fullStatus = await ProcessRunner.RunAsync(RepositoryTools.FullCli, ["status", "--json", "--connection", database.ConnectionString]);

        Assert.Equal(new ToolResult(0, $"Migrating database {database.Name} on {where.Host}:{where.Port}\nDatabase is up to date\n", ""), migrate);
        Assert.Equal(fullStatus, status);
        Assert.Contains($"\"appliedCount\": {Infrastructure.Migrations.All().Count}", status.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(HandedOver))]
    public async Task Front_alone_hands_every_other_run_to_the_full_cli_and_changes_nothing(string state, string[] arguments)
    {
        await RepositoryTools.EnsureArtifactsAsync();
        await using var database = await DatabaseAsync(state);
        var front = Alone();
        var before = await StateAsync(database, state);

        var run = await ProcessRunner.RunAsync(front, arguments, Environment(database, state));

        Assert.Equal(
            new ToolResult(127, "", $"streamvault-db: cannot start the full CLI {Path.Combine(directory, FullCliName)}: No such file or directory; build.sh writes it next to streamvault-db, deploy both files\n"),
            run);
        Assert.Equal(before, await StateAsync(database, state));
    }

    [Fact]
    public async Task Front_reached_through_a_symbolic_link_runs_the_full_cli_next_to_its_real_file()
    {
        await RepositoryTools.EnsureArtifactsAsync();
        await using var database = await DatabaseAsync("empty");
        var link = Path.Combine(directory, "streamvault-db");
        File.CreateSymbolicLink(link, RepositoryTools.Cli);

        var run = await ProcessRunner.RunAsync(link, ["migrate", "--connection", database.ConnectionString]);

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.EndsWith($"Migration summary: {Infrastructure.Migrations.All().Count} successful, 0 failed\n", run.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("front", "migrate", "TERM", 15)]
    [InlineData("front", "status", "INT", 2)]
    [InlineData("full", "migrate", "TERM", 15)]
    [InlineData("full", "status", "INT", 2)]
    public async Task A_signal_while_connecting_ends_the_front_at_once_as_it_ends_the_full_cli(string binary, string command, string signal, int number)
    {
        await RepositoryTools.EnsureArtifactsAsync();
        var ct = TestContext.Current.CancellationToken;
        // A server that accepts and never answers: the run waits in Npgsql's connection attempt (up to Timeout=60 s).
        var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        try
        {
            var port = ((IPEndPoint)silent.LocalEndpoint).Port;
            using var process = ProcessRunner.Start(
                binary == "front" ? RepositoryTools.Cli : RepositoryTools.FullCli,
                [command, "--connection", $"Host=127.0.0.1;Port={port};Username=nobody;Database=nothing;Timeout=60"],
                null, out _, out _);
            using var accepted = await silent.AcceptTcpClientAsync(ct);

            var kill = await ProcessRunner.RunAsync("kill", [$"-{signal}", process.Id.ToString(CultureInfo.InvariantCulture)]);

            Assert.Equal(0, kill.ExitCode);
            // Well before the connection attempt's own timeout: a front that waited for Npgsql would still be running.
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(TimeSpan.FromSeconds(20));
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            finally
            {
                if (!process.HasExited)
                {
                    process.Kill();
                }
            }

            Assert.Equal(128 + number, process.ExitCode);
        }
        finally
        {
            silent.Stop();
        }
    }

    /// <summary>History, ledger and schema of a migrated database; the tables of an empty one (none, unless a run created some).</summary>
    private static async Task<string> StateAsync(TestDatabase database, string state) => state == "up to date"
        ? await MigrationState.CaptureAsync(database.ConnectionString)
        : await database.ScalarAsync<string>("SELECT coalesce(string_agg(relname, ',' ORDER BY relname), '') FROM pg_class WHERE relnamespace = 'public'::regnamespace") ?? "";

    /// <summary>A copy of the front in a directory of its own, without the full CLI.</summary>
    private string Alone()
    {
        var front = Path.Combine(directory, "streamvault-db");
        File.Copy(RepositoryTools.Cli, front);
        return front;
    }

    private static async Task<TestDatabase> DatabaseAsync(string state)
    {
        var database = await TestDatabase.CreateAsync();
        if (state == "up to date")
        {
            var migrate = await ProcessRunner.RunAsync(RepositoryTools.FullCli, ["migrate", "--connection", database.ConnectionString]);
            Assert.True(migrate.ExitCode == 0, migrate.Output);
        }

        return database;
    }

    /// <summary>The connection through STREAMVAULT_CONNECTION (as deployments pass it), or a refused or absent one.</summary>
    private static Dictionary<string, string?> Environment(TestDatabase database, string state) => new()
    {
        ["STREAMVAULT_CONNECTION"] = state switch
        {
            "refused" => "Host=127.0.0.1;Port=1;Username=nobody;Database=nothing",
            "no connection" => null,
            _ => database.ConnectionString,
        },
        ["STREAMVAULT_CONNECTION_FILE"] = null,
    };
}

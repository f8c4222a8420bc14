using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.MigrationsBundle;

/// <summary>local-postgres.sh, migrate.sh's own server when no connection is configured.</summary>
public sealed class LocalPostgresTests : IDisposable
{
    private const int FirstPort = 55432;

    private static readonly string Script = Path.Combine(RepositoryTools.Root, "migrations-bundle", "lib", "local-postgres.sh");

    private readonly string root = Directory.CreateTempSubdirectory("streamvault-local-pg-").FullName;

    public LocalPostgresTests()
    {
        // The server runs as the postgres user, which must reach <root>/.streamvault.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                                       | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
    }

    private Dictionary<string, string?> Environment => new() { ["STREAMVAULT_REPO_ROOT"] = root };

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task A_port_bound_without_listening_is_skipped_for_the_next_free_one()
    {
        // What a probe cannot see: the port is the local end of some other program's connection (or was taken between
        // the probe and the start). PostgreSQL cannot bind it; the script tries the next free port.
        using var held = HoldFirstPortNobodyListensOn();
        var port = held.Port;
        // The port a previous start chose, which the script tries first: the held one, whatever other tests' servers on
        // the ports below it do meanwhile.
        Directory.CreateDirectory(Path.Combine(root, ".streamvault"));
        await File.WriteAllTextAsync(
            Path.Combine(root, ".streamvault", "port"), $"{port.ToString(CultureInfo.InvariantCulture)}\n", TestContext.Current.CancellationToken);
        try
        {
            var start = await ProcessRunner.RunAsync("bash", [Script, "start"], Environment, TimeSpan.FromMinutes(5));

            Assert.True(start.ExitCode == 0, start.Output);
            Assert.True(
                start.StandardError.Contains($"local-postgres: port {port} could not be bound; choosing another one\n", StringComparison.Ordinal),
                start.Output);
            var connection = new NpgsqlConnectionStringBuilder(start.StandardOutput.Trim());
            Assert.True(connection.Port > port, start.StandardOutput);
            Assert.Equal($"{connection.Port.ToString(CultureInfo.InvariantCulture)}\n", await File.ReadAllTextAsync(Path.Combine(root, ".streamvault", "port"), TestContext.Current.CancellationToken));
            await using var session = new NpgsqlConnection(connection.ConnectionString);
            await session.OpenAsync(TestContext.Current.CancellationToken);
            Assert.Equal("streamvault", session.Database);
        }
        finally
        {
            await ProcessRunner.RunAsync("bash", [Script, "stop"], Environment, TimeSpan.FromMinutes(1));
        }
    }

    /// <summary>The first port from 55432 that nothing listens on, held without listening.</summary>
    private static HeldPort HoldFirstPortNobodyListensOn()
    {
        for (var port = FirstPort; port < FirstPort + 100; port++)
        {
            if (!Listening(port) && HeldPort.TryHold(port) is { } held)
            {
                return held;
            }
        }

        throw new InvalidOperationException($"no port from {FirstPort} could be held");
    }

    private static bool Listening(int port)
    {
        using var probe = new TcpClient();
        try
        {
            probe.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

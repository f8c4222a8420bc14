using System.Net;
using System.Net.Sockets;
using StreamVault.Data.Tests.Infrastructure;

namespace StreamVault.Data.Tests.Cli;

/// <summary>
/// A second throwaway cluster that requires scram-sha-256 passwords, started once for the wrong-password tests:
/// the run's main server uses trust authentication, where any password is accepted. Without PostgreSQL server
/// binaries the tests using it fail with <see cref="PostgresServer.NoServerMessage"/>; they never skip.
/// </summary>
public static class PasswordServer
{
    public const string Password = "Pw-7f3a9c-correct";

    private static readonly Lazy<Task<string>> Started = new(() => Task.Run(Start));

    /// <summary>Superuser connection string with the correct password.</summary>
    public static Task<string> GetConnectionStringAsync() => Started.Value;

    /// <summary>A loopback port nothing listens on (bound, read, released).</summary>
    public static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Start()
    {
        var binaries = PostgresBinaries.Find() ?? throw new InvalidOperationException(PostgresServer.NoServerMessage);
        var cluster = LocalCluster.Start(binaries, Path.GetTempPath(), Environment.ProcessId, Password);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Stop();
        return cluster.ConnectionString;
    }
}

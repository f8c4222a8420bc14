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

    private static string Start() => LocalCluster.StartOwn(Password, stopAtExit: true).ConnectionString;
}

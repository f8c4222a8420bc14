using System.CommandLine;
using StreamVault.Data;

namespace StreamVault.Cli;

/// <summary>Options every command shares (declared once on the root, recursive).</summary>
internal static class CommonOptions
{
    public static readonly Option<string?> Connection = new("--connection", "-c")
    {
        Description = $"Npgsql connection string (default: ${StreamVaultDatabase.ConnectionEnvironmentVariable})",
        HelpName = "connection-string",
        Recursive = true,
    };

    public static readonly Option<string?> ConnectionFile = new("--connection-file")
    {
        Description = $"File holding the connection string, e.g. a Docker/Kubernetes secret (default: ${StreamVaultDatabase.ConnectionFileEnvironmentVariable})",
        HelpName = "path",
        Recursive = true,
    };

    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Show EF Core's and the engine's log, and stack traces of errors",
        Recursive = true,
    };
}

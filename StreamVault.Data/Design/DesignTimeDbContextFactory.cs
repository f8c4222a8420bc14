using Microsoft.EntityFrameworkCore.Design;
using StreamVault.Data.Engine;

namespace StreamVault.Data.Design;

/// <summary>
/// Lets <c>dotnet ef</c> and the efbundle build the context from this class library. The connection comes from
/// <c>--connection</c> (EF sets it after creation), else STREAMVAULT_CONNECTION, else the file STREAMVAULT_CONNECTION_FILE
/// names. There is no default host: a command that connects without any of them fails with one line saying how to
/// give one, while the commands that never connect (<c>migrations add</c>, <c>has-pending-model-changes</c>,
/// <c>migrations script</c>, <c>migrations bundle</c>) need none. A missing database is created only with
/// STREAMVAULT_CREATE_DATABASE=1.
/// </summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<StreamVaultDbContext>
{
    /// <summary>
    /// Stands in where no connection is configured and the command either never connects or gets <c>--connection</c>
    /// (which EF sets before connecting). <c>.invalid</c> never resolves (RFC 6761), so nothing is ever reached through it.
    /// </summary>
    internal const string Unconfigured = "Host=no-connection-configured.invalid;Database=streamvault";

    internal const string NoConnectionMessage =
        "no connection configured: pass --connection \"<Npgsql connection string>\", or set "
        + StreamVaultDatabase.ConnectionEnvironmentVariable + " or " + StreamVaultDatabase.ConnectionFileEnvironmentVariable;

    /// <summary>
    /// dotnet-ef's commands that need a connection (the efbundle always does). <c>migrations list</c> and
    /// <c>migrations remove</c> only consult the database when they can, and <c>remove --force</c> never does, so they
    /// run with the unresolvable stand-in as they always did.
    /// </summary>
    private static readonly string[][] ConnectingCommands = [["database", "update"], ["database", "drop"]];

    /// <summary>A context on the configured connection, built by <see cref="ContextOptions.CreateContext"/>.</summary>
    /// <param name="args">dotnet-ef's application arguments (unused).</param>
    /// <returns>A context dotnet-ef disposes.</returns>
    /// <exception cref="InvalidOperationException">
    /// The command connects and no connection is configured, or the connection file cannot be read. EF reports any
    /// failure here in one line without a stack trace ("Unable to create a 'DbContext' … The exception '…' was thrown …").
    /// </exception>
    public StreamVaultDbContext CreateDbContext(string[] args)
    {
        // dotnet ef and the efbundle are the command-line tools: their sessions show as streamvault-db, like the CLI's.
        StreamVaultConnections.DefaultApplicationName = "streamvault-db";
        var connection = ConfiguredConnection();
        if (connection is null && WillConnectWithoutConnectionOption(Environment.GetCommandLineArgs()))
        {
            throw new InvalidOperationException(NoConnectionMessage);
        }

        var optIn = Environment.GetEnvironmentVariable(MissingDatabaseException.CreateDatabaseEnvironmentVariable)?.Trim();
        var createDatabase = optIn == "1" || string.Equals(optIn, "true", StringComparison.OrdinalIgnoreCase);
        return ContextOptions.CreateContext(connection ?? Unconfigured, new StreamVaultDataOptions { CreateDatabaseIfMissing = createDatabase });
    }

    // dotnet ef and the bundle take no --connection-file; their --connection is applied by EF after this factory.
    private static string? ConfiguredConnection()
        => ConnectionSources.Resolve(option: null, fileOption: null, ConnectionSources.ProcessEnvironment)?.ConnectionString;

    /// <summary>
    /// Whether this process is a command that connects and has no <c>--connection</c>: dotnet-ef's command line is
    /// <c>… ef.dll &lt;group&gt; &lt;command&gt; [options]</c>; anything else running this factory is the efbundle.
    /// </summary>
    internal static bool WillConnectWithoutConnectionOption(IReadOnlyList<string> commandLine)
    {
        if (commandLine.Any(a => a.StartsWith("--connection", StringComparison.Ordinal)))
        {
            return false;
        }

        var ef = -1;
        for (var i = 0; i < commandLine.Count; i++)
        {
            if (string.Equals(Path.GetFileName(commandLine[i]), "ef.dll", StringComparison.OrdinalIgnoreCase))
            {
                ef = i;
                break;
            }
        }

        if (ef < 0)
        {
            return true;
        }

        var command = commandLine.Skip(ef + 1).Take(2).ToArray();
        return ConnectingCommands.Any(c => c.SequenceEqual(command, StringComparer.Ordinal));
    }
}

using StreamVault.Data;

namespace StreamVault.Cli;

/// <summary>
/// Where the connection string comes from: <c>--connection</c> or <c>--connection-file</c>, else
/// STREAMVAULT_CONNECTION or STREAMVAULT_CONNECTION_FILE (the Docker/Kubernetes secrets convention). An option beats
/// the environment; two sources at the same level are a usage error rather than a silent pick. Checked before use,
/// so a typo is a usage error, not a crash; messages name the file or the key, never the content.
/// </summary>
internal static class ConnectionResolver
{
    private const string ConnectionVariable = StreamVaultDatabase.ConnectionEnvironmentVariable;

    private const string FileEnvironmentVariable = StreamVaultDatabase.ConnectionFileEnvironmentVariable;

    /// <param name="environment">Where the variables are read (the process environment unless given).</param>
    public static string Resolve(string? option, string? fileOption, Func<string, string?>? environment = null)
    {
        var connectionString = FromOptions(option, fileOption) ?? FromEnvironment(environment ?? Environment.GetEnvironmentVariable)
            ?? throw new CliException(
                $"no connection configured: pass --connection or --connection-file, or set {ConnectionVariable} or {FileEnvironmentVariable}");

        Check(connectionString);
        return WithApplicationName(connectionString);
    }

    /// <summary>
    /// Every session of streamvault-db shows as <c>streamvault-db</c> in pg_stat_activity, so an operator can tell it from
    /// the app's, unless the connection string names itself.
    /// </summary>
    private static string WithApplicationName(string connectionString)
        => string.IsNullOrEmpty(StreamVaultConnections.Parse(connectionString).ApplicationName)
            ? connectionString.TrimEnd().TrimEnd(';') + ";Application Name=streamvault-db"
            : connectionString;

    private static string? FromOptions(string? option, string? fileOption)
    {
        var given = !string.IsNullOrWhiteSpace(option);
        var file = !string.IsNullOrWhiteSpace(fileOption);
        if (given && file)
        {
            throw new CliException("both --connection and --connection-file given; pass one");
        }

        return given ? option : file ? ReadFile(fileOption!, "--connection-file") : null;
    }

    private static string? FromEnvironment(Func<string, string?> environment)
    {
        var variable = environment(ConnectionVariable);
        var file = environment(FileEnvironmentVariable);
        var given = !string.IsNullOrWhiteSpace(variable);
        var fileGiven = !string.IsNullOrWhiteSpace(file);
        if (given && fileGiven)
        {
            throw new CliException($"both {ConnectionVariable} and {FileEnvironmentVariable} are set; set one");
        }

        return given ? variable : fileGiven ? ReadFile(file!, FileEnvironmentVariable) : null;
    }

    /// <summary>The file's content, trimmed; an unusable file is a usage error (exit 2).</summary>
    private static string ReadFile(string path, string source)
    {
        try
        {
            return StreamVaultConnections.ReadFile(path, source);
        }
        catch (InvalidOperationException unusable)
        {
            throw new CliException(unusable.Message);
        }
    }

    private static void Check(string connectionString)
    {
        try
        {
            if (string.IsNullOrWhiteSpace(StreamVaultConnections.Parse(connectionString).Host))
            {
                throw new CliException("malformed connection string: no Host");
            }
        }
        catch (ArgumentException malformed)
        {
            // StreamVaultConnections names the offending key, never its value.
            throw new CliException(malformed.Message);
        }
    }
}

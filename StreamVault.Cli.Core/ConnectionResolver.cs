using StreamVault.Data;

namespace StreamVault.Cli;

/// <summary>
/// The connection string of a command: from the one place that orders the sources (<see cref="ConnectionSources"/>: an option
/// beats the environment, two sources at one level are a usage error), then checked, so a typo is a usage error rather
/// than a crash; messages name the file or the key, never the content.
/// </summary>
internal static class ConnectionResolver
{
    /// <param name="environment">Where the variables are read (the process environment unless given).</param>
    public static string Resolve(string? option, string? fileOption, Func<string, string?>? environment = null)
    {
        ConnectionSources.Resolved? resolved;
        try
        {
            resolved = ConnectionSources.Resolve(option, fileOption, environment ?? ConnectionSources.ProcessEnvironment);
        }
        catch (InvalidOperationException unusable)
        {
            throw new CliException(unusable.Message);
        }

        var connectionString = resolved?.ConnectionString
            ?? throw new CliException(
                $"no connection configured: pass --connection or --connection-file, or set {StreamVaultDatabase.ConnectionEnvironmentVariable} or {StreamVaultDatabase.ConnectionFileEnvironmentVariable}");
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

namespace StreamVault.Data;

/// <summary>
/// Where a command's connection string comes from, coded once for streamvault-db (and its native front), dotnet ef and the
/// efbundle: an option (<c>--connection</c>, <c>--connection-file</c>) beats the environment
/// (<see cref="StreamVaultDatabase.ConnectionEnvironmentVariable"/>, <see cref="StreamVaultDatabase.ConnectionFileEnvironmentVariable"/>,
/// the Docker/Kubernetes secrets convention); two sources at the same level are refused rather than silently picked; a
/// file's content is trimmed. migrations-bundle/migrate.sh follows the same order (its <c>--which-connection</c> says what
/// it chose, and a test holds it to this class). Messages name the source and the file, never the content.
/// </summary>
internal static class ConnectionSources
{
    /// <summary>The source <see cref="Resolve"/> took the string from, as the user named it (an option or a variable).</summary>
    internal sealed record Resolved(string ConnectionString, string Source);

    /// <summary>
    /// The connection string from <paramref name="option"/> or <paramref name="fileOption"/>, else from the environment
    /// (read through <paramref name="environment"/>); null when none is configured.
    /// </summary>
    /// <exception cref="InvalidOperationException">Two sources at one level, or a file that cannot be read or is empty.</exception>
    public static Resolved? Resolve(string? option, string? fileOption, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return Pick(option, "--connection", fileOption, "--connection-file", "both --connection and --connection-file given; pass one")
               ?? Pick(
                   environment(StreamVaultDatabase.ConnectionEnvironmentVariable), StreamVaultDatabase.ConnectionEnvironmentVariable,
                   environment(StreamVaultDatabase.ConnectionFileEnvironmentVariable), StreamVaultDatabase.ConnectionFileEnvironmentVariable,
                   $"both {StreamVaultDatabase.ConnectionEnvironmentVariable} and {StreamVaultDatabase.ConnectionFileEnvironmentVariable} are set; set one");
    }

    /// <summary>The process's own environment, for <see cref="Resolve"/>.</summary>
    public static string? ProcessEnvironment(string variable) => Environment.GetEnvironmentVariable(variable);

    private static Resolved? Pick(string? value, string valueSource, string? file, string fileSource, string conflict)
    {
        var given = !string.IsNullOrWhiteSpace(value);
        var fileGiven = !string.IsNullOrWhiteSpace(file);
        if (given && fileGiven)
        {
            throw new InvalidOperationException(conflict);
        }

        return given ? new Resolved(value!, valueSource)
            : fileGiven ? new Resolved(StreamVaultConnections.ReadFile(file!, fileSource), fileSource)
            : null;
    }
}

namespace StreamVault.Data;

/// <summary>
/// A run found that its database does not exist and was not asked to create it
/// (<see cref="StreamVaultDataOptions.CreateDatabaseIfMissing"/>); nothing was created or changed.
/// </summary>
public sealed class MissingDatabaseException : Exception
{
    /// <summary>A refusal with the default message.</summary>
    public MissingDatabaseException()
    {
    }

    /// <summary>A refusal described by <paramref name="message"/>.</summary>
    /// <param name="message">Which database is missing, and how to opt in to creating it.</param>
    public MissingDatabaseException(string message)
        : base(message)
    {
    }

    /// <summary>A refusal described by <paramref name="message"/>, caused by <paramref name="innerException"/>.</summary>
    /// <param name="message">Which database is missing, and how to opt in to creating it.</param>
    /// <param name="innerException">The cause.</param>
    public MissingDatabaseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>A refusal for <paramref name="database"/> on <paramref name="server"/> (<c>host:port</c>).</summary>
    /// <param name="database">The database the connection string names.</param>
    /// <param name="server">Where it was looked for, <c>host:port</c>.</param>
    public MissingDatabaseException(string database, string server)
        : base($"database \"{database}\" does not exist on {server}; StreamVault.Data creates a database only when asked "
               + $"(StreamVaultDataOptions.CreateDatabaseIfMissing, streamvault-db migrate --create-database, {CreateDatabaseEnvironmentVariable}=1 for dotnet ef and the efbundle)")
    {
        Database = database;
        Server = server;
    }

    /// <summary>Environment variable through which dotnet ef and the efbundle opt in to creating the database.</summary>
    public const string CreateDatabaseEnvironmentVariable = "STREAMVAULT_CREATE_DATABASE";

    /// <summary>The missing database's name.</summary>
    public string? Database { get; }

    /// <summary>Where it was looked for, <c>host:port</c>.</summary>
    public string? Server { get; }
}

namespace StreamVault.Data;

/// <summary>
/// An app waiting for its database to be migrated by someone else (<see cref="StreamVaultDataOptions.WaitForMigrationsTimeout"/>)
/// gave up: host start fails with this. The message is one line naming the database, its server (<c>host:port</c>),
/// what was still missing (the migrations not applied, or why the database could not be reached) and the timeout.
/// </summary>
public sealed class MigrationWaitTimeoutException : Exception
{
    /// <summary>A timeout with the default message.</summary>
    public MigrationWaitTimeoutException()
    {
    }

    /// <summary>A timeout described by <paramref name="message"/>.</summary>
    /// <param name="message">Which database, what was still missing, and how long was waited.</param>
    public MigrationWaitTimeoutException(string message)
        : base(message)
    {
    }

    /// <summary>A timeout described by <paramref name="message"/>, with the last connection failure as <paramref name="innerException"/>.</summary>
    /// <param name="message">Which database, what was still missing, and how long was waited.</param>
    /// <param name="innerException">The failure of the last attempt to reach the database, if it failed.</param>
    public MigrationWaitTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

namespace StreamVault.Data;

/// <summary>A run could not get a lock it needs before its deadline; the message names who holds it.</summary>
public sealed class MigrationLockException : Exception
{
    /// <summary>A lock failure with the default message.</summary>
    public MigrationLockException()
    {
    }

    /// <summary>A lock failure described by <paramref name="message"/>.</summary>
    /// <param name="message">What could not be locked, by when, and who holds the lock.</param>
    public MigrationLockException(string message)
        : base(message)
    {
    }

    /// <summary>A lock failure caused by <paramref name="innerException"/> (the last lock timeout).</summary>
    /// <param name="message">What could not be locked, by when, and who holds the lock.</param>
    /// <param name="innerException">The server error of the last attempt.</param>
    public MigrationLockException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

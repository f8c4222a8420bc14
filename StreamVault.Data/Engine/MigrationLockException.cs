namespace StreamVault.Data.Engine;

/// <summary>A run could not get a lock it needs before its deadline; the message names who holds it.</summary>
public sealed class MigrationLockException : Exception
{
    public MigrationLockException()
    {
    }

    public MigrationLockException(string message)
        : base(message)
    {
    }

    public MigrationLockException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

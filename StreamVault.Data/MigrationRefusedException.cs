namespace StreamVault.Data;

/// <summary>
/// A run refused before changing anything, because it could not succeed where it is pointed (a read-only standby, a
/// role lacking rights); the message says why in one line and what to do instead.
/// </summary>
public sealed class MigrationRefusedException : Exception
{
    /// <summary>A refusal with the default message.</summary>
    public MigrationRefusedException()
    {
    }

    /// <summary>A refusal described by <paramref name="message"/>.</summary>
    /// <param name="message">Why the run cannot go ahead, and what to do instead.</param>
    public MigrationRefusedException(string message)
        : base(message)
    {
    }

    /// <summary>A refusal caused by <paramref name="innerException"/>.</summary>
    /// <param name="message">Why the run cannot go ahead, and what to do instead.</param>
    /// <param name="innerException">The error that revealed it.</param>
    public MigrationRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

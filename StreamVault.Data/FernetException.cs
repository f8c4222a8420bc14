namespace StreamVault.Data;

/// <summary>
/// A Fernet key or token that cannot be used: key text that is not a Fernet key, or a token that is malformed, was
/// made with another key, was altered, or is older than the age allowed. The message says which in one line; it never
/// holds the key, and no plaintext is returned from a token that fails any check.
/// </summary>
public sealed class FernetException : Exception
{
    /// <summary>An error with the default message.</summary>
    public FernetException()
    {
    }

    /// <summary>An error described by <paramref name="message"/>.</summary>
    /// <param name="message">What is wrong with the key or token.</param>
    public FernetException(string message)
        : base(message)
    {
    }

    /// <summary>An error caused by <paramref name="innerException"/>.</summary>
    /// <param name="message">What is wrong with the key or token.</param>
    /// <param name="innerException">The error that revealed it.</param>
    public FernetException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

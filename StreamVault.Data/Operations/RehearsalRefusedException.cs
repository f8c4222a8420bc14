namespace StreamVault.Data.Operations;

/// <summary><c>--rehearse-on</c> named the database being planned: a rehearsal there would be the real run.</summary>
internal sealed class RehearsalRefusedException : Exception
{
    public RehearsalRefusedException()
    {
    }

    public RehearsalRefusedException(string message)
        : base(message)
    {
    }

    public RehearsalRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

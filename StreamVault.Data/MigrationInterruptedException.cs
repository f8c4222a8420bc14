namespace StreamVault.Data;

/// <summary>
/// A run lost its session part-way: the server crashed, restarted or failed over, or terminated the session. Nothing
/// is half-applied: the migrations applied before <see cref="MigrationId"/> are kept, that one was rolled back (an
/// index build it had started may be left INVALID, which the next run drops and rebuilds), and running migrate again
/// finishes the job. The message says so in one line. Not recorded in the ledger as a failure: the migration did not fail.
/// </summary>
public sealed class MigrationInterruptedException : Exception
{
    /// <summary>An interruption with the default message.</summary>
    public MigrationInterruptedException()
    {
    }

    /// <summary>An interruption described by <paramref name="message"/>.</summary>
    /// <param name="message">What was interrupted, what is kept and what to do next.</param>
    public MigrationInterruptedException(string message)
        : base(message)
    {
    }

    /// <summary>An interruption caused by <paramref name="innerException"/>.</summary>
    /// <param name="message">What was interrupted, what is kept and what to do next.</param>
    /// <param name="innerException">The connection error.</param>
    public MigrationInterruptedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <param name="message">The one line the engine wrote (what was interrupted, what is kept, what to do).</param>
    /// <param name="migrationId">The migration that was running, or null.</param>
    /// <param name="appliedBefore">How many migrations this run completed before it.</param>
    /// <param name="innerException">The connection error.</param>
    internal MigrationInterruptedException(string message, string? migrationId, int appliedBefore, Exception innerException)
        : base(message, innerException)
    {
        MigrationId = migrationId;
        AppliedBefore = appliedBefore;
    }

    /// <summary>The migration that was running, or null when the run was interrupted between or before migrations.</summary>
    public string? MigrationId { get; }

    /// <summary>How many migrations this run applied (or reverted) before the interruption; they are kept.</summary>
    public int AppliedBefore { get; }
}

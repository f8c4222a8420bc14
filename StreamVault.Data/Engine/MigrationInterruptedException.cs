namespace StreamVault.Data.Engine;

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

    internal MigrationInterruptedException(string? migrationId, int appliedBefore, bool startedIndexBuilds, Exception innerException)
        : base(Describe(migrationId, appliedBefore, startedIndexBuilds, innerException), innerException)
    {
        MigrationId = migrationId;
        AppliedBefore = appliedBefore;
    }

    /// <summary>The migration that was running, or null when the run was interrupted between or before migrations.</summary>
    public string? MigrationId { get; }

    /// <summary>How many migrations this run applied (or reverted) before the interruption; they are kept.</summary>
    public int AppliedBefore { get; }

    private static string Describe(string? migrationId, int appliedBefore, bool startedIndexBuilds, Exception cause)
    {
        var reason = MigrationFailure.DescribeInterruption(cause);
        var plural = appliedBefore == 1 ? "migration" : "migrations";
        if (migrationId is null)
        {
            return appliedBefore == 0
                ? $"migrate was interrupted ({reason}) before any migration ran; nothing was changed. Run migrate again to finish"
                : $"migrate was interrupted ({reason}) after the {appliedBefore} {plural} it applied, which are kept. Run migrate again to finish";
        }

        var kept = appliedBefore == 0 ? "" : $"the {appliedBefore} {plural} this run applied before it {(appliedBefore == 1 ? "is" : "are")} kept; ";
        var builds = startedIndexBuilds ? " (an index build it started may be left INVALID; the next run rebuilds it)" : "";
        return $"migration {migrationId} was interrupted ({reason}): {kept}{migrationId} was rolled back{builds}. Run migrate again to finish";
    }
}

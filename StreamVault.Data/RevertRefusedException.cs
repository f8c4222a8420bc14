namespace StreamVault.Data;

/// <summary>
/// A revert was refused before anything ran, because a <c>Down</c> in its range would refuse or fail
/// (see the engine's revert plan). Nothing was reverted; EF history and <c>applied_migrations</c> are unchanged.
/// </summary>
public sealed class RevertRefusedException : Exception
{
    /// <summary>A refusal with the default message.</summary>
    public RevertRefusedException()
    {
    }

    /// <summary>A refusal described by <paramref name="message"/>.</summary>
    /// <param name="message">One line naming the target and every blocker.</param>
    public RevertRefusedException(string message)
        : base(message)
    {
    }

    /// <summary>A refusal caused by <paramref name="innerException"/>.</summary>
    /// <param name="message">One line naming the target and every blocker.</param>
    /// <param name="innerException">The cause.</param>
    public RevertRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the refusal of a revert to <paramref name="target"/> for <paramref name="blockers"/>.</summary>
    /// <param name="target">The EF id reverted to, or <c>0</c>.</param>
    /// <param name="blockers">What stands in the way, each naming the migration whose <c>Down</c> it blocks.</param>
    public RevertRefusedException(string target, IReadOnlyList<string> blockers)
        : base($"revert to {target} refused, nothing reverted: {string.Join("; ", blockers ?? [])}")
    {
        Target = target;
        Blockers = blockers ?? [];
    }

    /// <summary>The EF id reverted to, or <c>0</c>.</summary>
    public string Target { get; } = "";

    /// <summary>Every blocker, in the order the <c>Down</c>s would have met them.</summary>
    public IReadOnlyList<string> Blockers { get; } = [];
}

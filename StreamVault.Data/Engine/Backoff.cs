namespace StreamVault.Data.Engine;

/// <summary>
/// Exponential backoff with full jitter: replicas that collide on a lock spread out instead of retrying in step.
/// </summary>
internal static class Backoff
{
    private static readonly TimeSpan First = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Cap = TimeSpan.FromSeconds(5);

    public static TimeSpan Delay(int attempt, TimeSpan remaining)
    {
        var ceiling = Math.Min(Cap.TotalMilliseconds, First.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 16)));
#pragma warning disable CA5394 // Jitter needs spread, not unpredictability.
        var jittered = TimeSpan.FromMilliseconds((ceiling / 2) + (Random.Shared.NextDouble() * ceiling / 2));
#pragma warning restore CA5394
        return remaining <= TimeSpan.Zero ? TimeSpan.Zero : jittered < remaining ? jittered : remaining;
    }
}

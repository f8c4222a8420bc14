using System.Diagnostics;

namespace StreamVault.Benchmarks;

/// <summary>
/// Counts the SQL statements Npgsql sends to one database, the way the engine tests do: an ActivityListener on
/// Npgsql's ActivitySource, filtered by the database tag so other databases of the same server don't count.
/// </summary>
internal sealed class StatementCounter : IDisposable
{
    private readonly ActivityListener _listener;
    private int _count;
    private long _durationTicks;

    public StatementCounter(string database)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (Equals(activity.GetTagItem("db.namespace") ?? activity.GetTagItem("db.name"), database))
                {
                    Interlocked.Increment(ref _count);
                    Interlocked.Add(ref _durationTicks, activity.Duration.Ticks);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>Statements counted since the last call.</summary>
    public int Take() => Interlocked.Exchange(ref _count, 0);

    /// <summary>Time spent inside those statements (as Npgsql saw it: send to last row read) since the last call.</summary>
    public TimeSpan TakeDuration() => TimeSpan.FromTicks(Interlocked.Exchange(ref _durationTicks, 0));

    public void Dispose() => _listener.Dispose();
}

using System.Diagnostics;
using Npgsql;
using StreamVault.Data.Engine;

namespace StreamVault.Data.Operations;

/// <summary>
/// A second session that reads <c>pg_locks</c> every <see cref="Interval"/> for the table locks the rehearsal's run
/// session holds, and keeps when each (table, mode) was first and last seen. What a statement outside a transaction
/// (a concurrent build) held is known only from here: its locks end with it.
/// </summary>
internal sealed class LockSampler : IAsyncDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    private const string Query = """
        SELECT c.relname, l.mode
        FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
        WHERE l.pid = @pid AND l.granted AND l.locktype = 'relation'
          AND c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
        """;

    private readonly Stopwatch _clock;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly List<Sighting> _sightings = [];
    private readonly Dictionary<(string, string), Sighting> _open = [];
    private Task? _loop;
    private bool _disposed;

    public LockSampler(Stopwatch clock) => _clock = clock;

    /// <summary>One stretch in which a lock was seen held: from its first to its last sample.</summary>
    public sealed record Sighting(string Table, string Mode, TimeSpan From)
    {
        public TimeSpan To { get; set; }
    }

    /// <summary>Starts sampling the session <paramref name="pid"/> (once; later calls do nothing).</summary>
    public void Start(NpgsqlDataSource dataSource, int pid)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _loop ??= Task.Run(() => SampleAsync(dataSource, pid, _stop.Token));
    }

    /// <summary>The stretches that overlap <paramref name="from"/>–<paramref name="to"/>.</summary>
    public IReadOnlyList<Sighting> During(TimeSpan from, TimeSpan to)
    {
        lock (_gate)
        {
            return [.. _sightings.Where(s => s.From <= to + Interval && s.To >= from)];
        }
    }

    /// <summary>Stops sampling (its sightings stay readable); a second call does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            try
            {
                await _loop;
            }
            catch (OperationCanceledException)
            {
            }
        }

        _stop.Dispose();
    }

    private async Task SampleAsync(NpgsqlDataSource dataSource, int pid, CancellationToken stop)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(stop);
            await using var command = new NpgsqlCommand(Query, connection);
            command.Parameters.AddWithValue("pid", pid);
            await command.PrepareAsync(stop);
            while (!stop.IsCancellationRequested)
            {
                var seen = new HashSet<(string, string)>();
                await using (var reader = await command.ExecuteReaderAsync(stop))
                {
                    while (await reader.ReadAsync(stop))
                    {
                        seen.Add((reader.GetString(0), LockModes.FromPgLocks(reader.GetString(1))));
                    }
                }

                var now = _clock.Elapsed;
                lock (_gate)
                {
                    foreach (var key in seen)
                    {
                        if (!_open.TryGetValue(key, out var sighting))
                        {
                            sighting = new Sighting(key.Item1, key.Item2, now);
                            _open[key] = sighting;
                            _sightings.Add(sighting);
                        }

                        sighting.To = now;
                    }

                    foreach (var gone in _open.Keys.Where(k => !seen.Contains(k)).ToList())
                    {
                        _open.Remove(gone);
                    }
                }

                await Task.Delay(Interval, stop);
            }
        }
        catch (Exception unseen) when (unseen is NpgsqlException or InvalidOperationException)
        {
            // The sampler only adds what a second session sees; the run's own readings stand without it.
        }
    }
}

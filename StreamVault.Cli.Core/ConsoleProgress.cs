using System.Diagnostics;
using System.Globalization;
using StreamVault.Data;

namespace StreamVault.Cli;

/// <summary>
/// One stdout line per finished migration with its duration, and a "still running" line on stderr every
/// few seconds while one step takes long (a concurrent index build on a big table), so a deploy log shows life.
/// </summary>
internal sealed class ConsoleProgress : IMigrationProgress, IDisposable
{
    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(5);

    private readonly TextWriter _out;
    private readonly TextWriter _error;
    private readonly Stopwatch _clock = new();
    private readonly Lock _gate = new();
    private readonly Timer _heartbeat;
    private bool _reverting;
    private TimeSpan _nextReport = HeartbeatInterval;

    public ConsoleProgress(TextWriter output, TextWriter error)
    {
        _out = output;
        _error = error;
        // Ticks every second so a report comes within a second of each 5 s mark of the running step.
        _heartbeat = new Timer(_ => Heartbeat(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    public int Succeeded { get; private set; }

    public bool UpToDate { get; private set; }

    /// <summary>The migration running now; after a failure, the one that failed.</summary>
    public string? Current { get; private set; }

    public void MigrationStarting(string migrationId, bool reverting)
    {
        lock (_gate)
        {
            CompleteCurrent();
            Current = migrationId;
            _reverting = reverting;
            _nextReport = HeartbeatInterval;
            _clock.Restart();
        }
    }

    public void NothingToApply()
    {
        lock (_gate)
        {
            UpToDate = true;
        }
    }

    /// <summary>The run returned: the last migration finished.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            CompleteCurrent();
        }
    }

    /// <summary>The run threw: the current migration (if one had started) failed, or was interrupted and rolled back.</summary>
    public void Fail(bool interrupted = false)
    {
        lock (_gate)
        {
            if (Current is { } failed)
            {
                _out.WriteLine($"{(interrupted ? "Interrupted" : "Failed  ")} {failed} after {Elapsed()}");
            }
        }
    }

    public void Dispose() => _heartbeat.Dispose();

    private void CompleteCurrent()
    {
        if (Current is { } finished)
        {
            _out.WriteLine($"{(_reverting ? "Reverted" : "Applied ")} {finished} ({Elapsed()})");
            Succeeded++;
            Current = null;
        }
    }

    private void Heartbeat()
    {
        lock (_gate)
        {
            if (Current is { } running && _clock.Elapsed >= _nextReport)
            {
                _error.WriteLine($"still running {running} ({_nextReport.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s)");
                _nextReport += HeartbeatInterval;
            }
        }
    }

    private string Elapsed()
        => _clock.Elapsed < TimeSpan.FromSeconds(10)
            ? string.Create(CultureInfo.InvariantCulture, $"{_clock.ElapsedMilliseconds} ms")
            : string.Create(CultureInfo.InvariantCulture, $"{_clock.Elapsed.TotalSeconds:0.0} s");
}

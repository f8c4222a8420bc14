using System.Diagnostics;
using System.Globalization;
using StreamVault.Data;

namespace StreamVault.Cli;

/// <summary>
/// One stdout line per finished migration (applied with its duration, or adopted with the app's date), and on stderr
/// how a long step is getting on: a concurrent index build's phase and percentage
/// (<c>building idx_streams_title on streams: scanning table 45%</c>), otherwise <c>still running …</c>. On a terminal
/// that is one live line, rewritten every second; otherwise a plain line every <see cref="ReportInterval"/>, so a deploy
/// log shows life without filling up.
/// </summary>
internal sealed class ConsoleProgress : IMigrationProgress, IDisposable
{
    /// <summary>How often a log (not a terminal) gets a line while one step runs.</summary>
    public static readonly TimeSpan ReportInterval = TimeSpan.FromSeconds(10);

    // A build's reading older than this is over (the watch reads every second while the build runs).
    private static readonly TimeSpan FreshReading = TimeSpan.FromSeconds(3);

    private readonly TextWriter _out;
    private readonly TextWriter _error;
    private readonly bool _live;
    private readonly Stopwatch _clock = new();
    private readonly Lock _gate = new();
    private readonly Timer _heartbeat;
    private bool _reverting;
    private bool _adopted;
    private DateTimeOffset? _appliedByAppAt;
    private int _skipped;
    private int _statements;
    private IndexBuildProgress? _build;
    private TimeSpan _buildReadAt;
    private TimeSpan _nextReport = ReportInterval;
    private bool _liveLineShown;

    /// <param name="output">Where finished migrations are printed.</param>
    /// <param name="error">Where a running step's progress goes.</param>
    /// <param name="live">The error stream is a terminal: one rewritten line instead of a line every 10 s.</param>
    public ConsoleProgress(TextWriter output, TextWriter error, bool live)
    {
        _out = output;
        _error = error;
        _live = live;
        // Ticks every second: the live line moves at that pace, and a log's line comes within a second of each mark.
        _heartbeat = new Timer(_ => Heartbeat(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    /// <summary>Migrations that finished (applied, adopted or reverted).</summary>
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
            _adopted = false;
            _appliedByAppAt = null;
            _skipped = 0;
            _statements = 0;
            _build = null;
            _nextReport = ReportInterval;
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

    public void MigrationAdopted(string migrationId, DateTimeOffset? appliedByAppAt)
    {
        lock (_gate)
        {
            if (migrationId == Current)
            {
                _adopted = true;
                _appliedByAppAt = appliedByAppAt;
            }
        }
    }

    public void StatementsSkipped(string migrationId, int skipped, int statements)
    {
        lock (_gate)
        {
            if (migrationId == Current)
            {
                _skipped = skipped;
                _statements = statements;
            }
        }
    }

    public void IndexBuild(IndexBuildProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        lock (_gate)
        {
            if (progress.MigrationId == Current)
            {
                _build = progress;
                _buildReadAt = _clock.Elapsed;
            }
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
            ClearLiveLine();
            if (Current is { } failed)
            {
                _out.WriteLine($"{(interrupted ? "Interrupted" : "Failed  ")} {failed} after {Elapsed()}");
            }
        }
    }

    public void Dispose()
    {
        _heartbeat.Dispose();
        lock (_gate)
        {
            ClearLiveLine();
        }
    }

    /// <summary>
    /// <c>Adopted  20250522000000_AddStreamIndices (applied by the app on 2025-06-23)</c>: a migration recorded, not run.
    /// </summary>
    internal static string AdoptedLine(string migrationId, DateTimeOffset? appliedByAppAt)
        => appliedByAppAt is { } at
            ? string.Create(CultureInfo.InvariantCulture, $"Adopted  {migrationId} (applied by the app on {at.UtcDateTime:yyyy-MM-dd})")
            : $"Adopted  {migrationId} (its objects were already present, no app ledger row)";

    private void CompleteCurrent()
    {
        ClearLiveLine();
        if (Current is { } finished)
        {
            _out.WriteLine(
                _adopted ? AdoptedLine(finished, _appliedByAppAt)
                : _skipped > 0 ? string.Create(
                    CultureInfo.InvariantCulture,
                    $"{(_reverting ? "Reverted" : "Applied ")} {finished} ({Elapsed()}; {_skipped} of {_statements} statements skipped, their objects present)")
                : $"{(_reverting ? "Reverted" : "Applied ")} {finished} ({Elapsed()})");
            Succeeded++;
            Current = null;
        }
    }

    private void Heartbeat()
    {
        lock (_gate)
        {
            if (Current is not { } running)
            {
                return;
            }

            var build = _build is { } reading && _clock.Elapsed - _buildReadAt < FreshReading ? reading.Describe() : null;
            if (_live)
            {
                // \r and erase-to-end-of-line: the line is rewritten in place.
                _error.Write(string.Create(
                    CultureInfo.InvariantCulture, $"\r{build ?? $"running {running}"} ({_clock.Elapsed.TotalSeconds:0} s)\u001b[K"));
                _error.Flush();
                _liveLineShown = true;
            }
            else if (_clock.Elapsed >= _nextReport)
            {
                // One line per mark: the build's progress when there is a build to read, else that the step still runs.
                _error.WriteLine(build ?? $"still running {running} ({_nextReport.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s)");
                _nextReport += ReportInterval;
            }
        }
    }

    private void ClearLiveLine()
    {
        if (_liveLineShown)
        {
            _error.Write("\r\u001b[K");
            _error.Flush();
            _liveLineShown = false;
        }
    }

    private string Elapsed()
        => _clock.Elapsed < TimeSpan.FromSeconds(10)
            ? string.Create(CultureInfo.InvariantCulture, $"{_clock.ElapsedMilliseconds} ms")
            : string.Create(CultureInfo.InvariantCulture, $"{_clock.Elapsed.TotalSeconds:0.0} s");
}

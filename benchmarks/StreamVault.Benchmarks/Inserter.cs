using System.Diagnostics;
using Npgsql;

namespace StreamVault.Benchmarks;

/// <summary>
/// The running application during benchmark 4: inserts streams one row at a time, each its own autocommit
/// statement, as fast as it can on its own connection, and records when each insert started and ended.
/// </summary>
internal sealed class Inserter
{
    private readonly List<(long Start, long End)> _samples = new(capacity: 1 << 20);
    private volatile bool _stop;
    private Task? _loop;

    public Task StartAsync(string connectionString)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // A dedicated thread: the thread pool on two shared cores must not decide when the next insert goes out.
        _loop = Task.Factory.StartNew(
            () => Run(connectionString, started), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        return started.Task;
    }

    /// <summary>Stops after the insert in flight and returns every sample (Stopwatch timestamps).</summary>
    public async Task<IReadOnlyList<(long Start, long End)>> StopAsync()
    {
        _stop = true;
        await _loop!;
        return _samples;
    }

    private void Run(string connectionString, TaskCompletionSource started)
    {
        try
        {
            var csb = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, ApplicationName = "bench-inserter" };
            using var connection = new NpgsqlConnection(csb.ConnectionString);
            connection.Open();
            using var insert = new NpgsqlCommand(
                """
                INSERT INTO streams (streamer_id, title, category_name, language, started_at, twitch_stream_id)
                VALUES ((SELECT min(id) FROM streamers), $1, 'Just Chatting', 'en', now(), $1)
                """, connection);
            var title = new NpgsqlParameter<string> { TypedValue = "" };
            insert.Parameters.Add(title);
            insert.Prepare();
            started.SetResult();
            for (var i = 0; !_stop; i++)
            {
                title.TypedValue = "live-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                var start = Stopwatch.GetTimestamp();
                insert.ExecuteNonQuery();
                _samples.Add((start, Stopwatch.GetTimestamp()));
            }
        }
        catch (NpgsqlException e) when (started.TrySetException(e))
        {
            // Reported through StartAsync.
        }
    }
}

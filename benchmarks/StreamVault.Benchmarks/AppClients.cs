using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;

namespace StreamVault.Benchmarks;

/// <summary>
/// The running app during benchmark 6: several clients, each on its own connection, run the app's write pattern in a
/// loop (insert a stream, whose foreign key checks its streamer, and update that streamer; half of the clients in the
/// other order), a few ms apart. Every transaction is kept with its start, end and, if it failed, its SQLSTATE.
/// </summary>
internal sealed class AppClients : IDisposable
{
    private readonly ConcurrentBag<(long Start, long End, string? Failure)> _samples = [];
    private readonly CancellationTokenSource _stop = new();
    private List<Task> _clients = [];

    public async Task StartAsync(string connectionString, int clients)
    {
        var ids = new List<int>();
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT id FROM streamers ORDER BY id", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                ids.Add(reader.GetInt32(0));
            }
        }

        var opened = Enumerable.Range(0, clients).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToList();
        // Dedicated threads: the pool on two shared cores must not decide when the app's next transaction goes out.
        _clients = [.. Enumerable.Range(0, clients).Select(i => Task.Factory.StartNew(
            () => Run(connectionString, i, [.. ids], opened[i]), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default))];
        await Task.WhenAll(opened.Select(o => o.Task));
    }

    /// <summary>Stops the clients after their transaction in flight; every sample, in Stopwatch timestamps.</summary>
    public async Task<IReadOnlyList<(long Start, long End, string? Failure)>> StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_clients);
        return [.. _samples];
    }

    public void Dispose() => _stop.Dispose();

    private void Run(string connectionString, int client, int[] streamerIds, TaskCompletionSource opened)
    {
        try
        {
            var csb = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, ApplicationName = "bench-app" };
            using var connection = new NpgsqlConnection(csb.ConnectionString);
            connection.Open();
            opened.SetResult();
            const string insert = "INSERT INTO streams (streamer_id, title, started_at) VALUES ($1, 'app', now())";
            const string update = "UPDATE streamers SET is_live = NOT coalesce(is_live, false) WHERE id = $1";
            string[] statements = client % 2 == 0 ? [insert, update] : [update, insert];
            var random = new Random(client);
            while (!_stop.IsCancellationRequested)
            {
#pragma warning disable CA5394 // Which streamer a transaction touches needs spread, not unpredictability.
                var streamer = streamerIds[random.Next(streamerIds.Length)];
#pragma warning restore CA5394
                var start = Stopwatch.GetTimestamp();
                string? failure = null;
                try
                {
                    using var transaction = connection.BeginTransaction();
                    foreach (var sql in statements)
                    {
                        using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
                        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = streamer });
                        command.ExecuteNonQuery();
                    }

                    transaction.Commit();
                }
                catch (PostgresException e)
                {
                    failure = e.SqlState;
                }

                _samples.Add((start, Stopwatch.GetTimestamp(), failure));
                Thread.Sleep(5);
            }
        }
        catch (NpgsqlException e) when (opened.TrySetException(e))
        {
            // Reported through StartAsync.
        }
    }
}

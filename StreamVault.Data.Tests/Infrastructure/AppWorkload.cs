using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;

namespace StreamVault.Data.Tests.Infrastructure;

/// <summary>
/// The running app's write pattern on several clients: each transaction inserts a stream (whose foreign key checks its
/// streamer) and updates that streamer, half of the clients in that order and half the other way round, with a short
/// pause between transactions. Every failed transaction is kept with its SQLSTATE; the clients carry on after one.
/// Each session sets a short <c>deadlock_timeout</c>, so that any moment the migration holds one table while waiting
/// for another turns into a failed app transaction at once rather than by chance.
/// </summary>
public sealed class AppWorkload : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _failures = new();
    private readonly ConcurrentQueue<TimeSpan> _latencies = new();
    private readonly List<Task> _clients;
    private long _committed;

    private AppWorkload(string connectionString, int clients, TimeSpan pause, int[] streamerIds)
    {
        _clients = [.. Enumerable.Range(0, clients).Select(i => Task.Run(() => RunClientAsync(connectionString, i, pause, streamerIds)))];
    }

    /// <summary>Transactions committed so far.</summary>
    public long Committed => Interlocked.Read(ref _committed);

    /// <summary>Starts <paramref name="clients"/> clients on the streamers of <paramref name="connectionString"/>'s database.</summary>
    public static async Task<AppWorkload> StartAsync(string connectionString, int clients = 8, TimeSpan? pause = null)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var ids = new NpgsqlCommand("SELECT id FROM streamers ORDER BY id", connection);
        var streamerIds = new List<int>();
        await using (var reader = await ids.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                streamerIds.Add(reader.GetInt32(0));
            }
        }

        return new AppWorkload(connectionString, clients, pause ?? TimeSpan.FromMilliseconds(5), [.. streamerIds]);
    }

    /// <summary>Waits until the clients have committed <paramref name="count"/> more transactions (they are running).</summary>
    public async Task WaitForCommitsAsync(long count, TimeSpan timeout)
    {
        var target = Committed + count;
        var clock = Stopwatch.StartNew();
        while (Committed < target)
        {
            if (clock.Elapsed > timeout || _clients.All(c => c.IsCompleted))
            {
                throw new TimeoutException($"the app workload committed {Committed} transactions, fewer than {target}; failures: {string.Join("; ", _failures)}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Stops the clients: what failed (SQLSTATE and message, one per failed transaction), what committed, the slowest transaction.</summary>
    public async Task<(IReadOnlyList<string> Failures, long Committed, TimeSpan Slowest)> StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_clients);
        return ([.. _failures], Committed, _latencies.IsEmpty ? TimeSpan.Zero : _latencies.Max());
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        _stop.Dispose();
    }

    private async Task RunClientAsync(string connectionString, int client, TimeSpan pause, int[] streamerIds)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, ApplicationName = "app-workload" };
        await using var connection = new NpgsqlConnection(settings.ConnectionString);
        await connection.OpenAsync();
        await using (var setup = new NpgsqlCommand("SET deadlock_timeout = '50ms'", connection))
        {
            await setup.ExecuteNonQueryAsync();
        }

        var random = new Random(client);
        const string insert = "INSERT INTO streams (streamer_id, title, started_at) VALUES (@streamer, 'app workload', now())";
        const string update = "UPDATE streamers SET is_live = NOT coalesce(is_live, false) WHERE id = @streamer";
        var statements = client % 2 == 0 ? new[] { insert, update } : [update, insert];
        while (!_stop.IsCancellationRequested)
        {
#pragma warning disable CA5394 // Which streamer a transaction touches needs spread, not unpredictability.
            var streamer = streamerIds[random.Next(streamerIds.Length)];
#pragma warning restore CA5394
            var clock = Stopwatch.StartNew();
            try
            {
                await using var transaction = await connection.BeginTransactionAsync();
                foreach (var sql in statements)
                {
                    await using var command = new NpgsqlCommand(sql, connection, transaction);
                    command.Parameters.AddWithValue("streamer", streamer);
                    await command.ExecuteNonQueryAsync();
                }

                await transaction.CommitAsync();
                Interlocked.Increment(ref _committed);
                _latencies.Enqueue(clock.Elapsed);
            }
            catch (PostgresException failure)
            {
                _failures.Enqueue($"{failure.SqlState}: {failure.MessageText}");
            }

            try
            {
                await Task.Delay(pause, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }
}

using System.Data;
using System.Diagnostics;
using Npgsql;
using Xunit;

namespace StreamVault.Data.Tests.Infrastructure;

/// <summary>
/// Holds a run's concurrent index builds in their last wait: a REPEATABLE READ transaction that has taken a snapshot (and no
/// lock), like a long report of the app. A concurrent build scans its table, then waits for every transaction whose
/// snapshot is older than its own (phase <c>waiting for old snapshots</c>) until this one ends.
/// </summary>
public sealed class HeldIndexBuild : IAsyncDisposable
{
    /// <summary>PostgreSQL's name of the phase a build is held in.</summary>
    public const string Phase = "waiting for old snapshots";

    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;

    private HeldIndexBuild(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    /// <summary>Opens the snapshot: every concurrent build that starts afterwards waits for it.</summary>
    public static async Task<HeldIndexBuild> OpenAsync(string connectionString)
    {
        var ct = TestContext.Current.CancellationToken;
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        await using var snapshot = new NpgsqlCommand("SELECT 1", connection, transaction);
        await snapshot.ExecuteScalarAsync(ct);
        return new HeldIndexBuild(connection, transaction);
    }

    /// <summary>
    /// Waits until a build of <paramref name="database"/> is held (<see cref="Phase"/>) and returns its index and table;
    /// fails when <paramref name="run"/> ends first or after two minutes.
    /// </summary>
    public static async Task<(string Index, string Table)> WaitUntilHeldAsync(string database, Task run)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(ct);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            await using var held = new NpgsqlCommand("""
                SELECT i.relname, t.relname FROM pg_stat_progress_create_index p
                JOIN pg_class i ON i.oid = p.index_relid JOIN pg_class t ON t.oid = p.relid
                WHERE p.datid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND p.phase = @phase
                """, connection);
            held.Parameters.AddWithValue("phase", Phase);
            await using (var reader = await held.ExecuteReaderAsync(ct))
            {
                if (await reader.ReadAsync(ct))
                {
                    return (reader.GetString(0), reader.GetString(1));
                }
            }

            Assert.False(run.IsCompleted, "the run ended before an index build was held");
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), "no index build was held within two minutes");
            await Task.Delay(100, ct);
        }
    }

    /// <summary>Ends the snapshot: the held build goes on.</summary>
    public Task ReleaseAsync() => _transaction.CommitAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }
}

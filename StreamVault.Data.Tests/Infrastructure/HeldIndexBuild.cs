using System.Data;
using System.Diagnostics;
using System.Globalization;
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
    /// Waits until a build of <paramref name="database"/> waits for this snapshot (in <see cref="Phase"/>) and returns it;
    /// fails when <paramref name="run"/> ends first or after two minutes. From then until <see cref="ReleaseAsync"/> its
    /// progress stands still: the phase counts the older snapshots waited for, one after the other, and besides this one
    /// it may count any short query of the same database (the tests' own pollers, the engine's watch) that was running
    /// when the phase began, so the percentage is read here, not assumed.
    /// </summary>
    public async Task<HeldBuild> WaitUntilHeldAsync(string database, Task run)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(ct);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            await using var held = new NpgsqlCommand("""
                SELECT i.relname, t.relname, p.lockers_done, p.lockers_total FROM pg_stat_progress_create_index p
                JOIN pg_class i ON i.oid = p.index_relid JOIN pg_class t ON t.oid = p.relid
                WHERE p.datid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND p.phase = @phase
                  AND @holder = ANY (pg_blocking_pids(p.pid))
                """, connection);
            held.Parameters.AddWithValue("phase", Phase);
            held.Parameters.AddWithValue("holder", _connection.ProcessID);
            await using (var reader = await held.ExecuteReaderAsync(ct))
            {
                if (await reader.ReadAsync(ct))
                {
                    return new HeldBuild(reader.GetString(0), reader.GetString(1), 100.0 * reader.GetInt64(2) / reader.GetInt64(3));
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

/// <summary>A build held by <see cref="HeldIndexBuild"/>: its index, table and the percentage its phase stands at.</summary>
public sealed record HeldBuild(string Index, string Table, double Percent)
{
    /// <summary>The build as migrate's progress, the log and the health check describe it while it is held.</summary>
    public string Line => string.Create(CultureInfo.InvariantCulture, $"building {Index} on {Table}: {HeldIndexBuild.Phase} {Math.Floor(Percent):0}%");
}

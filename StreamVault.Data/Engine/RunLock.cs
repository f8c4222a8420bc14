using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace StreamVault.Data.Engine;

/// <summary>
/// The migration run's session-level advisory lock, the one lock of migrate, repair and mark-applied. Taken
/// with <c>pg_try_advisory_lock</c>, polled with jittered backoff up to a deadline while logging who holds it;
/// PostgreSQL releases it if the holding process dies.
/// </summary>
internal sealed class RunLock : IAsyncDisposable, IDisposable
{
    private readonly NpgsqlConnection _connection;

    private RunLock(NpgsqlConnection connection) => _connection = connection;

    public static async Task<RunLock> AcquireAsync(
        NpgsqlConnection connection, TimeSpan deadline, ILogger logger, bool async, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        string? holder = null;
        var span = MigrationTelemetry.StartLockWait(connection, "migration run lock");
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                if (await Sql.ScalarAsync<bool>(connection, EngineSql.TryRunLock, async, cancellationToken))
                {
                    EngineLog.RunLockAcquired(logger, clock.ElapsedMilliseconds);
                    MigrationTelemetry.EndLockWait(span, connection, clock.Elapsed, attempt + 1, "acquired", holder);
                    return new RunLock(connection);
                }

                holder = await Sql.DescribeRunLockHolderAsync(connection, async, cancellationToken);
            }
            catch (Exception failure)
            {
                MigrationTelemetry.EndLockWait(span, connection, clock.Elapsed, attempt + 1, "error", holder, failure);
                throw;
            }

            if (clock.Elapsed >= deadline)
            {
                var timeout = new MigrationLockException(string.Create(CultureInfo.InvariantCulture,
                    $"another migration run still holds the migration lock after {deadline.TotalSeconds:0} s: {holder}"));
                MigrationTelemetry.EndLockWait(span, connection, clock.Elapsed, attempt + 1, "timeout", holder, timeout);
                throw timeout;
            }

            if (attempt == 0 || clock.Elapsed - lastReport >= TimeSpan.FromSeconds(5))
            {
                EngineLog.WaitingForRunLock(logger, holder);
                lastReport = clock.Elapsed;
            }

            var delay = Backoff.Delay(attempt, deadline - clock.Elapsed);
            try
            {
                if (async)
                {
                    await Task.Delay(delay, cancellationToken);
                }
                else
                {
                    Thread.Sleep(delay);
                }
            }
            catch (OperationCanceledException cancelled)
            {
                MigrationTelemetry.EndLockWait(span, connection, clock.Elapsed, attempt + 1, "error", holder, cancelled);
                throw;
            }
        }
    }

    public void Dispose() => Release(async: false).AsTask().GetAwaiter().GetResult();

    public ValueTask DisposeAsync() => Release(async: true);

    private async ValueTask Release(bool async)
    {
        // A broken connection's session is gone, and its lock with it.
        if (_connection.State == System.Data.ConnectionState.Open)
        {
            await Sql.ScalarAsync<bool>(_connection, EngineSql.ReleaseRunLock, async, CancellationToken.None);
        }
    }
}

using System.Data;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace StreamVault.Data.Engine;

/// <summary>
/// The migration run lock, the one lock of migrate, repair and mark-applied: a transaction-level advisory lock
/// (<c>pg_try_advisory_xact_lock</c>) held by an open transaction on a connection of its own for the run's
/// duration. Polled (BEGIN, try, ROLLBACK when taken by another run) with jittered backoff up to a deadline while
/// logging who holds it.
/// </summary>
/// <remarks>
/// Why not a session lock on the run's connection: behind a transaction-mode pooler (PgBouncer) consecutive
/// statements of one client reach different server sessions, so a session lock lands on whichever server
/// connection ran it and stays there after the client leaves. An open transaction pins one server connection in
/// any pooler, and when the client goes away PostgreSQL (or PgBouncer, which closes a server connection its client
/// left mid-transaction) ends the transaction, and the lock with it. The transaction is READ COMMITTED, so it holds
/// no snapshot between statements (a concurrent index build waits for every transaction holding one, and a
/// repeatable-read default would make the build wait for this lock's own transaction forever; each statement on it
/// ends with one that needs no snapshot, see <see cref="EngineSql.TryRunLock"/>), takes no transaction id, and sets
/// idle_in_transaction_session_timeout = 0 locally so a long index build on the run connection does not get the
/// lock's session killed.
/// </remarks>
internal sealed class RunLock : IAsyncDisposable, IDisposable
{
    private readonly NpgsqlConnection _lockConnection;
    private readonly NpgsqlTransaction _transaction;
    private bool _released;

    private RunLock(NpgsqlConnection lockConnection, NpgsqlTransaction transaction)
    {
        _lockConnection = lockConnection;
        _transaction = transaction;
    }

    /// <summary>
    /// Takes the lock on a new connection from <paramref name="dataSource"/> (the run's own data source, so the same
    /// credentials and host choice), which the returned lock owns.
    /// </summary>
    public static async Task<RunLock> AcquireAsync(
        NpgsqlDataSource dataSource, TimeSpan deadline, ILogger logger, bool async, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var connection = async ? await dataSource.OpenConnectionAsync(cancellationToken) : dataSource.OpenConnection();
        try
        {
            return await PollAsync(connection, deadline, logger, async, cancellationToken);
        }
        catch
        {
            if (async)
            {
                await connection.DisposeAsync();
            }
            else
            {
                connection.Dispose();
            }

            throw;
        }
    }

    private static async Task<RunLock> PollAsync(
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
                var transaction = async
                    ? await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken)
                    : connection.BeginTransaction(IsolationLevel.ReadCommitted);
                if (await Sql.ScalarAsync<bool>(connection, EngineSql.TryRunLock, async, cancellationToken))
                {
                    EngineLog.RunLockAcquired(logger, clock.ElapsedMilliseconds);
                    MigrationTelemetry.EndLockWait(span, connection, clock.Elapsed, attempt + 1, "acquired", holder);
                    return new RunLock(connection, transaction);
                }

                // Ended at once: a waiting run holds nothing, not even a pooled server connection.
                await EndAsync(transaction, async);
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

    /// <summary>
    /// Fails if the lock's connection is gone (killed session, network): the lock went with it, and a run that went
    /// on would no longer be alone. Checked whenever the run starts a new transaction.
    /// </summary>
    public async Task EnsureHeldAsync(bool async, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = new NpgsqlCommand(EngineSql.KeepRunLock, _lockConnection);
            _ = async ? await command.ExecuteNonQueryAsync(cancellationToken) : command.ExecuteNonQuery();
        }
        catch (Exception lost) when (lost is NpgsqlException or InvalidOperationException)
        {
            throw new MigrationLockException(
                "the migration lock was lost: its connection to the server was closed; no further migration was started", lost);
        }
    }

    public void Dispose() => Release(async: false).AsTask().GetAwaiter().GetResult();

    public ValueTask DisposeAsync() => Release(async: true);

    private async ValueTask Release(bool async)
    {
        if (_released)
        {
            return;
        }

        _released = true;
        try
        {
            // A broken connection's transaction is gone on the server, and the lock with it.
            if (_lockConnection.State == ConnectionState.Open)
            {
                await EndAsync(_transaction, async);
            }
        }
        catch (NpgsqlException)
        {
            // The session ended under us (terminated, network): nothing is left to release, and the run's own outcome
            // (or its error) is what the caller reports.
        }
        finally
        {
            if (async)
            {
                await _lockConnection.DisposeAsync();
            }
            else
            {
                _lockConnection.Dispose();
            }
        }
    }

    private static async Task EndAsync(NpgsqlTransaction transaction, bool async)
    {
        if (async)
        {
            await transaction.RollbackAsync(CancellationToken.None);
            await transaction.DisposeAsync();
        }
        else
        {
            transaction.Rollback();
            transaction.Dispose();
        }
    }
}

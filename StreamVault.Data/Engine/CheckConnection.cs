using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace StreamVault.Data.Engine;

/// <summary>
/// EF's connection, opened for one check of the engine (no-op, database existence, history table, preflight) and
/// closed again afterwards; a connection that was already open is left open. Opened with <c>errorsExpected</c>: a
/// database that does not exist is each check's answer (3D000 propagates to the caller), not an error EF logs.
/// </summary>
internal sealed class CheckConnection : IAsyncDisposable
{
    private readonly IRelationalConnection _connection;
    private readonly bool _opened;
    private readonly bool _async;

    private CheckConnection(IRelationalConnection connection, bool opened, bool async)
    {
        _connection = connection;
        _opened = opened;
        _async = async;
    }

    public NpgsqlConnection Npgsql => (NpgsqlConnection)_connection.DbConnection;

    public static async Task<CheckConnection> OpenAsync(IRelationalConnection connection, bool async, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var opened = async ? await connection.OpenAsync(cancellationToken, errorsExpected: true) : connection.Open(errorsExpected: true);
        return new CheckConnection(connection, opened, async);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_opened)
        {
            return;
        }

        if (_async)
        {
            await _connection.CloseAsync();
        }
        else
        {
            _connection.Close();
        }
    }
}

using Npgsql;
using Xunit;

namespace StreamVault.Data.Tests.Infrastructure;

/// <summary>
/// A session like a running app's: an open transaction that has read a table, so it holds a share lock on it and an
/// old snapshot until it ends (an ALTER waits for it, and so does a concurrent index build).
/// </summary>
public sealed class ReadingSession : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;

    private ReadingSession(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    public int ProcessId => _connection.ProcessID;

    public static async Task<ReadingSession> OpenAsync(string connectionString, string table = "streams")
    {
        var ct = TestContext.Current.CancellationToken;
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        var transaction = await connection.BeginTransactionAsync(ct);
        await using var read = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection, transaction);
        await read.ExecuteScalarAsync(ct);
        return new ReadingSession(connection, transaction);
    }

    public Task CommitAsync(CancellationToken cancellationToken) => _transaction.CommitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }
}

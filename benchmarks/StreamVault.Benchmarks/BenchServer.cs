using System.Globalization;
using System.Security.Cryptography;
using Npgsql;

namespace StreamVault.Benchmarks;

/// <summary>
/// The server the benchmarks run on, reached with an admin connection string. Every measurement gets its own
/// database (fresh or cloned from a template); all of them are dropped at the end.
/// </summary>
internal sealed class BenchServer(string adminConnectionString) : IAsyncDisposable
{
    private readonly List<string> _created = [];

    public string AdminConnectionString { get; } = adminConnectionString;

    public string ConnectionString(string database)
        // Error details make the concurrent runners' failures (deadlocks, duplicate keys) say which statements collided.
        => new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = database, IncludeErrorDetail = true }.ConnectionString;

    /// <summary>A new database with a unique name; cloned from <paramref name="template"/> if given.</summary>
    public async Task<string> CreateDatabaseAsync(string label, string? template = null)
    {
        var name = $"svbench_{label}_{RandomNumberGenerator.GetHexString(6, lowercase: true)}";
        // FILE_COPY clones the million-row templates far faster than the WAL-logged default.
        var sql = template is null
            ? $"CREATE DATABASE {name}"
            : $"CREATE DATABASE {name} TEMPLATE {template} STRATEGY = FILE_COPY";
        await ExecuteAsync(AdminConnectionString, sql);
        _created.Add(name);
        return name;
    }

    public static async Task ExecuteAsync(string connectionString, string sql, int timeoutSeconds = 600)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = timeoutSeconds };
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// Drops pooled connections so a database can serve as a template (CREATE DATABASE refuses a template
    /// with sessions) and so no idle session of an earlier measurement lingers on the server.
    /// </summary>
    public static void ReleasePooledConnections() => NpgsqlConnection.ClearAllPools();

    public async Task DropAsync(string database)
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(AdminConnectionString, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
        _created.Remove(database);
    }

    public Task<string> ShowAsync(string setting) => ScalarAsync<string>(AdminConnectionString, $"SHOW {setting}");

    public async ValueTask DisposeAsync()
    {
        foreach (var database in _created.ToList())
        {
            try
            {
                await DropAsync(database);
            }
            catch (NpgsqlException e)
            {
                await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"could not drop {database}: {e.Message}"));
            }
        }
    }
}

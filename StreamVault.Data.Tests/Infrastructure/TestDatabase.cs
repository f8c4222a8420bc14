using System.Security.Cryptography;
using Npgsql;

namespace StreamVault.Data.Tests.Infrastructure;

/// <summary>
/// A fresh database on the run's server, dropped when disposed. Each test gets its own,
/// so tests never see each other's rows or schema changes and can run in parallel.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    /// <summary>PostgreSQL's "object in use": the template still has a connection, usually one being closed.</summary>
    private const string ObjectInUse = "55006";

    /// <summary>How long a copy waits for its template to be free (PostgreSQL itself waits 5 s per attempt).</summary>
    private static readonly TimeSpan TemplateBusyDeadline = TimeSpan.FromMinutes(2);

    private readonly PostgresServer server;
    private readonly bool dropOnDispose;
    private bool disposed;

    private TestDatabase(PostgresServer server, string name, string connectionString, bool dropOnDispose)
    {
        this.server = server;
        Name = name;
        ConnectionString = connectionString;
        this.dropOnDispose = dropOnDispose;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    /// <summary>Creates an empty database, or a copy of <paramref name="template"/> (see <see cref="TemplateDatabases"/>).</summary>
    public static async Task<TestDatabase> CreateAsync(string? template = null)
    {
        var server = await PostgresServer.GetAsync();
        var name = "sv_test_" + RandomNumberGenerator.GetHexString(8, lowercase: true);
        await CreateDatabaseAsync(server, name, template);
        return new TestDatabase(server, name, server.ConnectionStringFor(name), dropOnDispose: true);
    }

    /// <summary>
    /// A handle on a database the caller owns (a template being built): no pooling, so no connection
    /// lingers to block later copies, and not dropped on dispose.
    /// </summary>
    internal static TestDatabase ForTemplateBuild(PostgresServer server, string name)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(server.ConnectionStringFor(name)) { Pooling = false }.ConnectionString;
        return new TestDatabase(server, name, connectionString, dropOnDispose: false);
    }

    internal static async Task CreateDatabaseAsync(PostgresServer server, string name, string? template)
    {
        var sql = template is null
            ? $"CREATE DATABASE {Sql.Identifier(name)}"
            : $"CREATE DATABASE {Sql.Identifier(name)} TEMPLATE {Sql.Identifier(template)}";

        // Copies of one template run in parallel (CREATE DATABASE only shares-locks its template); what makes one fail with
        // "source database is being accessed by other users" is a session in the template itself, such as the builder's,
        // still closing, or a pooled connection. Idle pooled ones are closed here; the rest are waited out.
        var deadline = DateTime.UtcNow + TemplateBusyDeadline;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await Sql.ExecuteAsync(server.AdminConnectionString, sql);
                return;
            }
            catch (PostgresException exception) when (exception.SqlState == ObjectInUse && template is not null && DateTime.UtcNow < deadline)
            {
                Sql.ClearPool(server.ConnectionStringFor(template));
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(50 * attempt, 1000)));
            }
        }
    }

    internal static async Task DropDatabaseAsync(PostgresServer server, string name)
    {
        Sql.ClearPool(server.ConnectionStringFor(name));
        await Sql.ExecuteAsync(server.AdminConnectionString, $"DROP DATABASE IF EXISTS {Sql.Identifier(name)} WITH (FORCE)");
    }

    /// <summary>
    /// Runs one or more statements separated by semicolons as a single batch, which PostgreSQL runs in one
    /// implicit transaction: statements that refuse transactions (VACUUM, CREATE DATABASE,
    /// CREATE INDEX CONCURRENTLY) need a call of their own.
    /// </summary>
    public Task ExecuteSqlAsync(string sql) => Sql.ExecuteAsync(ConnectionString, sql);

    /// <summary>The first column of the first row; SQL NULL and no rows both give <c>default</c>.</summary>
    public Task<T?> ScalarAsync<T>(string sql) => Sql.ScalarAsync<T>(ConnectionString, sql);

    /// <summary>Executes an SQL file embedded from Fixtures/, named by its logical path (<c>Fixtures/june-2025.sql</c>).</summary>
    public async Task RunFixtureAsync(string resourcePath)
    {
        await ExecuteSqlAsync(await ReadFixtureAsync(resourcePath));
    }

    public static async Task<string> ReadFixtureAsync(string resourcePath)
    {
        var assembly = typeof(TestDatabase).Assembly;
        await using var stream = assembly.GetManifestResourceStream(resourcePath)
            ?? throw new InvalidOperationException(
                $"No embedded fixture '{resourcePath}'. Embedded: {string.Join(", ", assembly.GetManifestResourceNames().Order(StringComparer.Ordinal))}");
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        if (dropOnDispose)
        {
            await DropDatabaseAsync(server, Name);
        }
        else
        {
            Sql.ClearPool(ConnectionString);
        }
    }
}

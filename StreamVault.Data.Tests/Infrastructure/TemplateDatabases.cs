using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace StreamVault.Data.Tests.Infrastructure;

/// <summary>
/// Databases built once per run and copied by tests (<c>TestDatabase.CreateAsync(template)</c>), because
/// copying a database is far cheaper than replaying a large fixture for every test.
/// </summary>
public static class TemplateDatabases
{
    /// <summary>Keeps two runs sharing one explicit server from building into each other's templates.</summary>
    private static readonly string RunSuffix = RandomNumberGenerator.GetHexString(6, lowercase: true);

    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Built = new(StringComparer.Ordinal);

    /// <summary>
    /// The name of the database to pass as template, building it with <paramref name="build"/> on first request.
    /// One caller builds it while every concurrent caller of the same name awaits that build; its outcome (including
    /// failure) is shared by all of them. Copies are then made in parallel (<see cref="TestDatabase.CreateAsync"/>).
    /// </summary>
    public static async Task<string> GetAsync(string name, Func<TestDatabase, Task> build)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(build);

        var server = await PostgresServer.GetAsync();

        // Keyed by server too: after a restart the old templates are gone with the old cluster.
        var key = server.AdminConnectionString + "|" + name;
        var lazy = Built.GetOrAdd(key, _ => new Lazy<Task<string>>(() => BuildAsync(server, name, build)));
        return await lazy.Value;
    }

    /// <summary>Drops every template of this run from a server that outlives it; forgets them either way.</summary>
    public static async Task DropAllAsync()
    {
        var entries = Built.ToArray();
        Built.Clear();
        if (entries.Length == 0)
        {
            return;
        }

        var server = await PostgresServer.GetAsync();
        if (server.IsThrowaway)
        {
            return;
        }

        foreach (var (_, lazy) in entries)
        {
            await Task.WhenAny(lazy.Value);
            if (lazy.Value.IsCompletedSuccessfully)
            {
                await TestDatabase.DropDatabaseAsync(server, lazy.Value.Result);
            }
        }
    }

    private static async Task<string> BuildAsync(PostgresServer server, string name, Func<TestDatabase, Task> build)
    {
        var databaseName = $"{name}_{RunSuffix}";
        if (databaseName.Length > 63)
        {
            throw new ArgumentException($"Template name '{name}' is too long for PostgreSQL (63 characters with the run suffix).", nameof(name));
        }

        await TestDatabase.CreateDatabaseAsync(server, databaseName, template: null);
        try
        {
            await using var database = TestDatabase.ForTemplateBuild(server, databaseName);
            await build(database);
        }
        catch
        {
            await TestDatabase.DropDatabaseAsync(server, databaseName);
            throw;
        }

        return databaseName;
    }
}

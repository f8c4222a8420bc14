using System.Security.Cryptography;
using Npgsql;
using StreamVault.Data.Tests.Infrastructure;

namespace StreamVault.Data.Tests.Cli;

/// <summary>An empty database of its own on <see cref="PasswordServer"/> (logins need the password), dropped on dispose.</summary>
public sealed class PasswordDatabase : IAsyncDisposable
{
    private readonly string admin;

    private PasswordDatabase(string admin, string name)
    {
        this.admin = admin;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }

    public string Name { get; }

    /// <summary>With the correct password.</summary>
    public string ConnectionString { get; }

    public static async Task<PasswordDatabase> CreateAsync()
    {
        var admin = await PasswordServer.GetConnectionStringAsync();
        var database = new PasswordDatabase(admin, "sv_pw_" + RandomNumberGenerator.GetHexString(8, lowercase: true));
        await Sql.ExecuteAsync(admin, $"CREATE DATABASE {Sql.Identifier(database.Name)}");
        return database;
    }

    public Task<T?> ScalarAsync<T>(string sql) => Sql.ScalarAsync<T>(ConnectionString, sql);

    public async ValueTask DisposeAsync()
    {
        Sql.ClearPool(ConnectionString);
        await Sql.ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {Sql.Identifier(Name)} WITH (FORCE)");
    }
}

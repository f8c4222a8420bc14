using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using StreamVault.Data;

// coldstart-app <connection> [migrate|select1]: builds the host; with "migrate" also runs the startup migration (a no-op
// on an up-to-date database): the difference is what the startup migration adds to a cold start. "select1" runs one
// Npgsql SELECT 1 instead, what an app's first query costs anyway.
// The --create/--drop/--psql-env modes are coldstart.sh's helpers (never measured).
switch (args)
{
    case ["--create", var admin, var name]:
        await ExecuteAsync(admin, $"CREATE DATABASE \"{name}\"");
        Console.WriteLine(new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString);
        return 0;
    case ["--drop", var admin, var name]:
        await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        return 0;
    case ["--psql-env", var connectionString]:
        // psql's own variables for the same server, user and database (the password stays in the environment).
        var csb = new NpgsqlConnectionStringBuilder(connectionString);
        Console.WriteLine($"export PGHOST={Quote(csb.Host ?? "localhost")} PGPORT={csb.Port} PGUSER={Quote(csb.Username ?? "")} PGDATABASE={Quote(csb.Database ?? "")}"
                          + (csb.Password is null ? "" : $" PGPASSWORD={Quote(csb.Password)}"));
        return 0;
}

var builder = Host.CreateApplicationBuilder();
builder.Services.AddStreamVaultData(args[0]);
using var host = builder.Build();
if (args is [_, "migrate"])
{
    var result = await host.MigrateStreamVaultDatabaseAsync();
    Console.WriteLine($"applied {result.Applied.Count}");
}
else if (args is [var connection, "select1"])
{
    // What an app's first query pays anyway (Npgsql's own start), for comparison with the startup no-op.
    await using var dataSource = NpgsqlDataSource.Create(connection);
    await using var command = dataSource.CreateCommand("SELECT 1");
    Console.WriteLine(await command.ExecuteScalarAsync());
}

Console.WriteLine("started");
return 0;

static async Task ExecuteAsync(string connectionString, string sql)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection);
    await command.ExecuteNonQueryAsync();
}

static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

using System.Globalization;
using Npgsql;

namespace StreamVault.Data.Tests.Infrastructure;

/// <summary>One statement (or batch) on a connection string: the harness's and the tests' way to run SQL by hand.</summary>
internal static class Sql
{
    public static string Identifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>
    /// Closes idle pooled connections to one database. PostgreSQL refuses to copy or drop a database
    /// anyone is connected to, and a pool keeps connections open after the code using them is done.
    /// </summary>
    public static void ClearPool(string connectionString)
    {
        using var connection = new NpgsqlConnection(connectionString);
        NpgsqlConnection.ClearPool(connection);
    }

    public static async Task ExecuteAsync(string connectionString, string sql, int commandTimeoutSeconds = 300)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = commandTimeoutSeconds };
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The first column of the first row; SQL NULL and no rows both give <c>default</c>.</summary>
    public static async Task<T?> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        if (value is null or DBNull)
        {
            return default;
        }

        if (value is T typed)
        {
            return typed;
        }

        var target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        return (T)Convert.ChangeType(value, target, CultureInfo.InvariantCulture);
    }
}

using Npgsql;

namespace StreamVault.Data.Tests.Infrastructure;

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
}

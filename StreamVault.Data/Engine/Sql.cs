using System.Globalization;
using System.Text;
using Npgsql;

namespace StreamVault.Data.Engine;

/// <summary>Small raw-SQL helpers of the engine: identifier quoting, and one-statement reads on the run's own connection.</summary>
internal static class Sql
{
    /// <summary>A double-quoted SQL identifier (for a name the catalog gave, never for user input).</summary>
    public static string Identifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, bool async, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        var value = async ? await command.ExecuteScalarAsync(cancellationToken) : command.ExecuteScalar();
        return (T)value!;
    }

    public static async Task ExecuteAsync(NpgsqlConnection connection, string sql, bool async, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        _ = async ? await command.ExecuteNonQueryAsync(cancellationToken) : command.ExecuteNonQuery();
    }

    /// <summary>What <see cref="EngineSql.NoOpCheck"/> returns.</summary>
    /// <remarks>A class, not a tuple: async methods over value types are generic code that ReadyToRun leaves to the JIT.</remarks>
    public sealed record NoOpState(string[] Applied, long MissingLedgerRows, long LedgerColumns);

    public static async Task<NoOpState> NoOpStateAsync(
        NpgsqlConnection connection, string sql, bool async, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = async ? await command.ExecuteReaderAsync(cancellationToken) : command.ExecuteReader();
        _ = async ? await reader.ReadAsync(cancellationToken) : reader.Read();
        // The ids arrive as one text, a line each: reading a text[] would make Npgsql build its whole array type mapping,
        // about 250 generic methods to JIT, a fifth of an app's startup no-op (issue #13). EF ids hold no line break.
        var applied = reader.GetString(0);
        return new NoOpState(applied.Length == 0 ? [] : applied.Split('\n'), reader.GetInt64(1), reader.GetInt64(2));
    }

    public static async Task<string> DescribeRunLockHolderAsync(NpgsqlConnection connection, bool async, CancellationToken cancellationToken)
    {
        var holders = await DescribeAsync(connection, EngineSql.RunLockHolder, async, r => string.Create(
            CultureInfo.InvariantCulture,
            $"pid {r.GetInt32(0)} ({Name(r.GetString(1))}from {r.GetString(2)}, connected since {r.GetFieldValue<DateTime>(3):u}, {r.GetString(4)})"), cancellationToken);
        return holders.Length == 0 ? "a session that has just released it" : holders;
    }

    public static async Task<string> DescribeLockHoldersAsync(
        NpgsqlConnection connection, IEnumerable<string> tables, bool async, CancellationToken cancellationToken)
    {
        var holders = await DescribeAsync(connection, EngineSql.LockHolders(tables), async, r => string.Create(
            CultureInfo.InvariantCulture,
            $"pid {r.GetInt32(0)} ({Name(r.GetString(1))}{r.GetString(2)}{(r.IsDBNull(3) ? "" : $", transaction open since {r.GetFieldValue<DateTime>(3):u}")}: {r.GetString(4)})"), cancellationToken);
        return holders.Length == 0 ? "a session that has since released its locks" : holders;
    }

    /// <summary>
    /// Whether a run holds the run lock in this database and, if so, the line of an index build in progress there
    /// (<see cref="EngineSql.RunInProgress"/>): null when no run holds it.
    /// </summary>
    public static async Task<RunActivity?> RunInProgressAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(EngineSql.RunInProgress, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        if (!reader.GetBoolean(0))
        {
            return null;
        }

        if (reader.IsDBNull(3))
        {
            return new RunActivity(null, null);
        }

        var percent = IndexBuildProgress.PercentOf(
            reader.GetString(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7), reader.GetInt64(8), reader.GetInt64(9));
        return new RunActivity(IndexBuildProgress.Describe(reader.GetString(1), reader.GetString(2), reader.GetString(3), percent), percent);
    }

    /// <summary>A run in progress as the database shows it: an index build's line and percentage, when one is being built.</summary>
    /// <remarks>A class, not a tuple: async methods over value types are generic code that ReadyToRun leaves to the JIT.</remarks>
    public sealed record RunActivity(string? Build, double? Percent);

    private static string Name(string applicationName) => applicationName.Length == 0 ? "" : applicationName + " ";

    private static async Task<string> DescribeAsync(
        NpgsqlConnection connection, string sql, bool async, Func<NpgsqlDataReader, string> describe, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = async ? await command.ExecuteReaderAsync(cancellationToken) : command.ExecuteReader();
        var text = new StringBuilder();
        while (async ? await reader.ReadAsync(cancellationToken) : reader.Read())
        {
            text.Append(text.Length == 0 ? "" : "; ").Append(describe(reader));
        }

        return text.ToString();
    }
}

using System.Collections.Concurrent;
using Npgsql;

namespace StreamVault.Data;

/// <summary>
/// The one place a connection string is parsed, and the one <see cref="NpgsqlDataSource"/> per connection string
/// that the operations' raw connections (status, validate, repair, mark-applied, the health check) open from.
/// </summary>
public static class StreamVaultConnections
{
    // Kept for the process's lifetime, like Npgsql's own pool per connection string: an app has one or two. The
    // validate shadow database's entry (Pooling=false, dropped after use) holds no connection, only settings.
    private static readonly ConcurrentDictionary<string, NpgsqlDataSource> DataSources = new(StringComparer.Ordinal);

    /// <summary>The data source of <paramref name="connectionString"/>, created on first use.</summary>
    /// <exception cref="ArgumentException">The string is malformed; the message names the key, never the value.</exception>
    public static NpgsqlDataSource DataSource(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return DataSources.GetOrAdd(connectionString, static cs => NpgsqlDataSource.Create(Parse(cs)));
    }

    /// <summary>Parses <paramref name="connectionString"/>, naming the offending key (never its value) when malformed.</summary>
    public static NpgsqlConnectionStringBuilder Parse(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        try
        {
            return new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException malformed)
        {
            throw new ArgumentException(
                $"The StreamVault connection string is malformed: {malformed.ParamName ?? "unknown key"}", nameof(connectionString));
        }
    }

    /// <summary>The connection string with any password removed, safe for logs and messages.</summary>
    public static string Redact(string connectionString)
    {
        try
        {
            var csb = Parse(connectionString);
            if (csb.Password is not null)
            {
                csb.Password = "***";
            }

            return csb.ConnectionString;
        }
        catch (ArgumentException)
        {
            return "(unparseable connection string)";
        }
    }
}

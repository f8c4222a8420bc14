using System.Collections.Concurrent;
using System.Data.Common;
using Npgsql;

namespace StreamVault.Data;

/// <summary>
/// The one place a connection string is parsed, and the one <see cref="NpgsqlDataSource"/> per connection string
/// that the operations' raw connections (status, validate, repair, mark-applied, the health check) open from.
/// </summary>
internal static class StreamVaultConnections
{
    // Kept for the process's lifetime, like Npgsql's own pool per connection string: an app has one or two. The
    // validate shadow database's entry (Pooling=false, dropped after use) holds no connection, only settings.
    private static readonly ConcurrentDictionary<string, NpgsqlDataSource> DataSources = new(StringComparer.Ordinal);

    /// <summary>
    /// The <c>Application Name</c> of sessions whose connection string names none, so that an operator can tell the
    /// migrator's sessions apart in pg_stat_activity: <c>StreamVault.Data</c> in an app; the design-time factory (dotnet
    /// ef, the efbundle) makes it <c>streamvault-db</c>, as streamvault-db's own connection strings say.
    /// </summary>
    internal static string DefaultApplicationName { get; set; } = "StreamVault.Data";

    /// <summary>
    /// The data source of <paramref name="connectionString"/>, created on first use; its sessions carry the string's
    /// <c>Application Name</c>, else <c>StreamVault.Data</c> (<c>streamvault-db</c> under dotnet ef and the bundle).
    /// </summary>
    /// <exception cref="ArgumentException">The string is malformed; the message names the key, never the value.</exception>
    public static NpgsqlDataSource DataSource(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return DataSources.GetOrAdd(connectionString, static cs =>
        {
            var settings = Parse(cs);
            if (string.IsNullOrEmpty(settings.ApplicationName))
            {
                settings.ApplicationName = DefaultApplicationName;
            }

            return NpgsqlDataSource.Create(settings);
        });
    }

    /// <summary>Parses <paramref name="connectionString"/>, naming the offending key (never its value) when malformed.</summary>
    public static NpgsqlConnectionStringBuilder Parse(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        try
        {
            return new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException)
        {
            // Message only, no parameter name: callers print it as it is (streamvault-db, startup validation).
            throw new ArgumentException($"malformed connection string: {DescribeProblem(connectionString)}");
        }
    }

    /// <summary>Names the offending key, never a value: values include the password.</summary>
    private static string DescribeProblem(string connectionString)
    {
        DbConnectionStringBuilder generic;
        try
        {
            generic = new DbConnectionStringBuilder { ConnectionString = connectionString };
        }
        catch (ArgumentException)
        {
            return "not a list of key=value pairs separated by ';'";
        }

        foreach (string key in generic.Keys)
        {
            var probe = new NpgsqlConnectionStringBuilder();
            try
            {
                probe[key] = generic[key];
            }
            catch (ArgumentException)
            {
                return IsKnownKey(key) ? $"invalid value for key '{key}'" : $"unknown key '{key}'";
            }
            catch (FormatException)
            {
                return $"invalid value for key '{key}'";
            }
        }

        return "not a valid Npgsql connection string";
    }

    private static bool IsKnownKey(string key)
    {
        try
        {
            _ = new NpgsqlConnectionStringBuilder()[key];
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>
    /// The connection string held in the file <paramref name="path"/>, trimmed (secret files usually end with a newline):
    /// <c>--connection-file</c>, or <see cref="StreamVaultDatabase.ConnectionFileEnvironmentVariable"/> for the CLI, dotnet ef
    /// and the bundle alike.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="source">Where the path came from (an option or a variable), for the message.</param>
    /// <exception cref="InvalidOperationException">The file cannot be read or is empty; the message names the file, never its content.</exception>
    public static string ReadFile(string path, string source)
    {
        ArgumentNullException.ThrowIfNull(path);
        string content;
        try
        {
            content = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            var reason = e switch
            {
                _ when Directory.Exists(path) => "it is a directory",
                FileNotFoundException or DirectoryNotFoundException => "no such file",
                UnauthorizedAccessException => "permission denied",
                _ => e.GetType().Name,
            };
            throw new InvalidOperationException($"cannot read connection file {path} ({source}): {reason}");
        }

        content = content.Trim();
        return content.Length > 0 ? content : throw new InvalidOperationException($"connection file {path} ({source}) is empty");
    }

    /// <summary>
    /// Which database on which server <paramref name="connectionString"/> names, as every message shows it: the database,
    /// else the user name (PostgreSQL's own default), and <c>host:port</c>.
    /// </summary>
    public static ConnectionTarget Target(string connectionString)
    {
        try
        {
            var csb = Parse(connectionString);
            return new ConnectionTarget(csb.Database ?? csb.Username ?? "?", csb.Host ?? "?", csb.Port);
        }
        catch (ArgumentException)
        {
            return new ConnectionTarget("?", "?", Npgsql.NpgsqlConnection.DefaultPort);
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

/// <summary>A database and its server, as messages name them: <c>streamvault on db:5432</c>.</summary>
internal sealed record ConnectionTarget(string Database, string Host, int Port)
{
    /// <summary><c>host:port</c>.</summary>
    public string Server => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Host}:{Port}");

    public override string ToString() => $"{Database} on {Server}";
}

using System.Data.Common;
using Npgsql;
using StreamVault.Data;

namespace StreamVault.Cli;

/// <summary><c>--connection</c>, else STREAMVAULT_CONNECTION; checked before use so a typo is a usage error, not a crash.</summary>
internal static class ConnectionResolver
{
    public static string Resolve(string? option)
    {
        var connectionString = string.IsNullOrWhiteSpace(option)
            ? Environment.GetEnvironmentVariable(StreamVaultDatabase.ConnectionEnvironmentVariable)
            : option;
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new CliException(
                $"no connection configured: pass --connection or set {StreamVaultDatabase.ConnectionEnvironmentVariable}");
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException)
        {
            throw new CliException("malformed connection string: " + DescribeProblem(connectionString));
        }

        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            throw new CliException("malformed connection string: no Host");
        }

        return connectionString;
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
}

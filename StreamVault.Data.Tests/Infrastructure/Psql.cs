using System.Globalization;
using Npgsql;

namespace StreamVault.Data.Tests.Infrastructure;

/// <summary>Runs a SQL file with psql exactly as an operator would: <c>psql -X -q -v ON_ERROR_STOP=1 -f</c>.</summary>
public static class Psql
{
    public static async Task<ToolResult> RunFileAsync(string connectionString, string file)
    {
        var server = await PostgresServer.GetAsync();
        var csb = new NpgsqlConnectionStringBuilder(connectionString);
        return await ProcessRunner.RunAsync(
            server.PsqlPath ?? "psql",
            ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", csb.Host!, "-p", csb.Port.ToString(CultureInfo.InvariantCulture),
                "-U", csb.Username!, "-d", csb.Database!, "-f", file],
            new Dictionary<string, string?> { ["PGPASSWORD"] = csb.Password },
            TimeSpan.FromMinutes(5));
    }
}

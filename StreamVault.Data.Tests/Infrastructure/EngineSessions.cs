using System.Diagnostics;
using Npgsql;
using Xunit;

namespace StreamVault.Data.Tests.Infrastructure;

/// <summary>Finds a run's sessions on the server, by the Application Name the engine gives them.</summary>
public static class EngineSessions
{
    /// <summary>
    /// The server process of a session named <paramref name="applicationName"/> once it waits on a lock in a statement
    /// like <paramref name="pattern"/> (an ILIKE pattern): the moment to terminate it, or to look at what else it holds.
    /// </summary>
    public static async Task<int> WaitForWaitingStatementAsync(string connectionString, string applicationName, string pattern)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var clock = Stopwatch.StartNew();
        while (true)
        {
            await using var waiting = new NpgsqlCommand("""
                SELECT pid FROM pg_stat_activity
                WHERE datname = current_database() AND application_name = @name
                  AND state = 'active' AND wait_event_type = 'Lock' AND query ILIKE @pattern
                LIMIT 1
                """, connection);
            waiting.Parameters.AddWithValue("name", applicationName);
            waiting.Parameters.AddWithValue("pattern", pattern);
            if (await waiting.ExecuteScalarAsync() is int pid)
            {
                return pid;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"no session of {applicationName} ever waited in {pattern}");
            await Task.Delay(10);
        }
    }
}

using System.Globalization;
using Npgsql;
using StreamVault.Data.Engine;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Engine;

/// <summary>
/// Against a real streaming standby (or a database whose transactions are read-only) a run with pending migrations
/// refuses before changing anything, in one line naming the server; a multi-host connection string with
/// Target Session Attributes=primary migrates the primary; and once the standby has replayed that, a run against
/// the standby alone is the no-op.
/// </summary>
public sealed class StandbyTests(Standby servers) : IClassFixture<Standby>
{
    [Fact]
    public async Task A_run_against_a_standby_with_pending_migrations_refuses_naming_it_and_changes_nothing()
    {
        var database = Standby.Databases[0];
        var before = await ShapeAsync(servers.PrimaryConnectionString(database));
        var expected = string.Create(CultureInfo.InvariantCulture,
            $"cannot migrate on 127.0.0.1:{servers.StandbyPort}: it is a standby server in recovery (read-only); connect to the primary, e.g. list every host with Target Session Attributes=primary");

        var run = await InProcessCli.RunAsync(["migrate", "--connection", servers.StandbyConnectionString(database)]);
        var inProcess = await Assert.ThrowsAsync<MigrationRefusedException>(
            () => Infrastructure.Migrations.MigrateAsync(servers.StandbyConnectionString(database)));

        AssertRefused(run, "streamvault-db: " + expected);
        Assert.Equal(expected, inProcess.Message);
        Assert.Equal(before, await ShapeAsync(servers.PrimaryConnectionString(database)));
    }

    [Fact]
    public async Task Plan_rehearse_on_a_physical_copy_takes_it_for_a_copy_not_for_the_live_database()
    {
        // The standby is a physical copy: same system identifier, same database oid, another server. The rehearsal is
        // tried there (and fails, the copy being read-only) instead of being refused as a rehearsal on the live database.
        var database = Standby.Databases[0];
        var before = await ShapeAsync(servers.PrimaryConnectionString(database));

        var plan = await InProcessCli.RunAsync(
            ["plan", "--connection", servers.PrimaryConnectionString(database), "--rehearse-on", servers.StandbyConnectionString(database)]);

        Assert.DoesNotContain("refusing to rehearse", plan.Output, StringComparison.Ordinal);
        Assert.Equal(1, plan.ExitCode);
        Assert.Contains("💥 Rehearsal failed after ", plan.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("standby server in recovery", plan.Output, StringComparison.Ordinal);
        Assert.Equal(before, await ShapeAsync(servers.PrimaryConnectionString(database)));
    }

    [Fact]
    public async Task A_multi_host_connection_string_with_target_session_attributes_primary_migrates_the_primary()
    {
        var database = Standby.Databases[1];

        var run = await InProcessCli.RunAsync(["migrate", "--connection", servers.MultiHostConnectionString(database)]);

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(Infrastructure.Migrations.All(), await LedgerReader.HistoryAsync(servers.PrimaryConnectionString(database)));

        // Replayed on the standby, the database is up to date there too: the no-op needs no write.
        await servers.WaitForReplayAsync();
        var onStandby = await InProcessCli.RunAsync(["migrate", "--connection", servers.StandbyConnectionString(database)]);
        Assert.True(onStandby.ExitCode == 0, onStandby.Output);
        Assert.Equal("Database is up to date", onStandby.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
    }

    [Fact]
    public async Task A_run_on_a_database_whose_transactions_are_read_only_refuses_naming_the_role_and_database()
    {
        var database = Standby.Databases[2];
        var primary = servers.PrimaryConnectionString(database);
        await using (var connection = new NpgsqlConnection(primary))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var readOnly = new NpgsqlCommand($"ALTER DATABASE {Infrastructure.Sql.Identifier(database)} SET default_transaction_read_only = on", connection);
            await readOnly.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var before = await ShapeAsync(primary);

        var run = await InProcessCli.RunAsync(["migrate", "--connection", primary]);

        AssertRefused(run, string.Create(CultureInfo.InvariantCulture,
            $"streamvault-db: cannot migrate on 127.0.0.1:{servers.PrimaryPort}: transactions of role \"postgres\" on database \"{database}\" are read-only (default_transaction_read_only); connect to the primary with Target Session Attributes=primary, or run migrations as a role whose transactions may write"));
        Assert.Equal(before, await ShapeAsync(primary));
    }

    private static void AssertRefused(ToolResult run, string line)
    {
        Assert.True(run.ExitCode == 1, $"exit {run.ExitCode}:\n{run.Output}");
        Assert.Equal([line], run.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("   at ", run.Output, StringComparison.Ordinal);
    }

    /// <summary>Every table and column of the public schema, and the ledger's rows: what a run would change.</summary>
    private static Task<string> ShapeAsync(string connectionString)
        => Standby.ScalarAsync<string>(connectionString, """
            SELECT string_agg(c.relname || '.' || a.attname, ',' ORDER BY c.relname, a.attnum)
                   || ' / ' || (SELECT count(*) FROM applied_migrations)::text
            FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'i')
            """);
}

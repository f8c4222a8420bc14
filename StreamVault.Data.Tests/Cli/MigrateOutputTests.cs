using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Cli;

/// <summary>migrate's words for each migration (in-process): adopted with the app's date, skipped statements counted.</summary>
public sealed class MigrateOutputTests
{
    private const string AdoptedMarker = "(adopted: objects already present)";

    [Fact]
    public async Task June_2025_database_prints_the_apps_migrations_as_adopted_with_the_apps_date()
    {
        await using var database = await StartingStates.CreateAsync(StartingStates.June2025);
        // The app's own ledger rows (its table has none of the columns this layer adds): when it applied each migration.
        var appliedByApp = await AppliedAtAsync(database);

        var run = await InProcessCli.RunAsync(["migrate", "--connection", database.ConnectionString]);

        Assert.True(run.ExitCode == 0, run.Output);
        // What each migration's line must say, from the ledger the run leaves: the app's rows keep their applied_at and have
        // no applied_by; a migration adopted without one is marked so in applied_by; the rest were run.
        var ledger = (await LedgerReader.RowsAsync(database.ConnectionString)).ToDictionary(r => r.EfMigrationId!);
        var expected = Infrastructure.Migrations.All().Select(id => ledger[id] switch
        {
            { AppliedBy: null } app => string.Create(
                CultureInfo.InvariantCulture, $"Adopted  {id} (applied by the app on {appliedByApp[app.Name]:yyyy-MM-dd})"),
            { AppliedBy: { } by } when by.EndsWith(AdoptedMarker, StringComparison.Ordinal) => $"Adopted  {id} (its objects were already present, no app ledger row)",
            _ => $"Applied  {id} (",
        }).ToList();
        var printed = run.StandardOutput.Split('\n').Where(l => l.StartsWith("Adopted ", StringComparison.Ordinal) || l.StartsWith("Applied ", StringComparison.Ordinal)).ToList();
        Assert.Equal(expected.Count, printed.Count);
        Assert.All(expected.Zip(printed), pair =>
        {
            if (pair.First.EndsWith('('))
            {
                Assert.StartsWith(pair.First, pair.Second, StringComparison.Ordinal);
            }
            else
            {
                Assert.Equal(pair.First, pair.Second);
            }
        });
        // All three kinds are there: a June 2025 database has migrations the app applied, objects without an app row, and new work.
        Assert.Contains(expected, l => l.Contains("applied by the app on 2025-06-23", StringComparison.Ordinal));
        Assert.Contains(expected, l => l.EndsWith("no app ledger row)", StringComparison.Ordinal));
        Assert.Contains(expected, l => l.StartsWith("Applied ", StringComparison.Ordinal));
        Assert.Contains($"Migration summary: {expected.Count} successful, 0 failed", run.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migration_whose_index_is_already_present_says_how_many_statements_it_skipped()
    {
        const string Migration = "20250522000000_AddStreamIndices";
        await using var database = await TestDatabase.CreateAsync();
        await Infrastructure.Migrations.MigrateAsync(database.ConnectionString, "20240705000000_BaseSchema");
        // One of the three indexes the migration builds, as the migration defines it: not enough to adopt the migration,
        // so it runs, and its build of this index finds it present.
        string[] present = ["idx_streams_title"];
        await database.ExecuteSqlAsync("CREATE INDEX idx_streams_title ON streams (title)");

        var run = await InProcessCli.RunAsync(["migrate", "--connection", database.ConnectionString]);

        Assert.True(run.ExitCode == 0, run.Output);
        var line = Assert.Single(run.StandardOutput.Split('\n'), l => l.Contains(Migration, StringComparison.Ordinal));
        Assert.Matches(
            // Milliseconds under 10 s, else tenths of seconds: a busy machine can take that long for three builds.
            $@"^Applied  {Migration} \((\d+ ms|\d+\.\d s); {present.Length} of {StatementsOf(Migration)} statements skipped, their objects present\)$", line);
    }

    private static async Task<Dictionary<string, DateTime>> AppliedAtAsync(TestDatabase database)
    {
        await using var connection = new Npgsql.NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new Npgsql.NpgsqlCommand("SELECT migration_name, applied_at FROM applied_migrations WHERE success", connection);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var rows = new Dictionary<string, DateTime>(StringComparer.Ordinal);
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            rows[reader.GetString(0)] = reader.GetFieldValue<DateTime>(1).ToUniversalTime();
        }

        return rows;
    }

    /// <summary>The migration's statements: one per operation of its Up (each of this migration's operations is one statement).</summary>
    private static int StatementsOf(string migrationId)
    {
        using var context = StreamVaultDatabase.CreateContext("Host=unused");
        var migrations = context.GetService<IMigrationsAssembly>();
        var migration = migrations.CreateMigration(migrations.Migrations[migrationId], context.Database.ProviderName!);
        return migration.UpOperations.Count;
    }
}

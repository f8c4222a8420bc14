using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Npgsql;
using StreamVault.Data.Hosting;
using StreamVault.Data.Operations;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Ledger;

/// <summary>
/// A failed run of a migration the June 2025 Python app knows by name must not look applied to that app, whose only
/// check is a row count under the name (success ignored); the failure is still recorded and reported.
/// </summary>
public sealed class LegacyFailureRowTests
{
    private const string StreamIndices = "20250522000000_AddStreamIndices";
    private const string StreamIndicesPython = "20250522_add_stream_indices";
    private const string Conflict = "P0001: index idx_streams_title exists with another definition";

    [Fact]
    public async Task After_a_failed_legacy_migration_the_june_apps_check_says_not_applied_while_status_validate_and_health_report_the_failure()
    {
        await using var db = await StartingStates.CreateAsync(StartingStates.Empty);
        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString, "20240705000000_BaseSchema");
        // An index of the same name on another table: AddStreamIndices stops rather than adopt it.
        await db.ExecuteSqlAsync("CREATE INDEX idx_streams_title ON streamers (title);");

        await Assert.ThrowsAsync<PostgresException>(() => Infrastructure.Migrations.MigrateAsync(db.ConnectionString));

        Assert.Equal(0L, await JuneAppCountAsync(db.ConnectionString, StreamIndicesPython));
        var failure = Assert.Single(await LedgerReader.RowsAsync(db.ConnectionString), r => r.EfMigrationId == StreamIndices);
        Assert.Equal((StreamIndices, (bool?)false), (failure.Name, failure.Success));
        Assert.StartsWith(Conflict, failure.Error, StringComparison.Ordinal);

        var status = JsonDocument.Parse((await DatabaseStatus.ReadAsync(db.ConnectionString, cancellationToken: TestContext.Current.CancellationToken)).ToJson()).RootElement;
        var failed = Assert.Single(status.GetProperty("failed").EnumerateArray());
        Assert.Equal((StreamIndices, StreamIndicesPython), (failed.GetProperty("id").GetString(), failed.GetProperty("ledgerName").GetString()));
        Assert.StartsWith(Conflict, failed.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(StreamIndices, status.GetProperty("pending").EnumerateArray().Select(e => e.GetString()));
        var standing = status.GetProperty("migrations").EnumerateArray().Single(m => m.GetProperty("id").GetString() == StreamIndices);
        Assert.Equal("failed", standing.GetProperty("state").GetString());
        Assert.False(standing.GetProperty("ledger").GetProperty("success").GetBoolean());

        var validation = JsonDocument.Parse((await SchemaValidator.ValidateAsync(db.ConnectionString, cancellationToken: TestContext.Current.CancellationToken)).ToJson()).RootElement;
        var check = Assert.Single(validation.GetProperty("checks").EnumerateArray(), c => c.GetProperty("name").GetString() == StreamIndices);
        Assert.Equal(("migration", "failed", "error"), (check.GetProperty("kind").GetString(), check.GetProperty("problem").GetString(), check.GetProperty("severity").GetString()));
        Assert.StartsWith($"Migration {StreamIndices} failed and is not applied: {Conflict}", check.GetProperty("message").GetString(), StringComparison.Ordinal);
        // The failure row is the known migration's, not an unknown ledger failure beside it.
        Assert.DoesNotContain(validation.GetProperty("checks").EnumerateArray(), c => c.GetProperty("kind").GetString() == "ledger" && c.GetProperty("problem").GetString() == "failed");

        var health = await HealthAsync(db.ConnectionString);
        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        Assert.Equal([StreamIndices], (IEnumerable<string>)health.Data["failed"]);
        Assert.StartsWith(Conflict, (string)health.Data["error:" + StreamIndices], StringComparison.Ordinal);

        // A run while the cause remains fails again; reconcile (event 2103) leaves the failure row alone.
        using (var logs = new CollectingLoggerProvider())
        using (var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs)))
        {
            await Assert.ThrowsAsync<PostgresException>(() => Infrastructure.Migrations.MigrateAsync(
                db.ConnectionString, options: new StreamVaultDataOptions { LoggerFactory = loggerFactory }));
            Assert.DoesNotContain(logs.Entries, e => e.EventId == MigrationEventIds.Reconciled);
            Assert.Contains(logs.Entries, e => e.EventId == MigrationEventIds.FailureRecorded);
        }

        Assert.Equal(0L, await JuneAppCountAsync(db.ConnectionString, StreamIndicesPython));
        Assert.Single(await LedgerReader.RowsAsync(db.ConnectionString), r => r.EfMigrationId == StreamIndices);

        // Once the cause is gone the next run applies it: exactly the Python-named row remains, successful.
        await db.ExecuteSqlAsync("DROP INDEX idx_streams_title;");
        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString);

        Assert.Equal(1L, await JuneAppCountAsync(db.ConnectionString, StreamIndicesPython));
        var rows = (await LedgerReader.RowsAsync(db.ConnectionString)).Where(r => r.EfMigrationId == StreamIndices).ToList();
        var applied = Assert.Single(rows);
        Assert.Equal((StreamIndicesPython, (bool?)true, (string?)null), (applied.Name, applied.Success, applied.Error));
        Assert.Equal(HealthStatus.Healthy, (await HealthAsync(db.ConnectionString)).Status);
    }

    [Fact]
    public async Task A_failed_run_leaves_the_june_apps_successful_row_as_it_was_and_files_the_failure_under_the_ef_id()
    {
        await using var db = await StartingStates.CreateAsync(StartingStates.June2025);
        // The app's idx_streams_title replaced by one of the same name on another table: adoption does not apply, the SQL stops.
        await db.ExecuteSqlAsync("DROP INDEX idx_streams_title; CREATE INDEX idx_streams_title ON streamers (title);");
        var pythonRowBefore = await PythonRowAsync(db, StreamIndicesPython);

        await Assert.ThrowsAsync<PostgresException>(() => Infrastructure.Migrations.MigrateAsync(db.ConnectionString));

        var rows = await LedgerReader.RowsAsync(db.ConnectionString);
        var python = Assert.Single(rows, r => r.Name == StreamIndicesPython);
        Assert.Equal(((bool?)true, (string?)null, (string?)null), (python.Success, python.Error, python.EfMigrationId));
        var failure = Assert.Single(rows, r => r.Name == StreamIndices);
        Assert.Equal(((bool?)false, StreamIndices), (failure.Success, failure.EfMigrationId));
        Assert.StartsWith(Conflict, failure.Error, StringComparison.Ordinal);
        Assert.Equal(1L, await JuneAppCountAsync(db.ConnectionString, StreamIndicesPython));
        Assert.Equal(pythonRowBefore, await PythonRowAsync(db, StreamIndicesPython));
        Assert.StartsWith("2025-06-23 09:01:12.118", pythonRowBefore, StringComparison.Ordinal);
        var status = await DatabaseStatus.ReadAsync(db.ConnectionString, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal([StreamIndices], status.Failed.Select(f => f.Id));
    }

    [Fact]
    public async Task A_failure_row_an_earlier_version_filed_under_the_python_name_moves_to_the_ef_id_on_the_next_failure()
    {
        await using var db = await StartingStates.CreateAsync(StartingStates.Empty);
        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString, "20240705000000_BaseSchema");
        await db.ExecuteSqlAsync($"""
            CREATE INDEX idx_streams_title ON streamers (title);
            INSERT INTO applied_migrations (migration_name, success, ef_migration_id, error)
            VALUES ('{StreamIndicesPython}', FALSE, '{StreamIndices}', 'P0001: an earlier failure');
            """);
        Assert.Equal(1L, await JuneAppCountAsync(db.ConnectionString, StreamIndicesPython));

        await Assert.ThrowsAsync<PostgresException>(() => Infrastructure.Migrations.MigrateAsync(db.ConnectionString));

        Assert.Equal(0L, await JuneAppCountAsync(db.ConnectionString, StreamIndicesPython));
        var failure = Assert.Single(await LedgerReader.RowsAsync(db.ConnectionString), r => r.EfMigrationId == StreamIndices);
        Assert.Equal((StreamIndices, (bool?)false), (failure.Name, failure.Success));
        Assert.StartsWith(Conflict, failure.Error, StringComparison.Ordinal);
    }

    /// <summary>The June 2025 app's MigrationService.is_migration_applied, verbatim: any row under the name counts.</summary>
    private static async Task<long> JuneAppCountAsync(string connectionString, string name)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand("SELECT COUNT(*) FROM applied_migrations WHERE migration_name = @name", connection);
        command.Parameters.AddWithValue("name", name);
        return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    /// <summary>The columns the Python app itself writes, as text.</summary>
    private static Task<string?> PythonRowAsync(TestDatabase db, string name)
        => db.ScalarAsync<string>($"SELECT (applied_at AT TIME ZONE 'UTC')::text || ' ' || success::text FROM applied_migrations WHERE migration_name = '{name}'");

    private static async Task<HealthReportEntry> HealthAsync(string connectionString)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddStreamVaultData(connectionString);
        services.AddHealthChecks().AddStreamVaultMigrationsHealthCheck();
        await using var provider = services.BuildServiceProvider();
        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);
        return report.Entries["streamvault-migrations"];
    }
}

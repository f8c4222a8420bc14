using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;
using StreamVault.Data.Migrations;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Ledger;

/// <summary>applied_migrations and __EFMigrationsHistory never disagree, whichever way migrations run.</summary>
public sealed class LedgerTests
{
    private static readonly string[] PythonNames =
    [
        "20250522_add_stream_indices", "20250609_add_recording_path", "20250617_add_proxy_settings",
        "20250620_add_push_subscriptions", "20250620_add_system_config",
    ];

    public static TheoryData<string> States => new(StartingStates.Empty, StartingStates.June2025, StartingStates.PreJune2025);

    [Theory]
    [MemberData(nameof(States))]
    public async Task Every_entry_point_writes_one_successful_ledger_row_per_migration_and_identical_rows(string state)
    {
        var results = new Dictionary<string, IReadOnlyList<LedgerRow>>();
        foreach (var (entryPoint, migrate) in EntryPoints())
        {
            await using var db = await StartingStates.CreateAsync(state);
            await migrate(db.ConnectionString);

            var history = await LedgerReader.HistoryAsync(db.ConnectionString);
            var rows = await LedgerReader.RowsAsync(db.ConnectionString);
            Assert.Equal(Infrastructure.Migrations.All(), history);
            foreach (var id in history)
            {
                var row = Assert.Single(rows, r => r.Name == KnownMigrations.LedgerNameFor(id));
                Assert.True(row.Success, $"{entryPoint}: {row.Name} not successful");
                Assert.Equal(id, row.EfMigrationId);
            }

            Assert.Subset(rows.Select(r => r.Name).ToHashSet(), PythonNames.ToHashSet());
            results[entryPoint] = rows.Select(r => r.Comparable).ToList();
        }

        Assert.Equal(results["Migrate()"], results["dotnet ef database update"]);
        Assert.Equal(results["Migrate()"], results["efbundle"]);
    }

    [Fact]
    public async Task Adopting_june_2025_keeps_the_python_rows_applied_at()
    {
        await using var db = await StartingStates.CreateAsync(StartingStates.June2025);
        var before = new Dictionary<string, DateTime>();
        await using (var connection = new NpgsqlConnection(db.ConnectionString))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var command = new NpgsqlCommand("SELECT migration_name, applied_at FROM applied_migrations", connection);
            await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                before[reader.GetString(0)] = reader.GetDateTime(1);
            }
        }

        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString);

        var after = (await LedgerReader.RowsAsync(db.ConnectionString)).ToDictionary(r => r.Name);
        Assert.Equal(PythonNames.Order(StringComparer.Ordinal), before.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(new DateTime(2025, 6, 23, 9, 1, 12, 118, DateTimeKind.Utc), before["20250522_add_stream_indices"]);
        foreach (var name in PythonNames)
        {
            Assert.Equal(before[name], after[name].AppliedAt);
            Assert.True(after[name].Success);
            Assert.NotNull(after[name].Checksum);
        }
    }

    [Fact]
    public async Task The_python_apps_own_upsert_still_works_and_its_rows_survive_later_runs()
    {
        await using var db = await StartingStates.CreateAsync(StartingStates.June2025);
        await PythonUpsertAsync(db.ConnectionString, "20250701_python_before_adoption");
        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString);
        await PythonUpsertAsync(db.ConnectionString, "20250801_python_after_adoption");
        await PythonUpsertAsync(db.ConnectionString, "20250620_add_system_config");
        var written = (await LedgerReader.RowsAsync(db.ConnectionString)).Where(r => r.Name.Contains("python", StringComparison.Ordinal)).ToList();

        // A ledger row gone missing makes the next run a full one (lock, reconcile) rather than the no-op path.
        await db.ExecuteSqlAsync("DELETE FROM applied_migrations WHERE migration_name = '20250617_add_proxy_settings';");
        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString);
        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString);

        Assert.Equal(["20250701_python_before_adoption", "20250801_python_after_adoption"], written.Select(r => r.Name));
        Assert.All(written, r => Assert.True(r.Success));
        Assert.All(written, r => Assert.Null(r.EfMigrationId));
        Assert.Equal(written, (await LedgerReader.RowsAsync(db.ConnectionString)).Where(r => r.Name.Contains("python", StringComparison.Ordinal)));
        Assert.True(Assert.Single(await LedgerReader.RowsAsync(db.ConnectionString), r => r.Name == "20250620_add_system_config").Success);
    }

    /// <summary>The statement the Python MigrationService records a migration with, verbatim.</summary>
    private static async Task PythonUpsertAsync(string connectionString, string name)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO applied_migrations (migration_name, success) VALUES (@name, @success)
            ON CONFLICT (migration_name) DO UPDATE SET success = @success, applied_at = CURRENT_TIMESTAMP
            """, connection);
        command.Parameters.AddWithValue("name", name);
        command.Parameters.AddWithValue("success", true);
        Assert.Equal(1, await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_idempotent_script_carries_the_ledger_writes()
    {
        var script = await RepositoryTools.DotnetEfAsync("migrations", "script", "--idempotent");

        Assert.Equal(0, script.ExitCode);
        Assert.Contains("CREATE TABLE IF NOT EXISTS applied_migrations", script.StandardOutput, StringComparison.Ordinal);
        foreach (var name in PythonNames)
        {
            Assert.Contains($"VALUES ('{name}', TRUE, CURRENT_TIMESTAMP", script.StandardOutput, StringComparison.Ordinal);
        }

        Assert.Contains("VALUES ('20261125000000_ConvergeLegacySchema', TRUE, CURRENT_TIMESTAMP", script.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_migration_leaves_no_partial_schema_and_a_failed_ledger_row_until_a_later_run_succeeds()
    {
        await using var db = await StartingStates.CreateAsync(StartingStates.Empty);
        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString, "20240705000000_BaseSchema");
        // An index of the same name on another table: AddStreamIndices must stop rather than adopt it.
        await db.ExecuteSqlAsync("CREATE INDEX idx_streams_title ON streamers (title);");

        var failure = await Assert.ThrowsAsync<PostgresException>(() => Infrastructure.Migrations.MigrateAsync(db.ConnectionString));

        Assert.Contains("index idx_streams_title exists with another definition", failure.MessageText, StringComparison.Ordinal);
        Assert.Equal(["20240705000000_BaseSchema"], await LedgerReader.HistoryAsync(db.ConnectionString));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname IN ('idx_streams_streamer_id', 'idx_streams_started_at')"));
        var failed = Assert.Single(await LedgerReader.RowsAsync(db.ConnectionString), r => r.Name == "20250522000000_AddStreamIndices");
        Assert.False(failed.Success);
        Assert.StartsWith("P0001: index idx_streams_title exists with another definition", failed.Error, StringComparison.Ordinal);

        await db.ExecuteSqlAsync("DROP INDEX idx_streams_title;");
        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString);

        var mended = Assert.Single(await LedgerReader.RowsAsync(db.ConnectionString), r => r.Name == "20250522_add_stream_indices");
        Assert.True(mended.Success);
        Assert.Null(mended.Error);
        Assert.Equal(Infrastructure.Migrations.All(), await LedgerReader.HistoryAsync(db.ConnectionString));
    }

    [Theory]
    [InlineData("dotnet ef database update")]
    [InlineData("efbundle")]
    public async Task Out_of_process_entry_points_record_a_failed_migration_too(string entryPoint)
    {
        await using var db = await StartingStates.CreateAsync(StartingStates.Empty);
        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString, "20240705000000_BaseSchema");
        await db.ExecuteSqlAsync("CREATE INDEX idx_streams_title ON streamers (title);");

        var migrate = EntryPoints().Single(e => e.Item1 == entryPoint).Item2;
        var nonZeroExit = await Assert.ThrowsAnyAsync<Exception>(() => migrate(db.ConnectionString));

        Assert.Contains("exists with another definition", nonZeroExit.Message, StringComparison.Ordinal);
        var failed = Assert.Single(await LedgerReader.RowsAsync(db.ConnectionString), r => r.Name == "20250522000000_AddStreamIndices");
        Assert.False(failed.Success);
        Assert.StartsWith("P0001: index idx_streams_title exists with another definition", failed.Error, StringComparison.Ordinal);
        Assert.Equal(["20240705000000_BaseSchema"], await LedgerReader.HistoryAsync(db.ConnectionString));
    }

    [Fact]
    public async Task Reverting_the_newest_migrations_removes_exactly_their_ledger_rows_and_reapplying_restores_them()
    {
        await using var db = await StartingStates.CreateAsync(StartingStates.Empty);
        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString);
        var full = await LedgerReader.RowsAsync(db.ConnectionString);

        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString, "20250617000000_AddProxySettings");

        Assert.Equal(
            full.Where(r => string.CompareOrdinal(r.EfMigrationId, "20250617000000_AddProxySettings") <= 0),
            await LedgerReader.RowsAsync(db.ConnectionString));

        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString);

        Assert.Equal(full.Select(r => r.Comparable), (await LedgerReader.RowsAsync(db.ConnectionString)).Select(r => r.Comparable));
    }

    [Fact]
    public async Task Random_applies_and_reverts_keep_history_and_ledger_in_agreement()
    {
        await using var db = await StartingStates.CreateAsync(StartingStates.Empty);
        var all = Infrastructure.Migrations.All();
        var targets = all.Prepend("0").ToList();
#pragma warning disable CA5394 // A fixed seed makes the walk reproducible; nothing here is security-relevant.
        var random = new Random(20261125);
        for (var step = 0; step < 24; step++)
        {
            var target = targets[random.Next(targets.Count)];
#pragma warning restore CA5394
            await Infrastructure.Migrations.MigrateAsync(db.ConnectionString, target);

            var history = await LedgerReader.HistoryAsync(db.ConnectionString);
            var expectedHistory = all.Take(targets.IndexOf(target)).ToList();
            Assert.Equal(expectedHistory, history);
            var ledger = await LedgerReader.RowsAsync(db.ConnectionString);
            Assert.Equal(
                history.Select(KnownMigrations.LedgerNameFor).Order(StringComparer.Ordinal),
                ledger.Select(r => r.Name));
            Assert.All(ledger, r => Assert.True(r.Success));
        }
    }

    [Fact]
    public async Task A_missing_or_failed_ledger_row_is_reconciled_by_the_next_run_and_logged()
    {
        await using var db = await StartingStates.CreateAsync(StartingStates.Empty);
        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString);
        await db.ExecuteSqlAsync("""
            DELETE FROM applied_migrations WHERE migration_name = '20250617_add_proxy_settings';
            UPDATE applied_migrations SET success = FALSE WHERE migration_name = '20250620_add_system_config';
            """);
        using var logs = new CollectingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs));
        var builder = new DbContextOptionsBuilder<StreamVaultDbContext>();
        StreamVaultDatabase.Configure(builder, db.ConnectionString).UseLoggerFactory(loggerFactory);

        await using (var context = new StreamVaultDbContext(builder.Options))
        {
            await context.Database.MigrateAsync(TestContext.Current.CancellationToken);
        }

        var rows = await LedgerReader.RowsAsync(db.ConnectionString);
        Assert.True(Assert.Single(rows, r => r.Name == "20250617_add_proxy_settings").Success);
        Assert.True(Assert.Single(rows, r => r.Name == "20250620_add_system_config").Success);
        var reconciled = Assert.Single(logs.Entries, l => l.EventId == 2103);
        Assert.Equal(LogLevel.Warning, reconciled.Level);
        Assert.EndsWith("reconciled (EF history rows without a successful applied_migrations row): "
                        + "20250617_add_proxy_settings, 20250620_add_system_config", reconciled.Message, StringComparison.Ordinal);
    }

    private static IEnumerable<(string, Func<string, Task>)> EntryPoints()
    {
        yield return ("Migrate()", cs =>
        {
            using var context = StreamVaultDatabase.CreateContext(cs);
            context.Database.Migrate();
            return Task.CompletedTask;
        });
        yield return ("dotnet ef database update", async cs =>
        {
            var result = await RepositoryTools.DotnetEfAsync("database", "update", "--connection", cs);
            Assert.True(result.ExitCode == 0, result.Output);
        });
        yield return ("efbundle", async cs =>
        {
            await RepositoryTools.EnsureArtifactsAsync();
            var result = await ProcessRunner.RunAsync(RepositoryTools.Bundle, ["--connection", cs], timeout: TimeSpan.FromMinutes(3));
            Assert.True(result.ExitCode == 0, result.Output);
        });
    }
}

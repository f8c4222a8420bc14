using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using StreamVault.Data.Hosting;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Engine;

/// <summary>
/// Issue #13: an up-to-date database is recognised before EF starts (CLI migrate, the startup runner), and that
/// pre-EF answer is "nothing to do" exactly when the full engine does nothing. Correctness only: the timings are
/// benchmarks/coldstart.sh's.
/// </summary>
public sealed class ColdStartTests
{
    private const string Hole = "20250617000000_AddProxySettings";

    /// <summary>EF's "context initialized" event: logged once EF has built its service provider for a context.</summary>
    private const int ContextInitializedEventId = 10403;

    public static TheoryData<string, bool> States => new()
    {
        { "up to date", true },
        { "a newer version's migration in history", true },
        { "hole in history", false },
        { "history row without ledger row", false },
        { "applied migration with a failed ledger row", false },
        { "ledger without its error column", false },
        { "no history table", false },
        { "empty database", false },
        { "no database", false },
    };

    [Theory]
    [MemberData(nameof(States))]
    public async Task The_pre_EF_check_says_nothing_to_do_exactly_when_the_engine_does_nothing(string state, bool upToDate)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = state is "empty database" or "no database"
            ? await TestDatabase.CreateAsync()
            : await StartingStates.CreateMigratedAsync(StartingStates.Empty);
        await PrepareAsync(db, state);
        var connectionString = state == "no database"
            ? new NpgsqlConnectionStringBuilder(db.ConnectionString) { Database = db.Name + "_absent" }.ConnectionString
            : db.ConnectionString;
        try
        {
            using var preLogs = new CollectingLoggerProvider();
            using var preFactory = LoggerFactory.Create(b => b.AddProvider(preLogs).SetMinimumLevel(LogLevel.Trace));
            var progress = new RecordingProgress();
            var preEf = await StreamVaultUpToDateCheck.IsUpToDateAsync(
                connectionString, new StreamVaultDataOptions { LoggerFactory = preFactory, Progress = progress }, ct);

            using var engineLogs = new CollectingLoggerProvider();
            using var engineFactory = LoggerFactory.Create(b => b.AddProvider(engineLogs).SetMinimumLevel(LogLevel.Trace));
            // Asked to create a missing database (the engine refuses one otherwise): the full run, then, has work to do.
            await Infrastructure.Migrations.MigrateAsync(
                connectionString, options: new StreamVaultDataOptions { LoggerFactory = engineFactory, CreateDatabaseIfMissing = true });
            var engineDidNothing = engineLogs.Entries.Any(e => e.EventId == MigrationEventIds.UpToDate);

            Assert.Equal(upToDate, preEf);
            Assert.Equal(upToDate, engineDidNothing);
            // Reported as the engine reports its own no-op: the same event, category and message, and the progress told.
            Assert.Equal(
                upToDate ? engineLogs.Entries.Where(e => e.EventId == MigrationEventIds.UpToDate).Select(e => (e.Category, e.Level, e.Message)).ToList() : [],
                preLogs.Entries.Select(e => (e.Category, e.Level, e.Message)).ToList());
            Assert.Equal(upToDate ? 1 : 0, progress.NothingToApplyCalls);
            // Whatever the state, the run left an up-to-date database, which the pre-EF check now recognises.
            Assert.True(await StreamVaultUpToDateCheck.IsUpToDateAsync(connectionString, cancellationToken: ct));
        }
        finally
        {
            if (state == "no database")
            {
                NpgsqlConnection.ClearAllPools();
                await Sql.ExecuteAsync(
                    (await PostgresServer.GetAsync()).AdminConnectionString,
                    $"DROP DATABASE IF EXISTS {Sql.Identifier(db.Name + "_absent")} WITH (FORCE)");
            }
        }
    }

    [Fact]
    public async Task The_pre_EF_check_leaves_a_custom_migrations_assembly_to_the_engine()
    {
        await using var db = await StartingStates.CreateMigratedAsync(StartingStates.Empty);

        Assert.False(await StreamVaultUpToDateCheck.IsUpToDateAsync(
            db.ConnectionString, new StreamVaultDataOptions { MigrationsAssembly = typeof(StreamVaultDbContext).Assembly.GetName().Name },
            TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task An_up_to_date_migrate_answers_without_starting_EF()
    {
        await using var db = await StartingStates.CreateMigratedAsync(StartingStates.Empty);
        var where = new NpgsqlConnectionStringBuilder(db.ConnectionString);

        var run = await InProcessCli.RunAsync(["migrate", "--verbose", "--connection", db.ConnectionString]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal($"Migrating database {where.Database} on {where.Host}:{where.Port}\nDatabase is up to date\n", run.StandardOutput);
        // --verbose shows every EF log line: there is none, only the engine's own up-to-date event.
        Assert.Equal(
            $"information: Microsoft.EntityFrameworkCore.Migrations[2001]: Database is up to date: all {Infrastructure.Migrations.All().Count} migrations applied, ledger in agreement\n",
            run.StandardError);
    }

    [Fact]
    public async Task Status_reads_the_compiled_in_catalog_without_starting_EF()
    {
        await using var db = await StartingStates.CreateMigratedAsync(StartingStates.Empty);

        var run = await InProcessCli.RunAsync(["status", "--json", "--verbose", "--connection", db.ConnectionString]);

        Assert.Equal(0, run.ExitCode);
        // --verbose shows every EF log line: EF never started.
        Assert.Equal("", run.StandardError);
        using var json = System.Text.Json.JsonDocument.Parse(run.StandardOutput);
        Assert.Equal(Infrastructure.Migrations.All().Count, json.RootElement.GetProperty("appliedCount").GetInt32());
        Assert.All(json.RootElement.GetProperty("migrations").EnumerateArray(),
            m => Assert.True(m.GetProperty("ledger").GetProperty("checksumMatches").GetBoolean()));
    }

    [Fact]
    public async Task A_startup_on_an_up_to_date_database_logs_the_usual_milestones_without_starting_EF()
    {
        await using var db = await StartingStates.CreateMigratedAsync(StartingStates.Empty);
        var all = Infrastructure.Migrations.All();
        var logs = new CollectingLoggerProvider();

        using (var host = BuildHost(db.ConnectionString, logs))
        {
            var result = await host.MigrateStreamVaultDatabaseAsync(TestContext.Current.CancellationToken);
            Assert.True(result.Succeeded);
            Assert.Empty(result.Applied);
        }

        Assert.Equal(
            [
                (2201, "Starting StreamVault database migrations on " + StreamVaultDatabase.Redact(db.ConnectionString)),
                (2203, "Migration tracking tables ready"),
                (2204, $"Skipping {all.Count} already-applied migrations: " + string.Join(", ", all)),
                (MigrationEventIds.UpToDate, $"Database is up to date: all {all.Count} migrations applied, ledger in agreement"),
                (2208, "Migration summary: 0 successful, 0 failed"),
            ],
            logs.Entries.Where(e => e.EventId is >= 2000 and < 2300).Select(e => (e.EventId, e.Message)));
        Assert.DoesNotContain(logs.Entries, e => e.EventId == ContextInitializedEventId);
    }

    [Fact]
    public async Task A_startup_with_pending_migrations_goes_through_the_full_engine()
    {
        await using var db = await StartingStates.CreateMigratedAsync(StartingStates.Empty);
        await db.ExecuteSqlAsync("DELETE FROM applied_migrations WHERE migration_name = '20250617_add_proxy_settings'");
        var logs = new CollectingLoggerProvider();

        using (var host = BuildHost(db.ConnectionString, logs))
        {
            Assert.True((await host.MigrateStreamVaultDatabaseAsync(TestContext.Current.CancellationToken)).Succeeded);
        }

        Assert.Contains(logs.Entries, e => e.EventId == ContextInitializedEventId);
        Assert.Contains(logs.Entries, e => e.EventId == MigrationEventIds.Reconciled);
        Assert.DoesNotContain(logs.Entries, e => e.EventId == MigrationEventIds.UpToDate);
    }

    private static async Task PrepareAsync(TestDatabase db, string state)
    {
        switch (state)
        {
            case "a newer version's migration in history":
                await db.ExecuteSqlAsync("""
                    INSERT INTO "__EFMigrationsHistory" (migration_id, product_version) VALUES ('29990101000000_FromANewerVersion', '99.0.0');
                    INSERT INTO applied_migrations (migration_name, success) VALUES ('29990101000000_FromANewerVersion', TRUE);
                    """);
                break;
            case "hole in history":
                await db.ExecuteSqlAsync($"""DELETE FROM "__EFMigrationsHistory" WHERE migration_id = '{Hole}'""");
                break;
            case "history row without ledger row":
                await db.ExecuteSqlAsync("DELETE FROM applied_migrations WHERE migration_name = '20250617_add_proxy_settings'");
                break;
            case "applied migration with a failed ledger row":
                await db.ExecuteSqlAsync("UPDATE applied_migrations SET success = FALSE WHERE migration_name = '20250617_add_proxy_settings'");
                break;
            case "ledger without its error column":
                await db.ExecuteSqlAsync("ALTER TABLE applied_migrations DROP COLUMN error");
                break;
            case "no history table":
                await db.ExecuteSqlAsync("""DROP TABLE "__EFMigrationsHistory" """);
                break;
        }
    }

    private static IHost BuildHost(string connectionString, CollectingLoggerProvider logs)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Services.AddStreamVaultData(connectionString);
        return builder.Build();
    }

    private sealed class RecordingProgress : IMigrationProgress
    {
        public int NothingToApplyCalls { get; private set; }

        public void MigrationStarting(string migrationId, bool reverting)
        {
        }

        public void NothingToApply() => NothingToApplyCalls++;
    }
}

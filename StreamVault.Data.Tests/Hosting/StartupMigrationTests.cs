using System.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using StreamVault.Data.Hosting;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Hosting;

/// <summary>The startup runner and health check in a generic host, against real PostgreSQL.</summary>
public sealed class StartupMigrationTests
{
    private const string ConflictingIndex = "CREATE TABLE other (x int); CREATE INDEX idx_streams_title ON other (x);";

    private static readonly string[] AllMigrations = [.. Infrastructure.Migrations.All()];

    [Fact]
    public async Task Startup_runner_migrates_before_a_later_hosted_service_starts_and_logs_each_milestone()
    {
        await using var database = await TestDatabase.CreateAsync();
        var logs = new CollectingLoggerProvider();
        var recorder = new AppStartRecorder(database.ConnectionString);

        using (var host = BuildHost(database.ConnectionString, logs, recorder))
        {
            await host.StartAsync(TestContext.Current.CancellationToken);
            await host.StopAsync(TestContext.Current.CancellationToken);
        }

        Assert.Equal((long)AllMigrations.Length, recorder.HistoryRowsWhenAppStarted);
        var events = Milestones(logs);
        Assert.Equal(
            [
                (2201, null), (2203, null),
                .. AllMigrations.SelectMany(id => new (int, string?)[] { (2205, id), (2206, id) }),
                (2208, null),
            ],
            events.Select(e => (e.EventId, MigrationOf(e.Message))));
        Assert.Equal($"Migration summary: {AllMigrations.Length} successful, 0 failed", events[^1].Message);
    }

    [Fact]
    public async Task Second_start_skips_applied_migrations_listing_them()
    {
        await using var database = await TestDatabase.CreateAsync();
        await MigrateAsync(database.ConnectionString);
        var logs = new CollectingLoggerProvider();

        using (var host = BuildHost(database.ConnectionString, logs))
        {
            await host.StartAsync(TestContext.Current.CancellationToken);
            await host.StopAsync(TestContext.Current.CancellationToken);
        }

        var events = Milestones(logs);
        Assert.Equal([2201, 2203, 2204, 2208], events.Select(e => e.EventId));
        Assert.Equal($"Skipping {AllMigrations.Length} already-applied migrations: " + string.Join(", ", AllMigrations), events[2].Message);
        Assert.Equal("Migration summary: 0 successful, 0 failed", events[3].Message);
    }

    [Fact]
    public async Task Startup_runner_waits_for_a_database_that_appears_within_the_retry_window()
    {
        var server = await PostgresServer.GetAsync();
        var name = "sv_test_late_" + Guid.NewGuid().ToString("N")[..8];
        var connectionString = server.ConnectionStringFor(name);
        var logs = new CollectingLoggerProvider();
        try
        {
            // Twenty tries (0.7 s, 1.4 s, ... apart: over two minutes): the database appears well inside the window however
            // slowly a busy machine creates it.
            using var host = BuildHost(connectionString, logs, configure: o =>
            {
                o.ConnectRetryDelay = TimeSpan.FromMilliseconds(700);
                o.ConnectAttempts = 20;
            });
            // Created once the runner has said it waits for it, so that it did find it missing.
            var creating = Task.Run(async () =>
            {
                for (var clock = Stopwatch.StartNew(); !logs.Entries.Any(e => e.EventId == 2202); )
                {
                    Assert.True(clock.Elapsed < TimeSpan.FromMinutes(3), "the runner never said it waits for the database");
                    await Task.Delay(50, TestContext.Current.CancellationToken);
                }

                await Sql.ExecuteAsync(server.AdminConnectionString, $"CREATE DATABASE {Sql.Identifier(name)}");
            }, TestContext.Current.CancellationToken);

            await host.StartAsync(TestContext.Current.CancellationToken);
            await creating;
            await host.StopAsync(TestContext.Current.CancellationToken);

            var waits = logs.Entries.Where(e => e.EventId == 2202).ToList();
            Assert.NotEmpty(waits);
            Assert.All(waits, w => Assert.Contains($"3D000: database \"{name}\" does not exist", w.Message, StringComparison.Ordinal));
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var count = new NpgsqlCommand("""SELECT count(*) FROM "__EFMigrationsHistory" """, connection);
            Assert.Equal((long)AllMigrations.Length, await count.ExecuteScalarAsync(TestContext.Current.CancellationToken));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await Sql.ExecuteAsync(server.AdminConnectionString, $"DROP DATABASE IF EXISTS {Sql.Identifier(name)} WITH (FORCE)");
        }
    }

    [Fact]
    public async Task Startup_runner_starts_over_when_its_session_is_terminated_mid_run_and_completes()
    {
        await using var database = await StartingStates.CreateAsync(StartingStates.June2025);
        await using var reader = await ReadingSession.OpenAsync(database.ConnectionString, "streams");
        var logs = new CollectingLoggerProvider();
        var ct = TestContext.Current.CancellationToken;
        using var host = BuildHost(database.ConnectionString, logs, configure: o => o.ConnectRetryDelay = TimeSpan.FromMilliseconds(200));
        var starting = host.StartAsync(ct);

        var pid = await EngineSessions.WaitForWaitingStatementAsync(database.ConnectionString, "StreamVault.Data", "LOCK TABLE%");
        await database.ExecuteSqlAsync(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"SELECT pg_terminate_backend({pid})"));
        while (!logs.Entries.Any(e => e.EventId == 2210))
        {
            Assert.False(starting.IsCompleted, "the host finished starting without starting over");
            await Task.Delay(20, ct);
        }

        await reader.CommitAsync(ct);
        await starting;
        await host.StopAsync(ct);

        var restart = Assert.Single(logs.Entries, e => e.EventId == 2210);
        Assert.StartsWith("Startup migrations were interrupted (attempt 1 of 5): migration 20261129100000_AddColumnsOfNewerReleases was interrupted (57P01: ",
            restart.Message, StringComparison.Ordinal);
        Assert.Equal("Migration summary: " + (AllMigrations.Length) + " successful, 0 failed", logs.Entries.Last(e => e.EventId == 2208).Message);
        await RunAssertions.AssertMigratedAsync(database.ConnectionString);
    }

    [Fact]
    public async Task Failing_migration_under_Continue_starts_the_app_records_the_failure_and_is_unhealthy()
    {
        await using var database = await TestDatabase.CreateAsync();
        await database.ExecuteSqlAsync(ConflictingIndex);
        var logs = new CollectingLoggerProvider();
        var recorder = new AppStartRecorder(database.ConnectionString);

        using var host = BuildHost(database.ConnectionString, logs, recorder, o => o.FailurePolicy = MigrationFailurePolicy.Continue);
        await host.StartAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1L, recorder.HistoryRowsWhenAppStarted);
        var failed = Assert.Single(logs.Entries, e => e.EventId == 2207);
        Assert.StartsWith("Migration 20250522000000_AddStreamIndices failed: P0001: index idx_streams_title exists with another definition", failed.Message, StringComparison.Ordinal);
        Assert.Contains(logs.Entries, e => e.EventId == 2208 && e.Message == "Migration summary: 1 successful, 1 failed");
        Assert.False(await database.ScalarAsync<bool>("SELECT success FROM applied_migrations WHERE migration_name = '20250522_add_stream_indices'"));

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);
        var entry = report.Entries["streamvault-migrations"];
        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Equal(["20250522000000_AddStreamIndices"], (IEnumerable<string>)entry.Data["failed"]);
        // The failed migration is in "failed" only, as in status.
        Assert.Equal(AllMigrations[2..], (IEnumerable<string>)entry.Data["pending"]);
        Assert.StartsWith("P0001: index idx_streams_title exists with another definition", (string)entry.Data["error:20250522000000_AddStreamIndices"], StringComparison.Ordinal);
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Failing_migration_under_Stop_throws_from_startup_and_the_app_never_starts()
    {
        await using var database = await TestDatabase.CreateAsync();
        await database.ExecuteSqlAsync(ConflictingIndex);
        var recorder = new AppStartRecorder(database.ConnectionString);

        using var host = BuildHost(database.ConnectionString, new CollectingLoggerProvider(), recorder, o => o.FailurePolicy = MigrationFailurePolicy.Stop);
        var failure = await Assert.ThrowsAsync<PostgresException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Equal("P0001", failure.SqlState);
        Assert.StartsWith("index idx_streams_title exists with another definition", failure.MessageText, StringComparison.Ordinal);
        Assert.Null(recorder.HistoryRowsWhenAppStarted);
    }

    [Fact]
    public async Task Health_check_is_degraded_while_migrations_are_pending_and_healthy_once_applied()
    {
        await using var database = await TestDatabase.CreateAsync();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddStreamVaultData(database.ConnectionString);
        services.AddHealthChecks().AddStreamVaultMigrationsHealthCheck();
        await using var provider = services.BuildServiceProvider();
        var health = provider.GetRequiredService<HealthCheckService>();

        var before = (await health.CheckHealthAsync(TestContext.Current.CancellationToken)).Entries["streamvault-migrations"];
        await MigrateAsync(database.ConnectionString);
        var after = (await health.CheckHealthAsync(TestContext.Current.CancellationToken)).Entries["streamvault-migrations"];

        Assert.Equal(HealthStatus.Degraded, before.Status);
        Assert.Equal(AllMigrations, (IEnumerable<string>)before.Data["pending"]);
        Assert.Equal(HealthStatus.Healthy, after.Status);
        Assert.Equal(AllMigrations.Length, after.Data["applied"]);
        Assert.Empty((IEnumerable<string>)after.Data["pending"]);
    }

    [Fact]
    public async Task While_the_startup_run_builds_an_index_the_health_check_is_degraded_with_its_progress_and_the_log_has_it()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await StartingStates.CreateWithBulkStreamsAsync(StartingStates.PreJune2025, 500_000);
        await using var held = await HeldIndexBuild.OpenAsync(database.ConnectionString);
        var logs = new CollectingLoggerProvider();
        using var host = BuildHost(database.ConnectionString, logs);
        var health = host.Services.GetRequiredService<HealthCheckService>();

        var starting = host.StartAsync(ct);
        var build = await held.WaitUntilHeldAsync(database.ConnectionString, starting);
        var line = build.Line;
        // The engine logs a build every 10 s (event 2007); by then the health check has had its readings for a while.
        while (!logs.Entries.Any(e => e.EventId == MigrationEventIds.IndexBuildProgress && e.Message.EndsWith(line, StringComparison.Ordinal)))
        {
            Assert.False(starting.IsCompleted, "the host started without logging the build's progress");
            await Task.Delay(100, ct);
        }

        // The check shows a reading under 3 s old: asked again while a busy machine delays the next one.
        var during = (await health.CheckHealthAsync(ct)).Entries["streamvault-migrations"];
        for (var clock = Stopwatch.StartNew(); !(during.Description ?? "").EndsWith(line, StringComparison.Ordinal) && clock.Elapsed < TimeSpan.FromMinutes(1);)
        {
            await Task.Delay(100, ct);
            during = (await health.CheckHealthAsync(ct)).Entries["streamvault-migrations"];
        }

        await held.ReleaseAsync();
        await starting;
        var after = (await health.CheckHealthAsync(ct)).Entries["streamvault-migrations"];
        await host.StopAsync(ct);

        // The migration that builds it: the last one the runner started (event 2205) before the build's first progress event.
        var entries = logs.Entries.ToList();
        var migration = entries.Take(entries.FindIndex(e => e.EventId == MigrationEventIds.IndexBuildProgress))
            .Last(e => e.EventId == 2205).Message["Running migration ".Length..];
        Assert.Contains(logs.Entries, e => e.EventId == MigrationEventIds.IndexBuildProgress && e.Message == $"Migration {migration}: {line}");
        Assert.Equal(HealthStatus.Degraded, during.Status);
        Assert.Equal($"Migration in progress: {migration}: {line}", during.Description);
        Assert.Equal((migration, line, Math.Floor(build.Percent)), ((string)during.Data["migration"], (string)during.Data["step"], (double)during.Data["percent"]));
        Assert.Equal(HealthStatus.Healthy, after.Status);
    }

    [Fact]
    public async Task MigrateStreamVaultDatabaseAsync_migrates_before_the_host_runs()
    {
        await using var database = await TestDatabase.CreateAsync();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddStreamVaultData(database.ConnectionString);
        using var host = builder.Build();

        var result = await host.MigrateStreamVaultDatabaseAsync(TestContext.Current.CancellationToken);

        Assert.True(result.Succeeded);
        Assert.Equal(AllMigrations, result.Applied);
    }

    [Fact]
    public void AddStreamVaultData_reads_ConnectionStrings_StreamVault_and_rejects_a_missing_one()
    {
        var configured = Host.CreateApplicationBuilder();
        configured.Configuration["ConnectionStrings:StreamVault"] = "Host=db.example;Database=streamvault;Username=app";
        configured.Services.AddStreamVaultData(configured.Configuration);
        using (var host = configured.Build())
        {
            Assert.Equal("Host=db.example;Database=streamvault;Username=app", host.Services.GetRequiredService<StreamVaultDataRegistration>().ConnectionString);
        }

        var missing = Host.CreateApplicationBuilder();
        var error = Assert.Throws<InvalidOperationException>(() => missing.Services.AddStreamVaultData(missing.Configuration));
        Assert.StartsWith("No connection string 'ConnectionStrings:StreamVault' is configured", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StreamVaultDataOptions_are_bound_from_the_StreamVault_section_and_are_what_the_context_uses()
    {
        var configured = Host.CreateApplicationBuilder();
        configured.Configuration["ConnectionStrings:StreamVault"] = "Host=db.example;Database=streamvault;Username=app";
        configured.Configuration["StreamVault:LockTimeout"] = "00:00:05";
        configured.Configuration["StreamVault:RunLockDeadline"] = "00:15:00";
        configured.Configuration["StreamVault:StatementTimeout"] = "00:01:00";
        configured.Services.AddStreamVaultData(configured.Configuration);
        using var host = configured.Build();

        var options = host.Services.GetRequiredService<IOptions<StreamVaultDataOptions>>().Value;
        Assert.Equal((TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(15), (TimeSpan?)TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(10)),
            (options.LockTimeout, options.RunLockDeadline, options.StatementTimeout, options.LockRetryDeadline));
        using var scope = host.Services.CreateScope();
        var context = scope.ServiceProvider.GetRequiredService<StreamVaultDbContext>();
        Assert.Same(options, StreamVault.Data.Engine.StreamVaultOptionsExtension.From(context.GetService<IDbContextOptions>()));
    }

    private static IHost BuildHost(
        string connectionString,
        CollectingLoggerProvider logs,
        AppStartRecorder? recorder = null,
        Action<StreamVaultMigrationOptions>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.Services.AddStreamVaultData(connectionString);
        builder.Services.AddStreamVaultMigrations(configure);
        builder.Services.AddHealthChecks().AddStreamVaultMigrationsHealthCheck();
        if (recorder is not null)
        {
            builder.Services.AddSingleton<IHostedService>(recorder);
        }

        return builder.Build();
    }

    private static async Task MigrateAsync(string connectionString)
    {
        await using var context = StreamVaultDatabase.CreateContext(connectionString);
        await Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.MigrateAsync(context.Database);
    }

    private static List<LogEntry> Milestones(CollectingLoggerProvider logs)
        => [.. logs.Entries.Where(e => e.EventId is >= 2201 and <= 2209)];

    private static string? MigrationOf(string message)
        => AllMigrations.FirstOrDefault(id => message.Contains(id, StringComparison.Ordinal) && !message.StartsWith("Skipping", StringComparison.Ordinal));

    /// <summary>The app's own hosted service, registered after the runner: what did the schema look like when it started?</summary>
    private sealed class AppStartRecorder(string connectionString) : IHostedService
    {
        public long? HistoryRowsWhenAppStarted { get; private set; }

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("""SELECT count(*) FROM "__EFMigrationsHistory" """, connection);
            HistoryRowsWhenAppStarted = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

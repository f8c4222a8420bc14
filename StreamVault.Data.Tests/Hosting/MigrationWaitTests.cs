using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Hosting;

/// <summary>
/// <see cref="StreamVaultDataOptions.WaitForMigrationsTimeout"/>: a replica that does not migrate starts only once someone
/// else's run has migrated the database, against real PostgreSQL.
/// </summary>
public sealed class MigrationWaitTests
{
    private static readonly IReadOnlyList<string> AllMigrations = Infrastructure.Migrations.All();

    [Fact]
    public async Task Waiting_replica_starts_serving_only_after_the_migration_run_commits()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await StartingStates.CreateAsync(StartingStates.June2025);
        var logs = new CollectingLoggerProvider();
        var app = new AppStartRecorder(database.ConnectionString);
        using var replica = BuildReplica(database.ConnectionString, logs, app, "00:05:00");
        var serving = replica.StartAsync(ct);
        await WaitForAsync(() => logs.Entries.Any(e => e.EventId == 2211), serving, "the replica never said what it waits for");
        Assert.Equal(Waiting(database, AllMigrations), logs.Entries.First(e => e.EventId == 2211).Message);

        // The run, from another engine, held at its first step on streams by an app's open transaction, once it has
        // committed the migrations before that step: the replica sees them applied and still waits for the rest.
        Task run;
        await using (var reader = await ReadingSession.OpenAsync(database.ConnectionString, "streams"))
        {
            run = Infrastructure.Migrations.MigrateAsync(database.ConnectionString);
            await EngineSessions.WaitForWaitingStatementAsync(database.ConnectionString, "StreamVault.Data", "LOCK TABLE%");
            var rest = Waiting(database, Infrastructure.Migrations.After("20261125000000_ConvergeLegacySchema"));
            await WaitForAsync(() => logs.Entries.Any(e => e.EventId == 2211 && e.Message == rest), serving, "the replica never saw the run's first commits");
            Assert.False(serving.IsCompleted, "the replica started before the run committed");
            Assert.Null(app.HistoryRowsWhenStarted);
            await reader.CommitAsync(ct);
        }

        await run;
        await serving;
        Assert.Equal(AllMigrations.Count, app.HistoryRowsWhenStarted);
        Assert.Single(logs.Entries, e => e.EventId == 2213);
        await replica.StopAsync(ct);
    }

    [Fact]
    public async Task A_slow_answer_to_the_last_question_still_decides_the_message()
    {
        await using var database = await TestDatabase.CreateAsync();
        // Every session starts 4 s late, so the only question a 1 s wait asks is answered after its time is up: it still
        // gets the least time a question gets (10 s), and the message says what the database answered.
        await using var proxy = SlowProxy.Start(database.ConnectionString, TimeSpan.FromSeconds(4));
        var app = new AppStartRecorder(database.ConnectionString);
        using var replica = BuildReplica(proxy.ConnectionString, new CollectingLoggerProvider(), app, "00:00:01");

        var failure = await Assert.ThrowsAsync<MigrationWaitTimeoutException>(() => replica.StartAsync(TestContext.Current.CancellationToken));

        Assert.Equal(GaveUp("00:00:01", database.Name, proxy.ConnectionString, NotApplied), failure.Message);
        Assert.Null(app.HistoryRowsWhenStarted);
    }

    [Fact]
    public async Task Waiting_replica_that_times_out_fails_start_with_its_own_one_line_message()
    {
        await using var database = await TestDatabase.CreateAsync();
        var app = new AppStartRecorder(database.ConnectionString);
        using var replica = BuildReplica(database.ConnectionString, new CollectingLoggerProvider(), app, "00:00:03");

        var failure = await Assert.ThrowsAsync<MigrationWaitTimeoutException>(() => replica.StartAsync(TestContext.Current.CancellationToken));

        Assert.Equal(GaveUp("00:00:03", database.Name, database.ConnectionString, NotApplied), failure.Message);
        Assert.Null(failure.InnerException);
        Assert.Null(app.HistoryRowsWhenStarted);
    }

    [Fact]
    public async Task Waiting_replica_keeps_waiting_through_a_database_not_yet_created_and_starts_once_it_is_migrated()
    {
        var ct = TestContext.Current.CancellationToken;
        var server = await PostgresServer.GetAsync();
        var name = "sv_test_wait_" + Guid.NewGuid().ToString("N")[..8];
        var connectionString = server.ConnectionStringFor(name);
        var logs = new CollectingLoggerProvider();
        var app = new AppStartRecorder(connectionString);
        try
        {
            using var replica = BuildReplica(connectionString, logs, app, "00:05:00");
            var serving = replica.StartAsync(ct);
            await WaitForAsync(() => logs.Entries.Any(e => e.EventId == 2212), serving, "the replica never reported the missing database");
            Assert.False(serving.IsCompleted);

            await Sql.ExecuteAsync(server.AdminConnectionString, $"CREATE DATABASE {Sql.Identifier(name)}");
            await Infrastructure.Migrations.MigrateAsync(connectionString);
            await serving;
            await replica.StopAsync(ct);

            Assert.Equal(AllMigrations.Count, app.HistoryRowsWhenStarted);
            Assert.Equal(
                $"Waiting for {name} on {Server(connectionString)} to be migrated: cannot reach it yet (3D000: database \"{name}\" does not exist); still waiting",
                logs.Entries.First(e => e.EventId == 2212).Message);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await Sql.ExecuteAsync(server.AdminConnectionString, $"DROP DATABASE IF EXISTS {Sql.Identifier(name)} WITH (FORCE)");
        }
    }

    [Fact]
    public async Task Waiting_on_a_database_that_never_appears_times_out_naming_why_it_could_not_be_reached()
    {
        var server = await PostgresServer.GetAsync();
        var name = "sv_test_never_" + Guid.NewGuid().ToString("N")[..8];
        var connectionString = server.ConnectionStringFor(name);
        using var replica = BuildReplica(connectionString, new CollectingLoggerProvider(), new AppStartRecorder(connectionString), "00:00:02");

        var failure = await Assert.ThrowsAsync<MigrationWaitTimeoutException>(() => replica.StartAsync(TestContext.Current.CancellationToken));

        Assert.Equal(GaveUp("00:00:02", name, connectionString, $"it cannot be reached (3D000: database \"{name}\" does not exist)"), failure.Message);
        Assert.Equal("3D000", Assert.IsType<PostgresException>(failure.InnerException).SqlState);
    }

    [Fact]
    public async Task A_login_the_server_refuses_fails_start_at_once_instead_of_waiting()
    {
        await using var database = await TestDatabase.CreateAsync();
        var connectionString = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Username = "sv_no_such_role" }.ConnectionString;
        // Were the refusal waited out like a missing database, start would fail a minute later with the timeout instead.
        using var replica = BuildReplica(connectionString, new CollectingLoggerProvider(), new AppStartRecorder(connectionString), "00:01:00");

        var failure = await Assert.ThrowsAsync<PostgresException>(() => replica.StartAsync(TestContext.Current.CancellationToken));

        Assert.Equal(("28000", "role \"sv_no_such_role\" does not exist"), (failure.SqlState, failure.MessageText));
    }

    [Fact]
    public async Task An_app_that_migrates_at_startup_does_not_wait_its_run_migrates_before_the_app_starts()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestDatabase.CreateAsync();
        var logs = new CollectingLoggerProvider();
        var app = new AppStartRecorder(database.ConnectionString);
        using var host = BuildReplica(database.ConnectionString, logs, app, "00:00:03", migrateAtStartup: true);

        await host.StartAsync(ct);
        await host.StopAsync(ct);

        Assert.Equal(AllMigrations.Count, app.HistoryRowsWhenStarted);
        Assert.Equal(
            "Not waiting for migrations (WaitForMigrationsTimeout): this app migrates at startup, which holds start until the database is migrated",
            Assert.Single(logs.Entries, e => e.EventId is >= 2211 and <= 2214).Message);
    }

    /// <summary>
    /// An app configured as in docs/deploying.md: the timeout from configuration, and, for a replica, its own hosted service
    /// registered before AddStreamVaultData (the wait does not depend on registration order).
    /// </summary>
    private static IHost BuildReplica(string connectionString, CollectingLoggerProvider logs, AppStartRecorder app, string timeout, bool migrateAtStartup = false)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.Configuration["ConnectionStrings:StreamVault"] = connectionString;
        builder.Configuration["StreamVault:WaitForMigrationsTimeout"] = timeout;
        if (!migrateAtStartup)
        {
            builder.Services.AddSingleton<IHostedService>(app);
        }

        builder.Services.AddStreamVaultData(builder.Configuration);
        if (migrateAtStartup)
        {
            // The startup runner's own rule: the app's services are registered after it.
            builder.Services.AddStreamVaultMigrations();
            builder.Services.AddSingleton<IHostedService>(app);
        }

        return builder.Build();
    }

    private static string Waiting(TestDatabase database, IReadOnlyList<string> missing)
        => $"Waiting up to 00:05:00 for {database.Name} on {Server(database.ConnectionString)} to be migrated (this app does not migrate): "
           + $"{missing.Count} migrations not applied ({string.Join(", ", missing)})";

    /// <summary>What the wait reports about a database none of whose migrations is applied.</summary>
    private static string NotApplied => $"{AllMigrations.Count} migrations not applied ({string.Join(", ", AllMigrations)})";

    /// <summary>The one-line message of a wait that ran out, <paramref name="why"/> being what the database last answered.</summary>
    private static string GaveUp(string timeout, string database, string connectionString, string why)
        => $"Gave up after waiting {timeout} for database \"{database}\" on {Server(connectionString)} to be migrated: {why}; "
           + "run the migrations (the migration Job or init container, migrations-bundle/migrate.sh, the efbundle) or raise StreamVault:WaitForMigrationsTimeout";

    private static string Server(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{builder.Host}:{builder.Port}";
    }

    /// <summary>Polls <paramref name="condition"/>; generous, as the box is busy. Fails early if the host finished starting.</summary>
    private static async Task WaitForAsync(Func<bool> condition, Task starting, string failure)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (starting.IsCompleted)
            {
                await starting;
                Assert.Fail("the host finished starting first: " + failure);
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), failure);
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>The app's own hosted service: did it start, and how migrated was the database when it did?</summary>
    private sealed class AppStartRecorder(string connectionString) : IHostedService
    {
        public long? HistoryRowsWhenStarted { get; private set; }

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("""SELECT count(*) FROM "__EFMigrationsHistory" """, connection);
            HistoryRowsWhenStarted = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

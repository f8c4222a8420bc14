using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using StreamVault.Data.Hosting;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Engine;

/// <summary>
/// Issue #11 item 4: the first run on an empty database prints no error-level text in any entry point (EF used to
/// log the failed read of the not-yet-created history table before succeeding).
/// </summary>
public sealed class CleanFirstRunTests
{
    private const string Adopted = "20261125000000_ConvergeLegacySchema";

    [Theory]
    [InlineData("efbundle")]
    [InlineData("dotnet ef database update")]
    public async Task EF_tools_print_only_their_progress_on_an_empty_database(string tool)
    {
        await using var db = await TestDatabase.CreateAsync();

        ToolResult run;
        if (tool == "efbundle")
        {
            await RepositoryTools.EnsureArtifactsAsync();
            run = await ProcessRunner.RunAsync(RepositoryTools.Bundle, ["--connection", db.ConnectionString], timeout: TimeSpan.FromMinutes(5));
        }
        else
        {
            run = await RepositoryTools.DotnetEfAsync("database", "update", "--connection", db.ConnectionString);
        }

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.StandardError);
        var expected = Infrastructure.Migrations.All()
            .SelectMany(id => id == Adopted
                ? new[] { $"Applying migration '{id}'.", $"Adopting {id}: its objects are already present, so it is recorded without running its SQL" }
                : [$"Applying migration '{id}'."])
            .Append("Done.")
            .ToList();
        Assert.Equal(expected, run.StandardOutput.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task Streamvault_db_migrate_verbose_logs_nothing_at_error_level_on_an_empty_database()
    {
        await using var db = await TestDatabase.CreateAsync();

        var run = await InProcessCli.RunAsync(["migrate", "--verbose", "--connection", db.ConnectionString]);

        Assert.Equal(0, run.ExitCode);
        // --verbose prints every log line as "<level>: <category>[<event>]: …".
        Assert.DoesNotContain(run.StandardError.Split('\n'), l => l.StartsWith("error:", StringComparison.Ordinal) || l.StartsWith("critical:", StringComparison.Ordinal));
        Assert.Contains("information: Microsoft.EntityFrameworkCore.Migrations[20402]: Applying migration '20240705000000_BaseSchema'.", run.StandardError, StringComparison.Ordinal);
        Assert.EndsWith($"Migration summary: {Infrastructure.Migrations.All().Count} successful, 0 failed\n", run.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Startup_migration_logs_nothing_at_error_level_on_an_empty_database()
    {
        // (The runner waits for a database that does not exist rather than creating it, so an empty one is its first run.)
        await using var db = await TestDatabase.CreateAsync();
        var logs = new CollectingLoggerProvider();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Services.AddStreamVaultData(db.ConnectionString);
        using (var host = builder.Build())
        {
            var result = await host.MigrateStreamVaultDatabaseAsync(TestContext.Current.CancellationToken);
            Assert.Equal(Infrastructure.Migrations.All(), result.Applied);
        }

        Assert.Empty(logs.Entries.Where(e => e.Level >= LogLevel.Error).Select(e => $"{e.Category}[{e.EventId}]: {e.Message}"));
    }

    [Fact]
    public async Task In_process_migrate_asked_to_create_a_missing_database_logs_nothing_at_error_level()
    {
        await using var db = await TestDatabase.CreateAsync();
        var connectionString = new NpgsqlConnectionStringBuilder(db.ConnectionString) { Database = db.Name + "_new" }.ConnectionString;
        using var logs = new CollectingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        try
        {
            await Infrastructure.Migrations.MigrateAsync(connectionString, options: new StreamVaultDataOptions { LoggerFactory = loggerFactory, CreateDatabaseIfMissing = true });

            Assert.Equal(Infrastructure.Migrations.All(), await LedgerReader.HistoryAsync(connectionString));
            Assert.Empty(logs.Entries.Where(e => e.Level >= LogLevel.Error).Select(e => $"{e.Category}[{e.EventId}]: {e.Message}"));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await Sql.ExecuteAsync(
                (await PostgresServer.GetAsync()).AdminConnectionString, $"DROP DATABASE IF EXISTS {Sql.Identifier(db.Name + "_new")} WITH (FORCE)");
        }
    }
}

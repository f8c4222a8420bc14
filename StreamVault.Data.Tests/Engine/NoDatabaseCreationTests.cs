using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using StreamVault.Data.Engine;
using StreamVault.Data.Hosting;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Engine;

/// <summary>
/// A typo in Database= must not become a new, empty database: every entry point refuses a missing database, naming
/// it, unless creating it was asked for (CreateDatabaseIfMissing, migrate --create-database, STREAMVAULT_CREATE_DATABASE=1).
/// </summary>
public sealed class NoDatabaseCreationTests
{
    private const string CreateVariable = "STREAMVAULT_CREATE_DATABASE";

    [Theory]
    [InlineData("MigrateAsync()")]
    [InlineData("Migrate()")]
    [InlineData("MigrateAsync(target)")]
    public async Task Engine_refuses_a_missing_database_naming_it_and_creates_nothing(string how)
    {
        var (server, name, connectionString) = await MissingAsync();
        await using var context = StreamVaultDatabase.CreateContext(connectionString);

        var refusal = await Assert.ThrowsAsync<MissingDatabaseException>(() => how switch
        {
            "Migrate()" => Task.Run(() => context.Database.Migrate(), TestContext.Current.CancellationToken),
            "MigrateAsync(target)" => context.Database.MigrateAsync("20250522000000_AddStreamIndices", TestContext.Current.CancellationToken),
            _ => context.Database.MigrateAsync(TestContext.Current.CancellationToken),
        });

        Assert.Equal(
            $"database \"{name}\" does not exist on {Where(connectionString)}; StreamVault.Data creates a database only when asked "
            + "(StreamVaultDataOptions.CreateDatabaseIfMissing, streamvault-db migrate --create-database, STREAMVAULT_CREATE_DATABASE=1 "
            + "for dotnet ef and the efbundle)",
            refusal.Message);
        Assert.False(await ExistsAsync(server, name));
    }

    [Fact]
    public async Task Engine_with_CreateDatabaseIfMissing_creates_and_migrates_a_missing_database()
    {
        var (server, name, connectionString) = await MissingAsync();
        try
        {
            await Infrastructure.Migrations.MigrateAsync(connectionString, options: new StreamVaultDataOptions { CreateDatabaseIfMissing = true });

            Assert.Equal(Infrastructure.Migrations.All(), await LedgerReader.HistoryAsync(connectionString));
        }
        finally
        {
            await TestDatabase.DropDatabaseAsync(server, name);
        }
    }

    [Fact]
    public async Task Cli_migrate_of_a_missing_database_exits_3_naming_it_and_creates_nothing()
    {
        var (server, name, connectionString) = await MissingAsync();

        var run = await InProcessCli.RunAsync(["migrate", "--connection", connectionString]);

        Assert.True(run.ExitCode == 3, run.Output);
        Assert.Equal(
            [$"streamvault-db: database \"{name}\" does not exist on {Where(connectionString)}; create it, or pass --create-database to have migrate create it"],
            run.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(await ExistsAsync(server, name));
    }

    [Fact]
    public async Task Cli_migrate_with_create_database_creates_and_migrates_it()
    {
        var (server, name, connectionString) = await MissingAsync();
        try
        {
            var run = await InProcessCli.RunAsync(["migrate", "--create-database", "--connection", connectionString]);

            Assert.True(run.ExitCode == 0, run.Output);
            Assert.Contains($"Migration summary: {Infrastructure.Migrations.All().Count} successful, 0 failed", run.StandardOutput, StringComparison.Ordinal);
            Assert.Equal(Infrastructure.Migrations.All(), await LedgerReader.HistoryAsync(connectionString));
        }
        finally
        {
            await TestDatabase.DropDatabaseAsync(server, name);
        }
    }

    [Theory]
    [InlineData("status")]
    [InlineData("validate")]
    public async Task Cli_status_and_validate_of_a_missing_database_exit_3(string command)
    {
        var (server, name, connectionString) = await MissingAsync();

        var run = await InProcessCli.RunAsync([command, "--connection", connectionString]);

        Assert.True(run.ExitCode == 3, run.Output);
        Assert.Equal([$"streamvault-db: database \"{name}\" does not exist"], run.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(await ExistsAsync(server, name));
    }

    [Fact]
    public async Task Efbundle_refuses_a_missing_database_unless_STREAMVAULT_CREATE_DATABASE_is_1()
    {
        await RepositoryTools.EnsureArtifactsAsync();
        var (server, name, connectionString) = await MissingAsync();
        try
        {
            var refused = await ProcessRunner.RunAsync(RepositoryTools.Bundle, ["--connection", connectionString], timeout: TimeSpan.FromMinutes(3));
            var existedAfterRefusal = await ExistsAsync(server, name);
            var created = await ProcessRunner.RunAsync(
                RepositoryTools.Bundle, ["--connection", connectionString], new Dictionary<string, string?> { [CreateVariable] = "1" }, TimeSpan.FromMinutes(3));

            Assert.Equal(1, refused.ExitCode);
            Assert.Contains($"database \"{name}\" does not exist on {Where(connectionString)}; StreamVault.Data creates a database only when asked", refused.Output, StringComparison.Ordinal);
            Assert.False(existedAfterRefusal);
            Assert.True(created.ExitCode == 0, created.Output);
            Assert.Equal(Infrastructure.Migrations.All(), await LedgerReader.HistoryAsync(connectionString));
        }
        finally
        {
            await TestDatabase.DropDatabaseAsync(server, name);
        }
    }

    [Fact]
    public async Task Dotnet_ef_database_update_refuses_a_missing_database()
    {
        var (server, name, connectionString) = await MissingAsync();

        var run = await RepositoryTools.DotnetEfAsync("database", "update", "--connection", connectionString);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"database \"{name}\" does not exist on {Where(connectionString)}; StreamVault.Data creates a database only when asked", run.Output, StringComparison.Ordinal);
        Assert.False(await ExistsAsync(server, name));
    }

    [Fact]
    public async Task Startup_runner_never_creates_a_missing_database()
    {
        var (server, name, connectionString) = await MissingAsync();
        using var host = BuildHost(connectionString, new StreamVaultDataOptions());

        var failure = await Assert.ThrowsAsync<PostgresException>(() => host.MigrateStreamVaultDatabaseAsync(TestContext.Current.CancellationToken));

        Assert.Equal(PostgresErrorCodes.InvalidCatalogName, failure.SqlState);
        Assert.False(await ExistsAsync(server, name));
    }

    [Fact]
    public async Task Startup_runner_with_CreateDatabaseIfMissing_from_configuration_creates_and_migrates_the_database()
    {
        var (server, name, connectionString) = await MissingAsync();
        try
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Logging.ClearProviders();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:StreamVault"] = connectionString,
                ["StreamVault:CreateDatabaseIfMissing"] = "true",
            });
            builder.Services.AddStreamVaultData(builder.Configuration);
            builder.Services.AddStreamVaultMigrations(o => o.ConnectAttempts = 1);
            using var host = builder.Build();

            var result = await host.MigrateStreamVaultDatabaseAsync(TestContext.Current.CancellationToken);

            Assert.Equal(Infrastructure.Migrations.All().Count, result.Applied.Count);
            Assert.Equal(Infrastructure.Migrations.All(), await LedgerReader.HistoryAsync(connectionString));
        }
        finally
        {
            await TestDatabase.DropDatabaseAsync(server, name);
        }
    }

    private static IHost BuildHost(string connectionString, StreamVaultDataOptions options)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddStreamVaultData(connectionString, options);
        // One attempt: waiting for a database to appear is the runner's own (tested) business.
        builder.Services.AddStreamVaultMigrations(o => o.ConnectAttempts = 1);
        return builder.Build();
    }

    private static async Task<(PostgresServer Server, string Name, string ConnectionString)> MissingAsync()
    {
        var server = await PostgresServer.GetAsync();
        var name = "sv_test_missing_" + RandomNumberGenerator.GetHexString(8, lowercase: true);
        return (server, name, server.ConnectionStringFor(name));
    }

    private static string Where(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{builder.Host}:{builder.Port}";
    }

    private static async Task<bool> ExistsAsync(PostgresServer server, string name)
    {
        await using var connection = new NpgsqlConnection(server.AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT EXISTS (SELECT FROM pg_database WHERE datname = $1)", connection)
        {
            Parameters = { new() { Value = name } },
        };
        return (bool)(await command.ExecuteScalarAsync())!;
    }
}

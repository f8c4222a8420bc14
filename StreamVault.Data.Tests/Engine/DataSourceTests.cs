#pragma warning disable EF1001 // The test reads which data source Npgsql's (internal) relational connection opens from.

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Npgsql.EntityFrameworkCore.PostgreSQL.Storage.Internal;
using StreamVault.Data.Tests.Cli;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Engine;

/// <summary>One <see cref="NpgsqlDataSource"/> per connection string, shared by EF and the engine's own connections.</summary>
public sealed class DataSourceTests
{
    [Fact]
    public async Task EF_opens_from_the_shared_data_source_also_after_the_tools_set_the_connection_string()
    {
        await using var db = await StartingStates.CreateAsync(StartingStates.Empty);
        var configured = StreamVaultConnections.Parse(db.ConnectionString);
        configured.ApplicationName = "data-source-test-configured";
        var late = StreamVaultConnections.Parse(db.ConnectionString);
        late.ApplicationName = "data-source-test-late";

        await using var context = StreamVaultDatabase.CreateContext(configured.ConnectionString);
        var connection = (NpgsqlRelationalConnection)context.GetService<IRelationalConnection>();
        Assert.Same(StreamVaultConnections.DataSource(configured.ConnectionString), connection.DbDataSource);

        // What `dotnet ef database update --connection` and `efbundle --connection` do after the factory built the context.
        context.Database.SetConnectionString(late.ConnectionString);
        Assert.Same(StreamVaultConnections.DataSource(late.ConnectionString), connection.DbDataSource);
        await context.Database.MigrateAsync(TestContext.Current.CancellationToken);

        Assert.Equal(Infrastructure.Migrations.All(), await LedgerReader.HistoryAsync(db.ConnectionString));
        Assert.Equal("data-source-test-late", await db.ScalarAsync<string>(
            "SELECT DISTINCT application_name FROM pg_stat_activity WHERE application_name LIKE 'data-source-test-%'"));
    }

    [Fact]
    public async Task A_failed_migration_is_recorded_when_the_password_is_only_in_the_data_source()
    {
        var ct = TestContext.Current.CancellationToken;
        var admin = await PasswordServer.GetConnectionStringAsync();
        var database = "failure_record_" + Guid.NewGuid().ToString("N")[..8];
        await using (var create = new NpgsqlConnection(admin))
        {
            await create.OpenAsync(ct);
            await using var command = new NpgsqlCommand($"CREATE DATABASE {database}", create);
            await command.ExecuteNonQueryAsync(ct);
        }

        // Persist Security Info is off (the default): an open connection's string no longer carries the password.
        var target = StreamVaultConnections.Parse(admin);
        target.Database = database;
        target.PersistSecurityInfo = false;
        await Infrastructure.Migrations.MigrateAsync(target.ConnectionString, "20240705000000_BaseSchema");
        await using (var plant = new NpgsqlConnection(target.ConnectionString))
        {
            await plant.OpenAsync(ct);
            await using var command = new NpgsqlCommand("CREATE INDEX idx_streams_title ON streamers (title)", plant);
            await command.ExecuteNonQueryAsync(ct);
        }

        await Assert.ThrowsAsync<PostgresException>(() => Infrastructure.Migrations.MigrateAsync(target.ConnectionString));

        var failed = Assert.Single(await LedgerReader.RowsAsync(target.ConnectionString), r => r.Success == false);
        Assert.Equal("20250522000000_AddStreamIndices", failed.EfMigrationId);
        Assert.StartsWith("P0001: index idx_streams_title exists with another definition", failed.Error, StringComparison.Ordinal);
    }
}

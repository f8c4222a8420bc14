using StreamVault.Data.Operations;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Operations;

[Collection("postgres")]
public sealed class ValidateTests
{
    public static TheoryData<string, string, string, string, string, string> ManualChanges => new()
    {
        // case, SQL, kind, table, name, problem
        { "extra column", "ALTER TABLE streams ADD COLUMN notes text", "column", "streams", "notes", "extra" },
        { "dropped index", "DROP INDEX idx_streams_started_at", "index", "streams", "idx_streams_started_at", "missing" },
        { "changed column type", "ALTER TABLE streams ALTER COLUMN title TYPE text", "column", "streams", "title", "type" },
        { "dropped unique constraint", "ALTER TABLE streamers DROP CONSTRAINT streamers_twitch_id_key", "constraint", "streamers", "streamers_twitch_id_key", "missing" },
        { "index marked invalid", "UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'idx_streams_title'::regclass", "index", "streams", "idx_streams_title", "invalid" },
        { "ledger row deleted", "DELETE FROM applied_migrations WHERE migration_name = '20250620_add_system_config'", "ledger", "", "20250620000001_AddSystemConfig", "unrecorded" },
        // Simulates editing an applied migration: the ledger keeps the checksum of the SQL that ran, so a
        // different stored checksum is exactly what an edited migration looks like to validate.
        { "applied migration SQL changed", "UPDATE applied_migrations SET checksum = repeat('x', 64) WHERE migration_name = '20250609_add_recording_path'", "checksum", "", "20250609160908_AddRecordingPathToStreams", "changed" },
    };

    [Fact]
    public async Task Validate_passes_on_database_migrated_from_empty()
    {
        await using var database = await OperationsDatabases.MigratedFromEmptyAsync();

        var report = await SchemaValidator.ValidateAsync(database.ConnectionString, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Empty(report.Failures);
        Assert.True(report.IsClean);
        Assert.Equal(ExpectedShapeSource.Shadow, report.ExpectedShapeSource);
        Assert.Equal(7, report.MigrationsTracked);
        Assert.Contains("🎉 Database schema validation passed!", report.ToText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_passes_on_migrated_june_2025_database()
    {
        await using var database = await OperationsDatabases.MigratedFromJune2025Async();

        var report = await SchemaValidator.ValidateAsync(database.ConnectionString, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Empty(report.Failures);
        Assert.Equal(7, report.MigrationsTracked);
    }

    [Fact]
    public async Task Validate_passes_on_migrated_pre_june_2025_database()
    {
        await using var database = await OperationsDatabases.MigratedFromPreJune2025Async();

        var report = await SchemaValidator.ValidateAsync(database.ConnectionString, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Empty(report.Failures);
        Assert.Equal(7, report.MigrationsTracked);
    }

    [Fact]
    public async Task Validate_leaves_no_shadow_database_behind()
    {
        await using var database = await OperationsDatabases.MigratedFromEmptyAsync();

        await SchemaValidator.ValidateAsync(database.ConnectionString, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(0L, await database.ScalarAsync<long>($"SELECT count(*) FROM pg_database WHERE datname LIKE '{database.Name}_shadow_%'"));
    }

    [Theory]
    [MemberData(nameof(ManualChanges))]
    public async Task Validate_fails_after_a_manual_change_and_names_the_object(
        string change, string sql, string kind, string table, string name, string problem)
    {
        await using var database = await OperationsDatabases.MigratedFromJune2025Async();
        await database.ExecuteSqlAsync(sql);

        var report = await SchemaValidator.ValidateAsync(database.ConnectionString, cancellationToken: TestContext.Current.CancellationToken);

        Assert.False(report.IsClean, change);
        var failure = Assert.Single(report.Failures);
        Assert.Equal((kind, table, name, problem), (failure.Kind, failure.Table ?? "", failure.Name, failure.Problem));
        Assert.Contains("❌ " + failure.Message, report.ToText(), StringComparison.Ordinal);
        Assert.Contains(name, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_of_empty_database_reports_missing_tables_and_pending_migrations()
    {
        await using var database = await OperationsDatabases.EmptyAsync();

        var report = await SchemaValidator.ValidateAsync(database.ConnectionString, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(
            ["global_settings", "push_subscriptions", "streamers", "streams", "system_config"],
            report.Failures.Where(f => f.Kind == "table").Select(f => f.Name));
        Assert.Equal(7, report.Failures.Count(f => f is { Kind: "migration", Problem: "pending" }));
        Assert.Equal(12, report.FailedCount);
    }

    [Fact]
    public async Task Validate_falls_back_to_the_embedded_snapshot_when_the_role_cannot_create_databases()
    {
        await using var database = await OperationsDatabases.MigratedFromEmptyAsync();
        var role = "sv_nocreatedb_" + database.Name[^8..];
        var admin = (await PostgresServer.GetAsync()).AdminConnectionString;
        await Sql.ExecuteAsync(admin, $"CREATE ROLE {role} LOGIN NOCREATEDB PASSWORD 'not-a-secret'");
        await database.ExecuteSqlAsync($"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}");
        try
        {
            var asRole = new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString)
            {
                Username = role,
                Password = "not-a-secret",
                Pooling = false,
            }.ConnectionString;

            var report = await SchemaValidator.ValidateAsync(asRole, cancellationToken: TestContext.Current.CancellationToken);

            Assert.Equal(ExpectedShapeSource.Snapshot, report.ExpectedShapeSource);
            Assert.Empty(report.Failures);
        }
        finally
        {
            await database.ExecuteSqlAsync($"DROP OWNED BY {role}");
            await Sql.ExecuteAsync(admin, $"DROP ROLE IF EXISTS {role}");
        }
    }

    [Fact]
    public async Task Validation_report_json_has_the_documented_shape()
    {
        await using var database = await OperationsDatabases.MigratedFromJune2025Async();
        await database.ExecuteSqlAsync("DROP INDEX idx_streams_title");

        var report = await SchemaValidator.ValidateAsync(database.ConnectionString, cancellationToken: TestContext.Current.CancellationToken);
        using var json = System.Text.Json.JsonDocument.Parse(report.ToJson());

        var root = json.RootElement;
        Assert.Equal(database.Name, root.GetProperty("database").GetString());
        Assert.Equal("shadow", root.GetProperty("expectedShapeSource").GetString());
        Assert.False(root.GetProperty("isClean").GetBoolean());
        Assert.Equal(1, root.GetProperty("failedCount").GetInt32());
        var failed = root.GetProperty("checks").EnumerateArray().Single(c => !c.GetProperty("passed").GetBoolean());
        Assert.Equal("index", failed.GetProperty("kind").GetString());
        Assert.Equal("streams", failed.GetProperty("table").GetString());
        Assert.Equal("idx_streams_title", failed.GetProperty("name").GetString());
        Assert.Equal("missing", failed.GetProperty("problem").GetString());
        Assert.Equal("CREATE INDEX idx_streams_title ON streams USING btree (title)", failed.GetProperty("expected").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, failed.GetProperty("actual").ValueKind);
    }
}

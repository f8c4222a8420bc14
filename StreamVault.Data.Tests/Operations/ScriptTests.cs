using StreamVault.Data.Operations;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Operations;

[Collection("postgres")]
public sealed class ScriptTests
{
    private const string LedgerRows = """
        SELECT string_agg(concat_ws('|', migration_name, success, ef_migration_id, checksum, error), E'\n' ORDER BY migration_name)
        FROM applied_migrations
        """;

    private const string HistoryRows = """
        SELECT string_agg(concat_ws('|', migration_id, product_version), E'\n' ORDER BY migration_id) FROM "__EFMigrationsHistory"
        """;

    [Fact]
    public void Script_keeps_concurrent_index_builds_outside_do_blocks()
    {
        var sql = MigrationScript.Generate().Sql;

        var builds = sql.Split('\n')
            .Where(l => l.Contains("CONCURRENTLY", StringComparison.Ordinal) && !l.TrimStart().StartsWith("--", StringComparison.Ordinal))
            .ToList();

        Assert.All(builds, line => Assert.Matches(@"^CREATE (UNIQUE )?INDEX CONCURRENTLY IF NOT EXISTS (idx|ix)_stream(s|ers)_\w+ ON stream(s|ers) \(", line));
        Assert.Equal(17, builds.Count);
        Assert.Single(builds, b => b.StartsWith("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ix_streams_twitch_stream_id", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Script_run_twice_by_psql_on_an_empty_database_matches_migrate()
    {
        await using var scripted = await OperationsDatabases.EmptyAsync();
        await using var migrated = await OperationsDatabases.MigratedFromEmptyAsync();

        await AssertScriptMatchesMigrateAsync(scripted, migrated);
    }

    [Fact]
    public async Task Script_run_twice_by_psql_on_a_june_2025_database_matches_migrate()
    {
        await using var scripted = await OperationsDatabases.June2025Async();
        await using var migrated = await OperationsDatabases.MigratedFromJune2025Async();

        await AssertScriptMatchesMigrateAsync(scripted, migrated);
    }

    [Fact]
    public async Task Script_run_twice_by_psql_on_a_pre_june_2025_database_matches_migrate()
    {
        await using var scripted = await OperationsDatabases.PreJune2025Async();
        await using var migrated = await OperationsDatabases.MigratedFromPreJune2025Async();

        await AssertScriptMatchesMigrateAsync(scripted, migrated);
    }

    [Theory]
    [InlineData(StartingStates.Newest2026)]
    [InlineData(StartingStates.HalfWay2025)]
    [InlineData(StartingStates.PartialProxiesAndPushWithDefault)]
    public async Task Script_run_twice_by_psql_on_a_newer_release_adopts_like_migrate(string state)
    {
        await using var scripted = await StartingStates.CreateAsync(state);
        await using var migrated = await StartingStates.CreateMigratedAsync(state);

        await AssertScriptMatchesMigrateAsync(scripted, migrated);
    }

    private static async Task AssertScriptMatchesMigrateAsync(TestDatabase scripted, TestDatabase migrated)
    {
        var file = Path.Combine(Path.GetTempPath(), $"streamvault-script-{scripted.Name}.sql");
        await File.WriteAllTextAsync(file, MigrationScript.Generate().Sql, TestContext.Current.CancellationToken);
        var appTables = (await TableDigest.ListTablesOutsideModelAsync(scripted.ConnectionString))
            .Except(["applied_migrations", "__EFMigrationsHistory"], StringComparer.Ordinal)
            .ToList();
        var appData = await TableDigest.CaptureAsync(scripted.ConnectionString, appTables);
        try
        {
            await RunPsqlAsync(scripted.ConnectionString, file);
            var afterFirst = await StateAsync(scripted);
            await RunPsqlAsync(scripted.ConnectionString, file);

            Assert.Equal(afterFirst, await StateAsync(scripted));
            Assert.Equal(await StateAsync(migrated), afterFirst);
            Assert.Equal(appData, await TableDigest.CaptureAsync(scripted.ConnectionString, appTables));
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Schema of the five tables, EF history and ledger rows, without when/how long/by whom.</summary>
    private static async Task<(string Schema, string? Ledger, string? History)> StateAsync(TestDatabase database)
        => (await SchemaFingerprint.CaptureAsync(database.ConnectionString, SchemaFingerprint.ModelTables),
            await database.ScalarAsync<string>(LedgerRows),
            await database.ScalarAsync<string>(HistoryRows));

    private static async Task RunPsqlAsync(string connectionString, string file)
    {
        var result = await Psql.RunFileAsync(connectionString, file);
        Assert.True(result.ExitCode == 0, $"psql exited with {result.ExitCode}: {result.Output}");
    }
}

using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using StreamVault.Data.Operations;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Operations;

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

        Assert.All(builds, line => Assert.Matches(@"^CREATE (UNIQUE )?INDEX CONCURRENTLY IF NOT EXISTS \w+ ON \w+ \(", line));
        // One top-level line per concurrent build of the catalog's migrations.
        Assert.Equal(ConcurrentBuilds().Count, builds.Count);
        Assert.Single(builds, b => b.StartsWith("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ix_streams_twitch_stream_id", StringComparison.Ordinal));
    }

    [Fact]
    public void Dotnet_ef_idempotent_script_is_the_engines_psql_script_and_a_revert_script_is_refused_in_one_line()
    {
        using var context = StreamVaultDatabase.CreateContext("Host=unused");
        var migrator = context.GetService<IMigrator>();

        // What dotnet ef migrations script --idempotent asks the migrator for: the same script as streamvault-db script.
        Assert.Equal(MigrationScript.Generate().Sql, migrator.GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent));
        var fromTheAdoptedOnes = migrator.GenerateScript(
            "20261125000000_ConvergeLegacySchema", options: MigrationsSqlGenerationOptions.Idempotent);
        Assert.Equal(
            Infrastructure.Migrations.After("20261125000000_ConvergeLegacySchema").Select(id => $"-- Migration {id}"),
            fromTheAdoptedOnes.Split('\n').Where(l => l.StartsWith("-- Migration ", StringComparison.Ordinal)));
        var refused = Assert.ThrowsAny<Exception>(() => migrator.GenerateScript(
            Infrastructure.Migrations.All()[^1], "20250522000000_AddStreamIndices", MigrationsSqlGenerationOptions.Idempotent));
        Assert.Equal(
            "StreamVault.Data offers no idempotent revert script: revert with migrate to the target (dotnet ef database update <target> or streamvault-db migrate <target>), which checks every Down first",
            refused.Message);
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

    /// <summary>The concurrent index builds of every migration's Up, from the catalog's migrations.</summary>
    private static List<string> ConcurrentBuilds()
    {
        using var context = StreamVaultDatabase.CreateContext("Host=unused");
        var assembly = context.GetService<IMigrationsAssembly>();
        return [.. assembly.Migrations.Values
            .SelectMany(type => assembly.CreateMigration(type, context.Database.ProviderName!).UpOperations)
            .OfType<SqlOperation>()
            .Where(op => op.SuppressTransaction && op.Sql.Contains("CONCURRENTLY", StringComparison.Ordinal))
            .Select(op => op.Sql)];
    }

    private static async Task RunPsqlAsync(string connectionString, string file)
    {
        var result = await Psql.RunFileAsync(connectionString, file);
        Assert.True(result.ExitCode == 0, $"psql exited with {result.ExitCode}: {result.Output}");
    }
}

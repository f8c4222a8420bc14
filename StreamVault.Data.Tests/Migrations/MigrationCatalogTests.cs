using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using StreamVault.Data.Engine;
using StreamVault.Data.Generators;
using StreamVault.Data.Ledger;
using StreamVault.Data.Migrations;
using Xunit;

namespace StreamVault.Data.Tests.Migrations;

/// <summary>
/// The one migration catalog (issue #19): <see cref="KnownMigrations"/> is written at build time from the migration
/// classes, so it names every migration of the assembly with the ledger name and SQL checksum EF computes, and an Up
/// whose SQL is not constant (so not frozen) fails the build. No database: the catalog is the assembly's alone.
/// </summary>
public sealed class MigrationCatalogTests
{
    [Fact]
    public void The_build_time_catalog_equals_what_EF_computes_from_the_migrations()
    {
        using var context = StreamVaultDatabase.CreateContext("Host=unused");
        var computed = MigrationCatalog.Compute(
            context.GetService<IMigrationsAssembly>(), context.GetService<IMigrationsSqlGenerator>(), context.Database.ProviderName!);

        Assert.Equal(computed, KnownMigrations.Entries);
        Assert.Equal(context.Database.GetMigrations(), KnownMigrations.Entries.Select(e => e.MigrationId));
    }

    [Fact]
    public void The_history_table_the_ledger_SQL_uses_is_the_one_EF_writes()
    {
        using var context = StreamVaultDatabase.CreateContext("Host=unused");
        Assert.Equal(context.GetService<LedgerHistoryRepository>().EfHistoryTable, HistoryTable.Default);
    }

    [Fact]
    public void Migrations_that_replace_the_Python_apps_record_under_its_names_and_the_rest_under_their_ids()
    {
        var legacy = KnownMigrations.Entries.Where(e => e.LedgerName != e.MigrationId).ToList();

        Assert.Equal(
            [
                ("20250522000000_AddStreamIndices", "20250522_add_stream_indices"),
                ("20250609160908_AddRecordingPathToStreams", "20250609_add_recording_path"),
                ("20250617000000_AddProxySettings", "20250617_add_proxy_settings"),
                ("20250620000000_AddPushSubscriptions", "20250620_add_push_subscriptions"),
                ("20250620000001_AddSystemConfig", "20250620_add_system_config"),
            ],
            legacy.Select(e => (e.MigrationId, e.LedgerName)));
        Assert.Equal("20250522_add_stream_indices", KnownMigrations.LedgerNameFor("20250522000000_AddStreamIndices"));
        Assert.Equal("29990101000000_NotKnown", KnownMigrations.LedgerNameFor("29990101000000_NotKnown"));
    }

    [Fact]
    public void The_generator_lists_a_new_migration_with_its_checksum_and_refuses_an_Up_whose_SQL_is_computed()
    {
        var (source, diagnostics) = Generate("""""
            [Migration("29990101000000_Frozen")]
            internal sealed class Frozen : Migration
            {
                protected override void Up(MigrationBuilder migrationBuilder)
                {
                    ArgumentNullException.ThrowIfNull(migrationBuilder);
                    migrationBuilder.Sql("""
                        ALTER TABLE streams ADD COLUMN IF NOT EXISTS notes text;
                        """);
                }
            }

            [Migration("29990101000001_Computed")]
            internal sealed class Computed : Migration
            {
                protected override void Up(MigrationBuilder migrationBuilder)
                    => migrationBuilder.Sql(Helper.Sql());
            }

            [Migration("29990101000002_ComputedInABody")]
            internal sealed class ComputedInABody : Migration
            {
                protected override void Up(MigrationBuilder migrationBuilder)
                {
                    migrationBuilder.Sql(Helper.Sql());
                }
            }

            internal static class Helper
            {
                public static string Sql() => "SELECT 1";
            }
            """"");

        // The frozen one carries the checksum of its SQL as EF's generator renders it (the text and a line break).
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes("ALTER TABLE streams ADD COLUMN IF NOT EXISTS notes text;\n\n")));
        Assert.True(source.Contains($"new(\"29990101000000_Frozen\", \"29990101000000_Frozen\", \"{expected}\"),", StringComparison.Ordinal), source);
        Assert.Equal(
            [
                "SVMIG001: Migration 29990101000001_Computed: its Up must be migrationBuilder.Sql(...) calls with constant SQL (raw string literals), so that its SQL is frozen and checksummed; found: no Up method with a body",
                "SVMIG001: Migration 29990101000002_ComputedInABody: its Up must be migrationBuilder.Sql(...) calls with constant SQL (raw string literals), so that its SQL is frozen and checksummed; found: migrationBuilder.Sql(Helper.Sql());",
            ],
            diagnostics.Select(d => $"{d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}").Order(StringComparer.Ordinal));
    }

    /// <summary>Runs the catalog generator over <paramref name="code"/> compiled against EF Core, as the build does.</summary>
    private static (string Source, IReadOnlyList<Diagnostic> Diagnostics) Generate(string code)
    {
        var tree = CSharpSyntaxTree.ParseText(
            "using System;\nusing Microsoft.EntityFrameworkCore.Migrations;\nnamespace StreamVault.Data.Migrations;\n" + code,
            new CSharpParseOptions(LanguageVersion.Latest));
        // The framework, and EF's relational assembly for [Migration] and MigrationBuilder.
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Append(typeof(Migration).Assembly.Location)
            .Append(typeof(DbContext).Assembly.Location)
            .Distinct(StringComparer.Ordinal)
            .Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create("CatalogProbe", [tree], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var driver = CSharpGeneratorDriver.Create(new MigrationCatalogGenerator()).RunGenerators(compilation, TestContext.Current.CancellationToken);
        var result = driver.GetRunResult();
        var generated = Assert.Single(result.GeneratedTrees);
        return (generated.ToString(), result.Diagnostics);
    }
}

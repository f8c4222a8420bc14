using System.Diagnostics;
using StreamVault.Data.Tests.Infrastructure;
using StreamVault.Data.Tests.Migrations;
using Xunit;

namespace StreamVault.Data.Tests.Design;

/// <summary>
/// The whole loop as a developer continuing StreamVault runs it, in a temporary copy of the repository (its git files):
/// the four changes of issue #19 made in the entities and configurations, <c>dotnet restore</c> as on a fresh clone,
/// <c>dotnet tool run dotnet-ef migrations add</c>, a build under the project's analyzers, and <c>dotnet-ef database update</c>
/// against a June 2025 database, twice, and against one that already has the objects. One test, because each step costs a
/// process and most cost a build.
/// </summary>
public sealed class ScaffoldInCopyTests
{
    private const string Name = "AddChaptersNotesAndChecks";
    private const string Id = GoldenCases.IdPrefix + Name;

    /// <summary>
    /// The only DDL of a run with work to do, before any migration: the engine's CREATE TABLE IF NOT EXISTS of
    /// __EFMigrationsHistory and applied_migrations, which find both tables (no object is created: no end event). The
    /// migration's own SQL issues none (GeneratedMigrationDatabaseTests runs it alone).
    /// </summary>
    private static readonly string[] EngineLedgerChecks = ["start CREATE TABLE", "start CREATE TABLE"];

    [Fact]
    public async Task Migrations_add_in_a_copy_writes_a_migration_that_builds_keeps_the_rules_applies_twice_and_adopts_existing_objects()
    {
        var total = Stopwatch.StartNew();
        var copy = await RepositoryTools.CopyCheckoutAsync();
        try
        {
            MakeTheFourChanges(copy);
            var data = Path.Combine(copy, "StreamVault.Data");

            await RunAsync(copy, "dotnet", ["tool", "restore"]);
            await RunAsync(copy, "dotnet", ["restore", data, "-v", "q"]);
            var add = await RunAsync(
                copy, "dotnet", ["tool", "run", "dotnet-ef", "migrations", "add", Name, "--project", data],
                new Dictionary<string, string?> { ["STREAMVAULT_MIGRATION_TIMESTAMP"] = "20990101000000" });
            Assert.Contains("duplicates idx_streams_category_recent", add.Output, StringComparison.Ordinal);

            // What the developer reviews is what the in-process generator gives for the same changes.
            var file = File.ReadAllText(Path.Combine(data, "Migrations", Id + ".cs")).TrimStart('\uFEFF');
            Assert.Equal(File.ReadAllText(Path.Combine(GoldenFile.Directory, Name + ".cs.txt")), file);
            var migration = CompiledMigration.Compile(new GeneratedCode(Name, file, []));
            var violations = MigrationRules.Check(Id, migration.UpOperations, migration.DownOperations).ToList();
            Assert.True(violations.Count == 0, string.Join('\n', violations));

            await RunAsync(copy, "dotnet", ["build", data, "-nologo", "-v", "q", "--no-restore"]);
            var pending = await RunAsync(copy, "dotnet", ["tool", "run", "dotnet-ef", "migrations", "has-pending-model-changes", "--project", data, "--no-build"]);
            Assert.Contains("No changes have been made to the model since the last migration.", pending.Output, StringComparison.Ordinal);

            await using (var june = await StartingStates.CreateAsync(StartingStates.June2025))
            {
                // Every row the database had, over the columns it had (the ledgers, which a run writes, left out).
                var columns = await TableDigest.ColumnsAsync(
                    june.ConnectionString, (await TableDigest.ListTablesAsync(june.ConnectionString)).Where(t => !IsLedger(t)));
                var existing = await TableDigest.CaptureAsync(june.ConnectionString, columns);
                await UpdateAsync(copy, june);
                Assert.Equal(1L, await june.ScalarAsync<long>($"SELECT count(*) FROM \"__EFMigrationsHistory\" WHERE migration_id = '{Id}'"));

                // Applied again: its history and ledger rows removed, so the engine runs its SQL a second time.
                var rows = await DigestAsync(june);
                await june.ExecuteSqlAsync($"DELETE FROM \"__EFMigrationsHistory\" WHERE migration_id = '{Id}'; DELETE FROM applied_migrations WHERE ef_migration_id = '{Id}'");
                var ledger = await DigestAsync(june);
                await using (var ddl = await DdlRecorder.StartAsync(june.ConnectionString))
                {
                    await UpdateAsync(copy, june);
                    Assert.Equal(EngineLedgerChecks, await ddl.CommandsAsync());
                }

                Assert.Equal(rows.Where(r => !IsLedger(r.Key)), (await DigestAsync(june)).Where(r => !IsLedger(r.Key)));
                Assert.NotEqual(ledger, await DigestAsync(june));
                Assert.Equal(existing, await TableDigest.CaptureAsync(june.ConnectionString, columns));
            }

            await using (var adopted = await StartingStates.CreateMigratedAsync(StartingStates.June2025))
            {
                await adopted.ExecuteSqlAsync(GeneratedMigrationDatabaseTests.ObjectsMadeByHand);
                var before = await DigestAsync(adopted);
                await using (var ddl = await DdlRecorder.StartAsync(adopted.ConnectionString))
                {
                    await UpdateAsync(copy, adopted);
                    Assert.Equal(EngineLedgerChecks, await ddl.CommandsAsync());
                }

                var after = await DigestAsync(adopted);
                Assert.Equal(before.Where(r => !IsLedger(r.Key)), after.Where(r => !IsLedger(r.Key)));
            }

            TestContext.Current.SendDiagnosticMessage($"{nameof(ScaffoldInCopyTests)}: copy, restore, migrations add, build and three updates took {total.Elapsed.TotalSeconds:F0} s");
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    /// <summary>The four changes, made in the copy's sources as a developer would make them (the same as <see cref="ModelChanges.Issue19"/>).</summary>
    private static void MakeTheFourChanges(string copy)
    {
        var data = Path.Combine(copy, "StreamVault.Data");
        Edit(Path.Combine(data, "Entities", "Streamer.cs"), "    public string? Description { get; set; }\n",
            "    public string? Description { get; set; }\n    public string? Notes { get; set; }\n");
        Edit(Path.Combine(data, "Configurations", "BroadcastConfiguration.cs"), "        builder.Property(s => s.CreatedAt).HasDefaultValueSql(\"now()\");\n",
            """
                    builder.Property(s => s.CreatedAt).HasDefaultValueSql("now()");
                    builder.HasIndex(s => new { s.CategoryName, s.StartedAt });
                    builder.ToTable(t => t.HasCheckConstraint("ck_streams_episode_number_positive", "episode_number IS NULL OR episode_number > 0"));

            """);
        Edit(Path.Combine(data, "StreamVaultDbContext.cs"), "    public DbSet<SystemConfigEntry> SystemConfig => Set<SystemConfigEntry>();\n",
            """
                public DbSet<SystemConfigEntry> SystemConfig => Set<SystemConfigEntry>();
                /// <summary>The <c>stream_chapters</c> table.</summary>
                public DbSet<StreamChapter> StreamChapters => Set<StreamChapter>();

            """);
        File.WriteAllText(Path.Combine(data, "Entities", "StreamChapter.cs"), """
            namespace StreamVault.Data.Entities;

            /// <summary>A chapter of a recorded stream (table <c>stream_chapters</c>).</summary>
            public class StreamChapter
            {
                public int Id { get; set; }
                public int StreamId { get; set; }
                public Broadcast? Stream { get; set; }
                public required string Title { get; set; }
                public int StartsAtSeconds { get; set; }
                public DateTime? CreatedAt { get; set; }
            }

            """);
        // A new entity and column are new public API: listed as the analyzer's code fix lists them (PublicApiAnalyzers, RS0016).
        File.AppendAllText(Path.Combine(data, "PublicAPI.Unshipped.txt"), """
            StreamVault.Data.Entities.StreamChapter
            StreamVault.Data.Entities.StreamChapter.CreatedAt.get -> System.DateTime?
            StreamVault.Data.Entities.StreamChapter.CreatedAt.set -> void
            StreamVault.Data.Entities.StreamChapter.Id.get -> int
            StreamVault.Data.Entities.StreamChapter.Id.set -> void
            StreamVault.Data.Entities.StreamChapter.StartsAtSeconds.get -> int
            StreamVault.Data.Entities.StreamChapter.StartsAtSeconds.set -> void
            StreamVault.Data.Entities.StreamChapter.Stream.get -> StreamVault.Data.Entities.Broadcast?
            StreamVault.Data.Entities.StreamChapter.Stream.set -> void
            StreamVault.Data.Entities.StreamChapter.StreamChapter() -> void
            StreamVault.Data.Entities.StreamChapter.StreamId.get -> int
            StreamVault.Data.Entities.StreamChapter.StreamId.set -> void
            StreamVault.Data.Entities.StreamChapter.Title.get -> string!
            StreamVault.Data.Entities.StreamChapter.Title.set -> void
            StreamVault.Data.Entities.Streamer.Notes.get -> string?
            StreamVault.Data.Entities.Streamer.Notes.set -> void
            StreamVault.Data.StreamVaultDbContext.StreamChapters.get -> Microsoft.EntityFrameworkCore.DbSet<StreamVault.Data.Entities.StreamChapter!>!

            """);
        File.WriteAllText(Path.Combine(data, "Configurations", "StreamChapterConfiguration.cs"), """
            using Microsoft.EntityFrameworkCore;
            using Microsoft.EntityFrameworkCore.Metadata.Builders;
            using StreamVault.Data.Entities;

            namespace StreamVault.Data.Configurations;

            internal sealed class StreamChapterConfiguration : IEntityTypeConfiguration<StreamChapter>
            {
                public void Configure(EntityTypeBuilder<StreamChapter> builder)
                {
                    builder.ToTable("stream_chapters", t => t.HasCheckConstraint("ck_stream_chapters_starts_at_seconds", "starts_at_seconds >= 0"));
                    builder.HasKey(c => c.Id).HasName("stream_chapters_pkey");
                    builder.HasAlternateKey(c => new { c.StreamId, c.Title }).HasName("stream_chapters_stream_id_title_key");
                    builder.HasOne(c => c.Stream).WithMany().HasForeignKey(c => c.StreamId)
                        .HasConstraintName("stream_chapters_stream_id_fkey").OnDelete(DeleteBehavior.Cascade);
                    builder.HasIndex(c => c.StreamId, "idx_stream_chapters_stream_id").HasDatabaseName("idx_stream_chapters_stream_id");
                    builder.HasIndex(c => new { c.StreamId, c.StartsAtSeconds }, "ux_stream_chapters_stream_start").IsUnique()
                        .HasDatabaseName("ux_stream_chapters_stream_start");
                    builder.Property(c => c.CreatedAt).HasDefaultValueSql("now()");
                }
            }

            """);
    }

    private static void Edit(string path, string anchor, string replacement)
    {
        var text = File.ReadAllText(path);
        Assert.Contains(anchor, text, StringComparison.Ordinal);
        File.WriteAllText(path, text.Replace(anchor, replacement, StringComparison.Ordinal));
    }

    private static bool IsLedger(string table) => table is StreamVaultDatabase.HistoryTable or "applied_migrations";

    private static Task<ToolResult> UpdateAsync(string copy, TestDatabase db)
        => RunAsync(copy, "dotnet", ["tool", "run", "dotnet-ef", "database", "update", "--connection", db.ConnectionString,
                                     "--project", Path.Combine(copy, "StreamVault.Data"), "--no-build"]);

    private static async Task<IReadOnlyDictionary<string, string>> DigestAsync(TestDatabase db)
        => await TableDigest.CaptureAsync(db.ConnectionString, (await TableDigest.ListTablesAsync(db.ConnectionString)).Where(t => t != DdlRecorder.LogTable));

    /// <summary>Runs a tool in <paramref name="directory"/> and fails with its output unless it succeeds.</summary>
    private static Task<ToolResult> RunAsync(
        string directory, string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null)
        => ProcessRunner.RunCheckedAsync(fileName, arguments, environment, TimeSpan.FromMinutes(10), directory);
}

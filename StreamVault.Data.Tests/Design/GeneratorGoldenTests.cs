using StreamVault.Data.Migrations;
using StreamVault.Data.Tests.Migrations;
using Xunit;

namespace StreamVault.Data.Tests.Design;

/// <summary>
/// What the migration generator writes, per kind of operation: byte for byte as its golden file (the C# file and the
/// idempotent script EF makes of it), compiling cleanly, and keeping every rule of <see cref="MigrationRules"/>.
/// </summary>
public sealed class GeneratorGoldenTests
{
    public static TheoryData<string> Cases => new(GoldenCases.Names);

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_generated_migration_is_its_golden_file(string name)
        => GoldenFile.AssertMatches(name + ".cs.txt", GoldenCases.Generate(name).Code);

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_idempotent_script_of_the_generated_migration_is_its_golden_file(string name)
    {
        var migration = CompiledMigration.Compile(GoldenCases.Generate(name));

        GoldenFile.AssertMatches(name + ".idempotent.sql", IdempotentScript.For(GoldenCases.IdPrefix + name, migration));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_generated_migration_compiles_and_keeps_every_migration_rule(string name)
    {
        var migration = CompiledMigration.Compile(GoldenCases.Generate(name));

        var violations = MigrationRules.Check(GoldenCases.IdPrefix + name, migration.UpOperations, migration.DownOperations).ToList();

        Assert.True(violations.Count == 0, string.Join('\n', violations));
    }

    [Fact]
    public void The_revert_check_reads_what_a_generated_down_drops_and_guards()
    {
        var migration = CompiledMigration.Compile(GoldenCases.Generate(ModelChanges.Issue19.Name));

        var targets = Data.Engine.RevertPlan.TargetsOf(migration).Select(t => $"{t.Kind} {t.Label}").ToList();

        Assert.Equal(
            ["Table stream_chapters", "Index ix_streams_category_name_started_at", "Column streamers.notes"],
            targets);
    }

    [Fact]
    public void An_index_the_model_already_has_under_another_name_is_reported_when_the_migration_is_generated()
    {
        var generated = GoldenCases.Generate(ModelChanges.IndexOnExistingTable.Name);

        Assert.Equal(
            [
                "AddCategoryStartIndex: index ix_streams_category_name_started_at on streams (category_name, started_at) duplicates "
                + "idx_streams_category_recent, which the model already has on the same columns; remove one of them (HasIndex) unless both are meant.",
            ],
            generated.Warnings);
    }

    [Fact]
    public void Every_operation_is_written_as_sql_and_every_sql_call_has_a_comment()
    {
        foreach (var name in GoldenCases.Names)
        {
            var code = GoldenCases.Generate(name).Code;
            var lines = code.Split('\n');
            Assert.DoesNotContain(lines, l => l.TrimStart().StartsWith("migrationBuilder.", StringComparison.Ordinal) && !l.Contains("migrationBuilder.Sql(\"\"\"", StringComparison.Ordinal));
            Assert.DoesNotContain(lines, l => l.Length > 0 && char.IsWhiteSpace(l[^1]));
            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i].Contains("migrationBuilder.Sql(", StringComparison.Ordinal))
                {
                    Assert.StartsWith("//", lines[i - 1].TrimStart(), StringComparison.Ordinal);
                }
            }
        }
    }
}

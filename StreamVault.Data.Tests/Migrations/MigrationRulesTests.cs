using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Xunit;

namespace StreamVault.Data.Tests.Migrations;

/// <summary>
/// Every migration keeps the rules that protect a running installation's big tables, and each rule catches the
/// pattern it is about: the next migration's author learns here rather than from an outage.
/// </summary>
public sealed class MigrationRulesTests
{
    public static TheoryData<string> MigrationIds => new(AllMigrations().Select(m => m.Id));

    [Theory]
    [MemberData(nameof(MigrationIds))]
    public void Migration_keeps_the_rules_that_protect_big_tables(string id)
    {
        var migration = AllMigrations().Single(m => m.Id == id).Migration;

        var violations = MigrationRules.Check(id, migration.UpOperations, migration.DownOperations)
            .Where(v => !MigrationRules.Exceptions.ContainsKey((v.Migration, v.Rule)))
            .Select(v => v.ToString())
            .ToList();

        Assert.Empty(violations);
    }

    [Fact]
    public void Every_exception_names_a_migration_and_a_rule_that_it_really_breaks()
    {
        var all = AllMigrations()
            .SelectMany(m => MigrationRules.Check(m.Id, m.Migration.UpOperations, m.Migration.DownOperations))
            .Select(v => (v.Migration, v.Rule))
            .ToHashSet();

        Assert.All(MigrationRules.Exceptions.Keys, key => Assert.Contains(key, all));
    }

    [Theory]
    [InlineData(MigrationRules.NonConcurrentIndex, "CREATE INDEX IF NOT EXISTS idx_streams_x ON streams (title);")]
    [InlineData(MigrationRules.NonConcurrentIndex, "DO $i$ BEGIN IF to_regclass('x') IS NULL THEN CREATE UNIQUE INDEX x ON streamers (username); END IF; END $i$;")]
    [InlineData(MigrationRules.RewritingTypeChange, "DO $t$ BEGIN IF true THEN ALTER TABLE streams ALTER COLUMN title TYPE VARCHAR(100); END IF; END $t$;")]
    [InlineData(MigrationRules.RewritingTypeChange, "DO $t$ BEGIN IF true THEN ALTER TABLE streams ALTER COLUMN episode_number SET DATA TYPE bigint; END IF; END $t$;")]
    [InlineData(MigrationRules.VolatileDefault, "DO $v$ BEGIN IF true THEN ALTER TABLE streams ADD COLUMN IF NOT EXISTS seen_at TIMESTAMPTZ DEFAULT clock_timestamp(); END IF; END $v$;")]
    [InlineData(MigrationRules.VolatileDefault, "DO $v$ BEGIN IF true THEN ALTER TABLE streams ADD COLUMN IF NOT EXISTS uid UUID DEFAULT gen_random_uuid(); END IF; END $v$;")]
    [InlineData(MigrationRules.VolatileDefault, "DO $v$ BEGIN IF true THEN ALTER TABLE streams ADD COLUMN IF NOT EXISTS n BIGSERIAL; END IF; END $v$;")]
    [InlineData(MigrationRules.SetNotNull, "DO $n$ BEGIN IF true THEN ALTER TABLE streams ALTER COLUMN title SET NOT NULL; END IF; END $n$;")]
    [InlineData(MigrationRules.UnguardedDdl, "ALTER TABLE streams ADD COLUMN IF NOT EXISTS note TEXT;")]
    [InlineData(MigrationRules.UnguardedDdl, "CREATE TABLE audit (id SERIAL PRIMARY KEY);")]
    [InlineData(MigrationRules.UnguardedDdl, "DO $u$ BEGIN ALTER TABLE streams ADD COLUMN IF NOT EXISTS note TEXT; END $u$;")]
    public void A_migration_with_the_pattern_breaks_the_rule(string rule, string up)
    {
        var violations = MigrationRules.Check("planted", [new SqlOperation { Sql = up }], []).ToList();

        Assert.Contains(violations, v => v.Rule == rule);
    }

    [Theory]
    [InlineData("DROP TABLE IF EXISTS streams;")]
    [InlineData("ALTER TABLE streams DROP COLUMN IF EXISTS episode_number;")]
    public void A_down_that_drops_data_without_its_guard_breaks_the_rule(string down)
    {
        var violations = MigrationRules.Check("planted", [], [new SqlOperation { Sql = down }]).ToList();

        Assert.Equal([MigrationRules.DownWithoutGuard], violations.Select(v => v.Rule));
    }

    [Fact]
    public void A_guarded_down_and_safe_up_statements_break_no_rule()
    {
        SqlOperation[] up =
        [
            new() { Sql = "CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_streams_x ON streams (title);" },
            new() { Sql = "DO $a$ BEGIN IF NOT EXISTS (SELECT 1) THEN ALTER TABLE streams ADD COLUMN IF NOT EXISTS n INTEGER DEFAULT 0; END IF; END $a$;" },
            new() { Sql = "DO $c$ DECLARE r record; BEGIN FOR r IN SELECT 1 LOOP EXECUTE format('ALTER TABLE %I ALTER COLUMN %I TYPE VARCHAR', 'streams', 'title'); END LOOP; END $c$;" },
            new() { Sql = "CREATE TABLE IF NOT EXISTS audit (id SERIAL PRIMARY KEY, at TIMESTAMPTZ DEFAULT now());" },
        ];
        SqlOperation[] down =
        [
            new() { Sql = "DO $guard$ BEGIN RAISE EXCEPTION 'refusing to revert X: table % holds rows', 'audit'; END $guard$; -- 'audit'" },
            new() { Sql = "DROP TABLE IF EXISTS audit;" },
        ];

        Assert.Empty(MigrationRules.Check("planted", up, down));
    }

    [Fact]
    public void Statements_split_outside_quotes_and_dollar_quoted_bodies()
    {
        var statements = MigrationRules.TopLevelStatements("""
            DO $x$ BEGIN PERFORM 1; PERFORM 2; END $x$;
            SELECT 'a;b'; -- c;d
            SELECT 3
            """).ToList();

        Assert.Equal(3, statements.Count);
        Assert.StartsWith("DO $x$", statements[0], StringComparison.Ordinal);
        Assert.Equal("SELECT 'a;b'", statements[1]);
        Assert.EndsWith("SELECT 3", statements[2], StringComparison.Ordinal);
    }

    private static List<(string Id, Migration Migration)> AllMigrations()
    {
        using var context = StreamVaultDatabase.CreateContext("Host=unused");
        var assembly = context.GetService<IMigrationsAssembly>();
        var provider = context.Database.ProviderName!;
        return assembly.Migrations
            .OrderBy(m => m.Key, StringComparer.Ordinal)
            .Select(m => (m.Key, assembly.CreateMigration(m.Value, provider)))
            .ToList();
    }
}

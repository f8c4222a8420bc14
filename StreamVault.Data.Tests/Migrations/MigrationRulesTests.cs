using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using StreamVault.Data.Migrations;
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

        // Not Assert.Empty: xunit prints a collection's items cut at 50 characters, which ended before the rule name.
        Assert.True(violations.Count == 0, $"{violations.Count} violation(s):\n{string.Join('\n', violations)}");
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

    /// <summary>The gaps issue #19 found: each planted pattern must give exactly its rule's violation, nothing else.</summary>
    [Theory]
    [InlineData(MigrationRules.ForeignKeyWithoutNotValid, "DO $f$ BEGIN IF true THEN ALTER TABLE stream_chapters ADD CONSTRAINT fk FOREIGN KEY (stream_id) REFERENCES streams (id); END IF; END $f$;")]
    [InlineData(MigrationRules.ForeignKeyWithoutNotValid, "DO $f$ BEGIN IF true THEN ALTER TABLE streamers ADD COLUMN IF NOT EXISTS last_stream_id integer REFERENCES streams (id); END IF; END $f$;")]
    [InlineData(MigrationRules.ForeignKeyWithoutNotValid, "DO $f$ BEGIN IF true THEN ALTER TABLE streamers ADD last_stream_id integer REFERENCES streams; END IF; END $f$;")]
    [InlineData(MigrationRules.ForeignKeyWithoutNotValid, "DO $f$ BEGIN IF true THEN EXECUTE format('ALTER TABLE %I ADD CONSTRAINT fk FOREIGN KEY (stream_id) REFERENCES streams', 'x'); END IF; END $f$;")]
    [InlineData(MigrationRules.DropInUp, "DO $d$ BEGIN IF EXISTS (SELECT 1) THEN ALTER TABLE streams DROP COLUMN IF EXISTS episode_number; END IF; END $d$;")]
    [InlineData(MigrationRules.DropInUp, "DO $d$ BEGIN IF EXISTS (SELECT 1) THEN ALTER TABLE streams DROP episode_number; END IF; END $d$;")]
    [InlineData(MigrationRules.DropInUp, "DROP TABLE IF EXISTS system_config;")]
    [InlineData(MigrationRules.DropInUp, "DO $d$ BEGIN IF true THEN ALTER TABLE streams DROP CONSTRAINT IF EXISTS streams_streamer_id_fkey; END IF; END $d$;")]
    [InlineData(MigrationRules.DropInUp, "DO $d$ BEGIN IF true THEN EXECUTE format('DROP TABLE %I', 'system_config'); END IF; END $d$;")]
    [InlineData(MigrationRules.DropInUp, "DO $r$ BEGIN IF true THEN ALTER TABLE streams RENAME COLUMN title TO name; END IF; END $r$;")]
    [InlineData(MigrationRules.VolatileDefault, "DO $v$ BEGIN IF true THEN ALTER TABLE streams ADD seen_at TIMESTAMPTZ DEFAULT clock_timestamp(); END IF; END $v$;")]
    [InlineData(MigrationRules.VolatileDefault, "DO $v$ BEGIN IF true THEN ALTER TABLE streams ADD COLUMN IF NOT EXISTS seen_at TIMESTAMPTZ DEFAULT now(); END IF; END $v$;")]
    [InlineData(MigrationRules.UnguardedDdl, "DO $u$ BEGIN ALTER TABLE streams ADD note TEXT; END $u$;")]
    [InlineData(MigrationRules.SetNotNull, "DO $n$ BEGIN IF true THEN ALTER TABLE streams ALTER title SET NOT NULL; END IF; END $n$;")]
    [InlineData(MigrationRules.CheckWithoutNotValid, "DO $c$ BEGIN IF true THEN ALTER TABLE streams ADD CONSTRAINT ck_title CHECK (title IS NOT NULL); END IF; END $c$;")]
    [InlineData(MigrationRules.CheckWithoutNotValid, "DO $c$ BEGIN IF true THEN ALTER TABLE streams ADD CHECK (episode_number > 0); END IF; END $c$;")]
    [InlineData(MigrationRules.CheckWithoutNotValid, "DO $c$ BEGIN IF true THEN ALTER TABLE streams ADD COLUMN IF NOT EXISTS n integer CHECK (n > 0); END IF; END $c$;")]
    [InlineData(MigrationRules.NonConcurrentIndex, "DO $i$ BEGIN IF to_regclass('x') IS NULL THEN CREATE INDEX x ON \"streams\" (title); END IF; END $i$;")]
    [InlineData(MigrationRules.NonConcurrentIndex, "DO $i$ BEGIN IF true THEN EXECUTE format('CREATE INDEX %I ON %I (title)', 'x', 'streams'); END IF; END $i$;")]
    [InlineData(MigrationRules.NonConcurrentIndex, "DO $i$ BEGIN IF to_regclass('x') IS NULL THEN CREATE INDEX IF NOT EXISTS x ON push_subscriptions (endpoint); END IF; END $i$;")]
    [InlineData(MigrationRules.NonConcurrentIndex, "DO $i$ BEGIN IF to_regclass('x') IS NULL THEN CREATE INDEX x ON public.system_config (key); END IF; END $i$;")]
    [InlineData(MigrationRules.ConcurrentlyInTransaction, "CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_streams_x ON streams (title);")]
    [InlineData(MigrationRules.ConcurrentlyInTransaction, "DROP INDEX CONCURRENTLY IF EXISTS idx_streams_x;", "20990101000000_ContractDropIndex")]
    public void A_planted_gap_gives_exactly_its_violation(string rule, string up, string migration = "planted")
    {
        var violations = MigrationRules.Check(migration, [new SqlOperation { Sql = up }], []).ToList();

        Assert.True(violations.Select(v => v.Rule).SequenceEqual([rule]), string.Join('\n', violations));
        Assert.Equal($"{migration} Up: {rule}: {up.TrimEnd(';')}", violations[0].ToString());
    }

    [Theory]
    [InlineData("CREATE INDEX CONCURRENTLY IF NOT EXISTS a ON streams (title); CREATE INDEX CONCURRENTLY IF NOT EXISTS b ON streams (language);")]
    [InlineData("DO $i$ BEGIN IF true THEN CREATE INDEX CONCURRENTLY IF NOT EXISTS a ON streams (title); END IF; END $i$;")]
    public void A_concurrent_build_in_a_batch_or_a_do_block_breaks_the_rule_even_without_a_transaction(string up)
    {
        var violations = MigrationRules.Check("planted", [new SqlOperation { Sql = up, SuppressTransaction = true }], []).ToList();

        Assert.Contains(violations, v => v.Rule == MigrationRules.ConcurrentlyInTransaction);
    }

    [Fact]
    public void A_drop_in_up_outside_a_contract_step_breaks_the_rule_also_when_transaction_suppressed()
    {
        var violations = MigrationRules.Check(
            "planted", [new SqlOperation { Sql = "DROP INDEX CONCURRENTLY IF EXISTS idx_streams_title;", SuppressTransaction = true }], []).ToList();

        Assert.Equal([MigrationRules.DropInUp], violations.Select(v => v.Rule));
    }

    [Fact]
    public void A_down_drop_sharing_its_sql_call_with_a_guard_for_another_table_breaks_the_rule()
    {
        var down = RevertGuard.RefuseIfTablesHoldRows("Planted", "audit") + "\nDROP TABLE IF EXISTS streams;";

        var violations = MigrationRules.Check("planted", [], [new SqlOperation { Sql = down }]).ToList();

        Assert.Equal([MigrationRules.DownWithoutGuard], violations.Select(v => v.Rule));
        Assert.Equal("planted Down: down-without-guard: DROP TABLE IF EXISTS streams", violations[0].ToString());
    }

    [Fact]
    public void A_down_drop_sharing_its_sql_call_with_its_own_guard_breaks_no_rule()
    {
        var down = RevertGuard.RefuseIfColumnsHoldValues("Planted", "streams", "episode_number")
                   + "\nALTER TABLE streams DROP COLUMN IF EXISTS episode_number;";

        Assert.Empty(MigrationRules.Check("planted", [], [new SqlOperation { Sql = down }]));
    }

    [Fact]
    public void A_contract_step_may_drop_in_up_only_behind_its_guard()
    {
        const string contract = "20990101000000_ContractDropSystemConfig";
        var guard = RevertGuard.RefuseIfTablesHoldRows("ContractDropSystemConfig", "system_config")
            .Replace("refusing to revert", "refusing to apply", StringComparison.Ordinal);

        var unguarded = MigrationRules.Check(contract, [new SqlOperation { Sql = "DROP TABLE IF EXISTS system_config;" }], []).ToList();
        var guarded = MigrationRules.Check(contract, [new SqlOperation { Sql = guard }, new SqlOperation { Sql = "DROP TABLE IF EXISTS system_config;" }], []);

        Assert.Equal([MigrationRules.ContractDropWithoutGuard], unguarded.Select(v => v.Rule));
        Assert.Empty(guarded);
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
            new() { Sql = "CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_streams_x ON streams (title);", SuppressTransaction = true },
            new() { Sql = "DO $a$ BEGIN IF NOT EXISTS (SELECT 1) THEN ALTER TABLE streams ADD COLUMN IF NOT EXISTS n INTEGER DEFAULT 0; END IF; END $a$;" },
            new() { Sql = "DO $c$ DECLARE r record; BEGIN FOR r IN SELECT 1 LOOP EXECUTE format('ALTER TABLE %I ALTER COLUMN %I TYPE VARCHAR', 'streams', 'title'); END LOOP; END $c$;" },
            new() { Sql = "CREATE TABLE IF NOT EXISTS audit (id SERIAL PRIMARY KEY, at TIMESTAMPTZ DEFAULT now());" },
            // A table created earlier in the same migration is new: a plain build there locks nobody out.
            new() { Sql = "DO $i$ BEGIN IF to_regclass('ix_audit_at') IS NULL THEN CREATE INDEX IF NOT EXISTS ix_audit_at ON audit (at); END IF; END $i$;" },
            new() { Sql = "DO $f$ BEGIN IF true THEN ALTER TABLE audit ADD CONSTRAINT fk FOREIGN KEY (id) REFERENCES streams (id) NOT VALID; END IF; END $f$;" },
            new() { Sql = "DO $v$ BEGIN IF true THEN ALTER TABLE audit VALIDATE CONSTRAINT fk; END IF; END $v$;", SuppressTransaction = true },
            new() { Sql = "DO $c$ BEGIN IF true THEN ALTER TABLE streams ADD CONSTRAINT ck CHECK (title IS NOT NULL) NOT VALID; END IF; END $c$;" },
            new()
            {
                Sql = "DO $w$ BEGIN IF EXISTS (SELECT 1 FROM pg_attribute WHERE attname = 'key' AND format_type(atttypid, atttypmod) = 'character varying(255)') "
                      + "THEN ALTER TABLE global_settings ALTER COLUMN proxy_encryption_key TYPE character varying(500); END IF; END $w$;",
            },
            new() { Sql = "DO $r$ BEGIN RAISE EXCEPTION 'CREATE INDEX x ON streams (title); DROP TABLE streams; ADD y serial'; END $r$;" },
        ];
        SqlOperation[] down =
        [
            new() { Sql = RevertGuard.RefuseIfTablesHoldRows("X", "audit") },
            new() { Sql = "DROP TABLE IF EXISTS audit;" },
        ];

        var violations = MigrationRules.Check("planted", up, down).ToList();

        Assert.True(violations.Count == 0, string.Join('\n', violations));
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

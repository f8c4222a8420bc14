using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace StreamVault.Data.Tests.Migrations;

/// <summary>
/// The rules every migration's SQL must keep, because breaking one locks or rewrites a large table of a running
/// installation: checked over each migration's Up and Down operations by <see cref="MigrationRulesTests"/>.
/// Textual, so deliberately strict: a migration that needs an exception says so in <see cref="Exceptions"/>.
/// </summary>
public static partial class MigrationRules
{
    public const string GeneratedOperation = "generated-operation";
    public const string NonConcurrentIndex = "non-concurrent-index";
    public const string RewritingTypeChange = "rewriting-type-change";
    public const string VolatileDefault = "volatile-default";
    public const string SetNotNull = "set-not-null";
    public const string UnguardedDdl = "unguarded-ddl";
    public const string DownWithoutGuard = "down-without-guard";

    /// <summary>Released migrations that break a rule, with why that is safe; nothing else may be added lightly.</summary>
    public static readonly IReadOnlyDictionary<(string Migration, string Rule), string> Exceptions = new Dictionary<(string, string), string>
    {
        [("20240705000000_BaseSchema", NonConcurrentIndex)] =
            "ix_streamers_id is built right after CREATE TABLE IF NOT EXISTS streamers; where streamers already exists the engine adopts "
            + "BaseSchema instead of running it (ReleasedMigrationAdoption), so the build only ever meets a new, empty table",
    };

    public sealed record Violation(string Migration, string Direction, string Rule, string Statement)
    {
        public override string ToString() => $"{Migration} {Direction}: {Rule}: {Statement}";
    }

    /// <summary>Every rule over one migration's operations; <paramref name="up"/> and <paramref name="down"/> as EF builds them.</summary>
    public static IEnumerable<Violation> Check(string migration, IReadOnlyList<MigrationOperation> up, IReadOnlyList<MigrationOperation> down)
    {
        foreach (var violation in CheckDirection(migration, "Up", up))
        {
            yield return violation;
        }

        foreach (var violation in CheckDirection(migration, "Down", down))
        {
            yield return violation;
        }

        foreach (var violation in CheckDownGuards(migration, down))
        {
            yield return violation;
        }
    }

    private static IEnumerable<Violation> CheckDirection(string migration, string direction, IReadOnlyList<MigrationOperation> operations)
    {
        foreach (var operation in operations)
        {
            if (operation is not SqlOperation sql)
            {
                yield return new(migration, direction, GeneratedOperation, operation.GetType().Name);
                continue;
            }

            foreach (var statement in TopLevelStatements(sql.Sql))
            {
                var text = Squash(statement);
                foreach (Match index in PlainIndexOnBigTable().Matches(text))
                {
                    yield return new(migration, direction, NonConcurrentIndex, index.Value);
                }

                foreach (Match type in TypeChange().Matches(text))
                {
                    if (!UnboundedText().IsMatch(type.Groups["type"].Value))
                    {
                        yield return new(migration, direction, RewritingTypeChange, type.Value);
                    }
                }

                foreach (Match added in AddColumn().Matches(text))
                {
                    if (VolatileExpression().IsMatch(added.Value))
                    {
                        yield return new(migration, direction, VolatileDefault, added.Value);
                    }
                }

                if (NotNullTightening().Match(text) is { Success: true } notNull)
                {
                    yield return new(migration, direction, SetNotNull, notNull.Value);
                }

                // A Down is a deliberate, rare revert with its own guard rule; the lock-for-nothing rule is about Up.
                if (direction == "Up" && Unguarded(text) is { } unguarded)
                {
                    yield return new(migration, direction, UnguardedDdl, unguarded);
                }
            }
        }
    }

    /// <summary>A Down that drops a table or a column must first run the RevertGuard that refuses when it holds data.</summary>
    private static IEnumerable<Violation> CheckDownGuards(string migration, IReadOnlyList<MigrationOperation> down)
    {
        var guarded = new List<string>();
        foreach (var sql in down.OfType<SqlOperation>())
        {
            var text = Squash(sql.Sql);
            if (text.Contains("refusing to revert", StringComparison.Ordinal))
            {
                guarded.Add(text);
                continue;
            }

            foreach (Match drop in DropTableOrColumn().Matches(text))
            {
                var table = drop.Groups["table"].Value;
                var column = drop.Groups["column"].Success ? drop.Groups["column"].Value : null;
                var covered = guarded.Any(g => g.Contains($"'{table}'", StringComparison.Ordinal)
                                               && (column is null || g.Contains($"'{column}'", StringComparison.Ordinal)));
                if (!covered)
                {
                    yield return new(migration, "Down", DownWithoutGuard, drop.Value);
                }
            }
        }
    }

    /// <summary>
    /// DDL that runs unconditionally where it may find its change already made, and so takes its lock for nothing:
    /// a top-level ALTER TABLE, CREATE without IF NOT EXISTS, DROP without IF EXISTS, and DDL in a DO block that
    /// reaches it without any IF or catalog loop in front of it.
    /// </summary>
    private static string? Unguarded(string statement)
    {
        if (statement.StartsWith("DO ", StringComparison.OrdinalIgnoreCase))
        {
            var ddl = DdlInBlock().Match(statement);
            if (!ddl.Success)
            {
                return null;
            }

            var before = statement[..ddl.Index];
            return before.Contains(" IF ", StringComparison.OrdinalIgnoreCase) || before.Contains(" LOOP ", StringComparison.OrdinalIgnoreCase)
                ? null
                : ddl.Value;
        }

        if (statement.StartsWith("ALTER TABLE", StringComparison.OrdinalIgnoreCase))
        {
            return statement;
        }

        if (statement.StartsWith("CREATE ", StringComparison.OrdinalIgnoreCase) && !statement.Contains(" IF NOT EXISTS ", StringComparison.OrdinalIgnoreCase))
        {
            return statement;
        }

        return statement.StartsWith("DROP ", StringComparison.OrdinalIgnoreCase) && !statement.Contains(" IF EXISTS ", StringComparison.OrdinalIgnoreCase)
            ? statement
            : null;
    }

    /// <summary>Splits SQL at semicolons outside quotes and dollar-quoted bodies (so a DO block is one statement).</summary>
    public static IEnumerable<string> TopLevelStatements(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var start = 0;
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (c == '\'')
            {
                i = sql.IndexOf('\'', i + 1) is var end and >= 0 ? end + 1 : sql.Length;
                continue;
            }

            if (c == '-' && i + 1 < sql.Length && sql[i + 1] == '-')
            {
                i = sql.IndexOf('\n', i) is var end and >= 0 ? end : sql.Length;
                continue;
            }

            if (c == '$' && DollarTag().Match(sql, i) is { Success: true } tag && tag.Index == i)
            {
                var close = sql.IndexOf(tag.Value, i + tag.Length, StringComparison.Ordinal);
                i = close < 0 ? sql.Length : close + tag.Length;
                continue;
            }

            if (c == ';')
            {
                if (sql[start..i].Trim() is { Length: > 0 } statement)
                {
                    yield return statement;
                }

                start = i + 1;
            }

            i++;
        }

        if (sql[start..].Trim() is { Length: > 0 } last)
        {
            yield return last;
        }
    }

    /// <summary>One line, single spaces, comments removed: what the patterns read.</summary>
    private static string Squash(string sql) => Whitespace().Replace(LineComment().Replace(sql, " "), " ").Trim();

    [GeneratedRegex(@"--[^\n]*")]
    private static partial Regex LineComment();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"\$[A-Za-z_]*\$")]
    private static partial Regex DollarTag();

    [GeneratedRegex(@"CREATE\s+(UNIQUE\s+)?INDEX\s+(?!CONCURRENTLY)(IF\s+NOT\s+EXISTS\s+)?\w+\s+ON\s+(ONLY\s+)?(public\.)?(streams|streamers)\b[^;]*", RegexOptions.IgnoreCase)]
    private static partial Regex PlainIndexOnBigTable();

    [GeneratedRegex(@"ALTER\s+COLUMN\s+\S+\s+(SET\s+DATA\s+)?TYPE\s+(?<type>[A-Za-z ]+(\(\d+\))?)", RegexOptions.IgnoreCase)]
    private static partial Regex TypeChange();

    [GeneratedRegex(@"^\s*(VARCHAR|TEXT|CHARACTER VARYING)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex UnboundedText();

    [GeneratedRegex(@"ADD\s+COLUMN\s+[^,;]*", RegexOptions.IgnoreCase)]
    private static partial Regex AddColumn();

    [GeneratedRegex(@"\b(clock_timestamp|random|gen_random_uuid|uuid_generate_v[14]|timeofday|nextval)\s*\(|\b(SMALL|BIG)?SERIAL\b", RegexOptions.IgnoreCase)]
    private static partial Regex VolatileExpression();

    [GeneratedRegex(@"ALTER\s+COLUMN\s+\S+\s+SET\s+NOT\s+NULL", RegexOptions.IgnoreCase)]
    private static partial Regex NotNullTightening();

    [GeneratedRegex(@"\b(ALTER\s+TABLE|CREATE\s+(UNIQUE\s+)?INDEX|DROP\s+(TABLE|INDEX|COLUMN))\b[^;]*", RegexOptions.IgnoreCase)]
    private static partial Regex DdlInBlock();

    [GeneratedRegex(@"DROP\s+TABLE\s+(IF\s+EXISTS\s+)?(?<table>\w+)|ALTER\s+TABLE\s+(?<table>\w+)\s+DROP\s+COLUMN\s+(IF\s+EXISTS\s+)?(?<column>\w+)", RegexOptions.IgnoreCase)]
    private static partial Regex DropTableOrColumn();
}

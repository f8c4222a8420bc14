using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using StreamVault.Data.Design;
using StreamVault.Data.Migrations;

namespace StreamVault.Data.Tests.Migrations;

/// <summary>
/// The rules every migration's SQL must keep, because breaking one locks or rewrites a large table of a running
/// installation, or drops what the running app still uses: checked over each migration's Up and Down operations by
/// <see cref="MigrationRulesTests"/>, and over the migration generator's output. Textual, so deliberately strict: a
/// migration that needs an exception says so in <see cref="Exceptions"/>.
/// <para>
/// The patterns read each top-level statement (a DO block is one) with comments removed and string literals blanked, except
/// the SQL a DO block runs through <c>EXECUTE '…'</c> or <c>EXECUTE format('…', …)</c>, which is read as code. Guards and the
/// names they check are read from the statement as written.
/// </para>
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

    /// <summary>A foreign key added without NOT VALID (ADD CONSTRAINT … FOREIGN KEY, or REFERENCES in ADD COLUMN) scans the table under its lock.</summary>
    public const string ForeignKeyWithoutNotValid = "foreign-key-without-not-valid";

    /// <summary>A check constraint added without NOT VALID (in ADD CONSTRAINT or ADD COLUMN) scans the table under its lock.</summary>
    public const string CheckWithoutNotValid = "check-without-not-valid";

    /// <summary>A drop or rename in Up outside an explicit contract step (<see cref="ContractStep"/>): the running app may still use the object.</summary>
    public const string DropInUp = "drop-in-up";

    /// <summary>A contract step's Up drops a table or column without first refusing while it holds data.</summary>
    public const string ContractDropWithoutGuard = "contract-drop-without-guard";

    /// <summary>A CONCURRENTLY build or drop that would run inside a transaction block or a DO block, where PostgreSQL refuses it.</summary>
    public const string ConcurrentlyInTransaction = "concurrently-in-transaction";

    /// <summary>Released migrations that break a rule, with why that is safe; nothing else may be added lightly.</summary>
    public static readonly IReadOnlyDictionary<(string Migration, string Rule), string> Exceptions = new Dictionary<(string, string), string>();

    public sealed record Violation(string Migration, string Direction, string Rule, string Statement)
    {
        public override string ToString() => $"{Migration} {Direction}: {Rule}: {Statement}";
    }

    /// <summary>Every rule over one migration's operations; <paramref name="up"/> and <paramref name="down"/> as EF builds them.</summary>
    public static IEnumerable<Violation> Check(string migration, IReadOnlyList<MigrationOperation> up, IReadOnlyList<MigrationOperation> down)
    {
        ArgumentNullException.ThrowIfNull(migration);
        ArgumentNullException.ThrowIfNull(up);
        ArgumentNullException.ThrowIfNull(down);
        return CheckDirection(migration, "Up", up)
            .Concat(CheckDirection(migration, "Down", down))
            .Concat(CheckDropGuards(migration, "Down", down))
            .Concat(ContractStep.IsContract(migration) ? CheckDropGuards(migration, "Up", up) : []);
    }

    private static IEnumerable<Violation> CheckDirection(string migration, string direction, IReadOnlyList<MigrationOperation> operations)
    {
        var up = direction == "Up";
        var created = new HashSet<string>(StringComparer.Ordinal);
        foreach (var operation in operations)
        {
            if (operation is not SqlOperation sql)
            {
                yield return new(migration, direction, GeneratedOperation, operation.GetType().Name);
                continue;
            }

            var statements = TopLevelStatements(sql.Sql).ToList();
            foreach (var statement in statements)
            {
                var text = Squash(statement);
                var code = Code(text);
                Violation Found(string rule) => new(migration, direction, rule, text);

                foreach (Match table in CreateTable().Matches(code))
                {
                    created.Add(Name(table.Groups["table"].Value));
                }

                if (PlainIndex().Matches(code).Any(index => index.Groups["table"].Value.Contains('%', StringComparison.Ordinal)
                                                            || !created.Contains(Name(index.Groups["table"].Value))))
                {
                    yield return Found(NonConcurrentIndex);
                }

                if (TypeChange().Matches(code).Any(type => !UnboundedText().IsMatch(type.Groups["type"].Value) && !GuardedVarcharWidening(text, type.Groups["type"].Value)))
                {
                    yield return Found(RewritingTypeChange);
                }

                var subcommands = AlterTableSubcommands(code).ToList();
                if (subcommands.Any(s => AddColumn().IsMatch(s) && VolatileExpression().IsMatch(s)))
                {
                    yield return Found(VolatileDefault);
                }

                if (NotNullTightening().IsMatch(code))
                {
                    yield return Found(SetNotNull);
                }

                if (subcommands.Any(s => s.StartsWith("ADD ", StringComparison.OrdinalIgnoreCase) && References().IsMatch(s) && !NotValid().IsMatch(s)))
                {
                    yield return Found(ForeignKeyWithoutNotValid);
                }

                if (subcommands.Any(s => s.StartsWith("ADD ", StringComparison.OrdinalIgnoreCase) && Check().IsMatch(s) && !NotValid().IsMatch(s)))
                {
                    yield return Found(CheckWithoutNotValid);
                }

                if (Concurrently().IsMatch(code)
                    && (!sql.SuppressTransaction || statements.Count > 1 || code.StartsWith("DO ", StringComparison.OrdinalIgnoreCase)))
                {
                    yield return Found(ConcurrentlyInTransaction);
                }

                // A Down is a deliberate, rare revert with its own guard rule; the lock-for-nothing and drop rules are about Up.
                if (up && Unguarded(code) is not null)
                {
                    yield return Found(UnguardedDdl);
                }

                if (up && !ContractStep.IsContract(migration) && DropsOrRenames(code, subcommands))
                {
                    yield return Found(DropInUp);
                }
            }
        }
    }

    /// <summary>
    /// A Down (or a contract step's Up) that drops a table or a column must first run the guard that refuses while it holds
    /// data, naming that table or column: in a Down, RevertGuard's own shape, as the revert check reads it. Guards and drops
    /// are taken statement by statement, so a guard shares a Sql() call with a drop only if it covers what is dropped.
    /// </summary>
    private static IEnumerable<Violation> CheckDropGuards(string migration, string direction, IReadOnlyList<MigrationOperation> operations)
    {
        var rule = direction == "Down" ? DownWithoutGuard : ContractDropWithoutGuard;
        var guarded = new HashSet<(string Table, string? Column)>();
        foreach (var sql in operations.OfType<SqlOperation>())
        {
            foreach (var statement in TopLevelStatements(sql.Sql))
            {
                var text = Squash(statement);
                foreach (var target in GuardedBy(text, direction))
                {
                    guarded.Add(target);
                }

                var code = Code(text);
                var dropped = DroppedTables(code).Select(t => (t, (string?)null))
                    .Concat(AlterTableActions(code).SelectMany(DroppedColumn));
                if (dropped.Any(d => !guarded.Contains(d)))
                {
                    yield return new(migration, direction, rule, text);
                }
            }
        }
    }

    /// <summary>The tables and columns a guard statement covers: RevertGuard's parse in a Down, the same shape worded "refusing to apply" in Up.</summary>
    private static IEnumerable<(string Table, string? Column)> GuardedBy(string text, string direction)
        => direction == "Down"
            ? RevertGuard.GuardedBy(text)
            : text.Contains("refusing to apply", StringComparison.Ordinal)
                ? RevertGuard.GuardedBy(text.Replace("refusing to apply", "refusing to revert", StringComparison.Ordinal))
                : [];

    private static IEnumerable<string> DroppedTables(string code)
        => DropTable().Matches(code).SelectMany(m => m.Groups["names"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Select(n => Name(CascadeSuffix().Replace(n, "")));

    /// <summary>The column an ALTER TABLE subcommand (with its table) drops: <c>DROP [COLUMN] [IF EXISTS] c</c>.</summary>
    private static IEnumerable<(string Table, string? Column)> DroppedColumn((string Table, string Subcommand) alter)
        => DropColumn().Match(alter.Subcommand) is { Success: true } drop ? [(Name(alter.Table), Name(drop.Groups["column"].Value))] : [];

    /// <summary>
    /// DROP of an object, ALTER TABLE … DROP [COLUMN] / DROP CONSTRAINT, or a RENAME. Dropping an INVALID index that a failed
    /// concurrent build left (inside a DO block that checks <c>indisvalid</c> first) is how a build is retried, not a drop.
    /// </summary>
    private static bool DropsOrRenames(string code, IReadOnlyList<string> subcommands)
    {
        foreach (Match drop in DropObject().Matches(code))
        {
            var invalidLeftover = drop.Groups["what"].Value.Equals("INDEX", StringComparison.OrdinalIgnoreCase)
                                  && code.StartsWith("DO ", StringComparison.OrdinalIgnoreCase)
                                  && code[..drop.Index].Contains("indisvalid", StringComparison.OrdinalIgnoreCase);
            if (!invalidLeftover)
            {
                return true;
            }
        }

        return subcommands.Any(s => DropColumn().IsMatch(s) || DropConstraint().IsMatch(s)) || Rename().IsMatch(code);
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

    /// <summary>
    /// A widening to varchar(m) is catalog-only when the statement only runs where the column is a shorter varchar(n): the
    /// generator's guard, <c>format_type(atttypid, atttypmod) = 'character varying(n)'</c>.
    /// </summary>
    private static bool GuardedVarcharWidening(string text, string type)
    {
        if (BoundedVarchar().Match(type) is not { Success: true } target)
        {
            return false;
        }

        var length = int.Parse(target.Groups["length"].Value, System.Globalization.CultureInfo.InvariantCulture);
        return VarcharGuard().Matches(text).Any(g => int.Parse(g.Groups["length"].Value, System.Globalization.CultureInfo.InvariantCulture) < length);
    }

    /// <summary>
    /// The subcommands of every ALTER TABLE in <paramref name="code"/> (split at commas outside parentheses, up to the
    /// statement's end), each starting with its action: <c>ADD …</c>, <c>ALTER COLUMN …</c>, <c>DROP …</c>.
    /// </summary>
    private static IEnumerable<string> AlterTableSubcommands(string code) => AlterTableActions(code).Select(a => a.Subcommand);

    /// <summary><see cref="AlterTableSubcommands"/> with the table each one alters.</summary>
    private static IEnumerable<(string Table, string Subcommand)> AlterTableActions(string code)
    {
        foreach (Match alter in AlterTable().Matches(code))
        {
            var start = alter.Index + alter.Length;
            var end = code.IndexOf(';', start);
            foreach (var subcommand in SplitTopLevel(end < 0 ? code[start..] : code[start..end]))
            {
                yield return (alter.Groups["table"].Value, subcommand);
            }
        }
    }

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    yield return text[start..i].Trim();
                    start = i + 1;
                    break;
            }
        }

        if (text[start..].Trim() is { Length: > 0 } last)
        {
            yield return last;
        }
    }

    /// <summary>An identifier as PostgreSQL stores it: quoted names as written, others in lower case, without a schema.</summary>
    private static string Name(string identifier)
    {
        var last = identifier.Trim();
        var dot = last.LastIndexOf('.');
        if (dot >= 0 && !last.EndsWith('"'))
        {
            last = last[(dot + 1)..];
        }
        else if (last.EndsWith('"') && last.LastIndexOf("\".\"", StringComparison.Ordinal) is var quotedDot and >= 0)
        {
            last = last[(quotedDot + 2)..];
        }

        return last.StartsWith('"') && last.EndsWith('"') ? last[1..^1] : last.ToLowerInvariant();
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

    /// <summary>
    /// The statement as code: string literals blanked (so messages and compared names are not read as SQL), except a
    /// literal that <c>EXECUTE</c> runs, directly or through <c>format</c>, whose text is code and is read as such.
    /// </summary>
    private static string Code(string text)
    {
        var code = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] != '\'')
            {
                code.Append(text[i++]);
                continue;
            }

            var end = i + 1;
            while (end < text.Length && (text[end] != '\'' || (end + 1 < text.Length && text[end + 1] == '\'')))
            {
                end += text[end] == '\'' ? 2 : 1;
            }

            var executed = ExecutedLiteral().IsMatch(code.ToString());
            code.Append(executed ? " " + text[(i + 1)..Math.Min(end, text.Length)].Replace("''", "'", StringComparison.Ordinal) + " " : "''");
            i = end + 1;
        }

        return code.ToString();
    }

    [GeneratedRegex(@"--[^\n]*")]
    private static partial Regex LineComment();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"\$[A-Za-z_]*\$")]
    private static partial Regex DollarTag();

    /// <summary>Code that ends where EXECUTE's SQL literal begins: <c>EXECUTE '</c> or <c>EXECUTE format('</c>.</summary>
    [GeneratedRegex(@"\bEXECUTE\s+(format\s*\(\s*)?$", RegexOptions.IgnoreCase)]
    private static partial Regex ExecutedLiteral();

    private const string Identifier = @"(?:""[^""]+""|[\w%]+)";
    private const string Qualified = @"(?:" + Identifier + @"\.)?" + Identifier;

    [GeneratedRegex(@"\bCREATE\s+(?:(?:UNLOGGED|TEMP|TEMPORARY)\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(?<table>" + Qualified + ")", RegexOptions.IgnoreCase)]
    private static partial Regex CreateTable();

    [GeneratedRegex(@"\bCREATE\s+(?:UNIQUE\s+)?INDEX\s+(?!CONCURRENTLY\b)(?:IF\s+NOT\s+EXISTS\s+)?(?:" + Identifier + @"\s+)?ON\s+(?:ONLY\s+)?(?<table>" + Qualified + ")", RegexOptions.IgnoreCase)]
    private static partial Regex PlainIndex();

    [GeneratedRegex(@"\bALTER\s+(?:COLUMN\s+)?(?!TABLE\b|INDEX\b|SEQUENCE\b|VIEW\b|TYPE\b|DOMAIN\b)" + Identifier + @"\s+(?:SET\s+DATA\s+)?TYPE\s+(?<type>[A-Za-z ]+(\(\s*\d+\s*\))?)", RegexOptions.IgnoreCase)]
    private static partial Regex TypeChange();

    [GeneratedRegex(@"^\s*(VARCHAR|TEXT|CHARACTER VARYING)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex UnboundedText();

    [GeneratedRegex(@"^\s*(VARCHAR|CHARACTER VARYING)\s*\(\s*(?<length>\d+)\s*\)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex BoundedVarchar();

    [GeneratedRegex(@"format_type\(\s*atttypid\s*,\s*atttypmod\s*\)\s*=\s*'character varying\((?<length>\d+)\)'", RegexOptions.IgnoreCase)]
    private static partial Regex VarcharGuard();

    [GeneratedRegex(@"\bALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?(?<table>" + Qualified + @")\s+", RegexOptions.IgnoreCase)]
    private static partial Regex AlterTable();

    /// <summary>ADD [COLUMN] [IF NOT EXISTS] name …: a column, whether or not the optional COLUMN keyword is there.</summary>
    [GeneratedRegex(@"^ADD\s+(?!(?:CONSTRAINT|PRIMARY|UNIQUE|CHECK|FOREIGN|EXCLUDE|VALUE)\b)", RegexOptions.IgnoreCase)]
    private static partial Regex AddColumn();

    /// <summary>
    /// A default that is no constant: rewrites the table to give every row a value of its own, or stamps every existing row
    /// with the migration's time; serial and identity columns and stored generated columns too.
    /// </summary>
    [GeneratedRegex(
        @"\b(clock_timestamp|random|gen_random_uuid|uuid_generate_v[14]|timeofday|nextval|now|statement_timestamp|transaction_timestamp)\s*\(|\b(CURRENT_TIMESTAMP|LOCALTIMESTAMP|CURRENT_DATE|CURRENT_TIME)\b|\b(SMALL|BIG)?SERIAL\b|\bGENERATED\b",
        RegexOptions.IgnoreCase)]
    private static partial Regex VolatileExpression();

    [GeneratedRegex(@"\bALTER\s+(?:COLUMN\s+)?(?!TABLE\b)" + Identifier + @"\s+SET\s+NOT\s+NULL", RegexOptions.IgnoreCase)]
    private static partial Regex NotNullTightening();

    [GeneratedRegex(@"\bREFERENCES\b", RegexOptions.IgnoreCase)]
    private static partial Regex References();

    [GeneratedRegex(@"\bCHECK\s*\(", RegexOptions.IgnoreCase)]
    private static partial Regex Check();

    [GeneratedRegex(@"\bNOT\s+VALID\b", RegexOptions.IgnoreCase)]
    private static partial Regex NotValid();

    [GeneratedRegex(@"\b(?:CREATE\s+(?:UNIQUE\s+)?INDEX|DROP\s+INDEX|REINDEX\s+\w+)\s+CONCURRENTLY\b|\bDETACH\s+PARTITION\b[^;]*\bCONCURRENTLY\b", RegexOptions.IgnoreCase)]
    private static partial Regex Concurrently();

    [GeneratedRegex(@"\b(ALTER\s+TABLE|ALTER\s+INDEX|ALTER\s+SEQUENCE|CREATE\s+(UNIQUE\s+)?INDEX|CREATE\s+TABLE|CREATE\s+SEQUENCE|CREATE\s+EXTENSION|COMMENT\s+ON|DROP\s+(TABLE|INDEX|COLUMN|SEQUENCE))\b[^;]*", RegexOptions.IgnoreCase)]
    private static partial Regex DdlInBlock();

    [GeneratedRegex(@"\bDROP\s+(?<what>TABLE|INDEX|VIEW|MATERIALIZED\s+VIEW|SEQUENCE|SCHEMA|TYPE|DOMAIN|FUNCTION|PROCEDURE|TRIGGER|EXTENSION|RULE|POLICY)\b", RegexOptions.IgnoreCase)]
    private static partial Regex DropObject();

    [GeneratedRegex(@"\bDROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?<names>" + Qualified + @"(?:\s*,\s*" + Qualified + ")*)", RegexOptions.IgnoreCase)]
    private static partial Regex DropTable();

    [GeneratedRegex(@"\s+(CASCADE|RESTRICT)$", RegexOptions.IgnoreCase)]
    private static partial Regex CascadeSuffix();

    /// <summary>An ALTER TABLE subcommand dropping a column, with or without the optional COLUMN keyword.</summary>
    [GeneratedRegex(@"^DROP\s+(?:COLUMN\s+)?(?!(?:CONSTRAINT|NOT|DEFAULT|EXPRESSION|IDENTITY)\b)(?:IF\s+EXISTS\s+)?(?<column>" + Identifier + ")", RegexOptions.IgnoreCase)]
    private static partial Regex DropColumn();

    [GeneratedRegex(@"^DROP\s+CONSTRAINT\b", RegexOptions.IgnoreCase)]
    private static partial Regex DropConstraint();

    [GeneratedRegex(@"\bRENAME\s+(?:TO|COLUMN|CONSTRAINT)\b|\bALTER\s+TABLE\s+[^;]*\bRENAME\s+" + Identifier + @"\s+TO\b", RegexOptions.IgnoreCase)]
    private static partial Regex Rename();
}

using System.Text.RegularExpressions;

namespace StreamVault.Data.Engine;

/// <summary>
/// Reads a migration statement's DDL from its text: which tables, columns, indexes and constraints it creates,
/// changes or drops. The released migrations and the generator (Design/) write DDL in a few predictable shapes
/// (guarded <c>DO</c> blocks, loops over a catalog query, the index guard, top-level concurrent builds), so the names
/// can be read back without a full SQL parser; what is not recognised is reported as DDL of unknown effect, never
/// as skipped.
/// </summary>
internal static partial class StatementParser
{
    private const string Ident = """(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)""";

    /// <summary>Parses one EF command of a migration.</summary>
    public static ParsedStatement Parse(string sql, bool transactional)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var clauses = new List<DdlClause>();
        var forms = new List<StatementForm>();
        string? loopQuery = null;
        string? loopTemplate = null;
        string? guardTable = null;
        string? returnsIfPresent = null;
        IReadOnlyList<string> loopArguments = [];
        var reads = new List<(string, bool)>();
        foreach (var statement in SqlText.Statements(sql))
        {
            if (SqlText.DoBody(statement) is not { } body)
            {
                var found = Clauses(SqlText.Blanked(statement), guarded: false);
                clauses.AddRange(found);
                forms.Add(found.Count > 0 ? StatementForm.Plain : StatementForm.Other);
                continue;
            }

            if (Loop().Match(body) is { Success: true } loop)
            {
                loopQuery = loop.Groups["query"].Value.Trim();
                if (IndexGuardDrop().IsMatch(loop.Groups["body"].Value))
                {
                    forms.Add(StatementForm.IndexGuard);
                    guardTable = GuardedTable().Match(body) is { Success: true } table ? SqlText.Name(table.Groups["table"].Value) : null;
                    continue;
                }

                if (Format().Match(loop.Groups["body"].Value) is { Success: true } format && format.Groups["template"].Value.TrimStart()
                        .StartsWith("ALTER TABLE", StringComparison.OrdinalIgnoreCase))
                {
                    forms.Add(StatementForm.Loop);
                    loopTemplate = format.Groups["template"].Value;
                    loopArguments = [.. SqlText.SplitTopLevel(format.Groups["args"].Value).Select(a => a[(a.LastIndexOf('.') + 1)..].Trim())];
                    // Guarded DDL of the block outside its loop runs as any guarded DDL does.
                    var rest = body.Remove(loop.Index, loop.Length);
                    clauses.AddRange(Clauses(SqlText.Blanked(rest), guarded: true, original: rest));
                    continue;
                }
            }

            var blanked = SqlText.Blanked(body);
            var ddl = Clauses(blanked, guarded: true, original: body);
            clauses.AddRange(ddl);
            forms.Add(ddl.Count > 0 ? StatementForm.Guarded : StatementForm.Check);
            if (ReturnIfPresent().Match(body) is { Success: true } early)
            {
                returnsIfPresent = early.Groups["name"].Value;
            }

            foreach (Match read in SelectFrom().Matches(blanked))
            {
                var table = SqlText.Name(read.Groups["t"].Value);
                var schema = read.Groups["s"].Success ? SqlText.Name(read.Groups["s"].Value) : "";
                if (!table.StartsWith("pg_", StringComparison.Ordinal) && schema is not ("pg_catalog" or "information_schema"))
                {
                    reads.Add((table, blanked.Contains("GROUP BY", StringComparison.OrdinalIgnoreCase)));
                }
            }
        }

        // The strongest form speaks for the command: DDL of any kind beats a check, a check beats plain SQL.
        var form = forms.Count == 0 ? StatementForm.Other
            : forms.Contains(StatementForm.IndexGuard) ? StatementForm.IndexGuard
            : forms.Contains(StatementForm.Loop) ? StatementForm.Loop
            : forms.Contains(StatementForm.Guarded) ? StatementForm.Guarded
            : forms.Contains(StatementForm.Plain) ? StatementForm.Plain
            : forms.Contains(StatementForm.Check) ? StatementForm.Check
            : StatementForm.Other;
        return new ParsedStatement(sql, transactional, form, clauses)
        {
            LoopQuery = loopQuery,
            LoopTemplate = loopTemplate,
            LoopArguments = loopArguments,
            GuardTable = guardTable,
            ReturnsIfPresent = returnsIfPresent,
            Reads = reads.Distinct().ToList(),
        };
    }

    /// <summary>The clause a loop's <c>format</c> template makes of one row (its placeholders filled in order).</summary>
    public static DdlClause? LoopClause(string template, IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(values);
        var position = 0;
        var filled = Placeholder().Replace(template, m =>
        {
            var value = position < values.Count ? values[position] : "";
            position++;
            return m.Value == "%I" ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
        });
        return Clauses(filled, guarded: true).FirstOrDefault();
    }

    /// <summary>Every DDL clause of <paramref name="text"/> (literals blanked), in order of appearance.</summary>
    /// <param name="text">The SQL with its literals blanked (same length as <paramref name="original"/>).</param>
    /// <param name="guarded">Inside a DO block.</param>
    /// <param name="original">The SQL as written, when its <c>IF to_regclass('t') IS NULL THEN</c> blocks matter (a DO body).</param>
    private static List<DdlClause> Clauses(string text, bool guarded, string? original = null)
    {
        var found = new List<(int Position, DdlClause Clause)>();
        var clauses = ClausesAt(text, guarded, found);
        if (original is null)
        {
            return clauses;
        }

        // DDL inside "IF to_regclass('t') IS NULL THEN … END IF" runs only when t is absent (the indexes of a new table).
        var absentBlocks = new List<(int From, int To, string Table)>();
        foreach (Match absent in TableAbsent().Matches(original))
        {
            var depth = 1;
            var end = text.Length;
            foreach (Match control in ControlIf().Matches(text, absent.Index + absent.Length))
            {
                depth += control.Value.StartsWith("END", StringComparison.OrdinalIgnoreCase) ? -1 : 1;
                if (depth == 0)
                {
                    end = control.Index;
                    break;
                }
            }

            absentBlocks.Add((absent.Index, end, SqlText.Name(absent.Groups["name"].Value)));
        }

        return [.. found.OrderBy(f => f.Position).Select(f => absentBlocks.LastOrDefault(b => b.From <= f.Position && f.Position < b.To) is { Table: { } table }
            ? f.Clause with { OnlyWhenAbsent = table }
            : f.Clause)];
    }

    private static List<DdlClause> ClausesAt(string text, bool guarded, List<(int Position, DdlClause Clause)> found)
    {
        foreach (Match create in CreateTable().Matches(text))
        {
            var body = SqlText.Parenthesised(text, create.Index + create.Length - 1) ?? "";
            found.Add((create.Index, TableOf(SqlText.Name(create.Groups["t"].Value), body) with
            {
                Guarded = guarded,
                IfExists = create.Groups["ine"].Success,
            }));
        }

        foreach (Match index in CreateIndex().Matches(text))
        {
            var columns = SqlText.Parenthesised(text, index.Index + index.Length - 1) ?? "";
            found.Add((index.Index, new DdlClause(ClauseKind.CreateIndex, SqlText.Name(index.Groups["t"].Value), SqlText.Name(index.Groups["n"].Value))
            {
                Concurrently = index.Groups["c"].Success,
                Unique = index.Groups["u"].Success,
                Columns = [.. SqlText.SplitTopLevel(columns)],
                Detail = columns,
                Guarded = guarded,
                IfExists = index.Groups["ine"].Success,
            }));
        }

        foreach (Match alter in AlterTable().Matches(text))
        {
            var table = SqlText.Name(alter.Groups["t"].Value);
            var added = new HashSet<string>(StringComparer.Ordinal);
            foreach (var action in SqlText.SplitTopLevel(alter.Groups["actions"].Value))
            {
                var clause = Action(table, action);
                if (clause.Kind == ClauseKind.AddColumn)
                {
                    added.Add(clause.Name!);
                }

                found.Add((alter.Index, clause with
                {
                    Guarded = guarded,
                    OfAddedColumn = clause.Kind != ClauseKind.AddColumn && clause.Name is { } column && added.Contains(column),
                }));
            }
        }

        foreach (Match drop in DropRelation().Matches(text))
        {
            var kind = drop.Groups["what"].Value.Equals("TABLE", StringComparison.OrdinalIgnoreCase) ? ClauseKind.DropTable : ClauseKind.DropIndex;
            foreach (var name in SqlText.SplitTopLevel(drop.Groups["names"].Value))
            {
                var relation = SqlText.Name(name.Split('.')[^1]);
                found.Add((drop.Index, new DdlClause(kind, kind == ClauseKind.DropTable ? relation : "", relation)
                {
                    Concurrently = drop.Groups["c"].Success,
                    Guarded = guarded,
                    IfExists = drop.Groups["ie"].Success,
                }));
            }
        }

        foreach (Match rename in RenameIndex().Matches(text))
        {
            found.Add((rename.Index, new DdlClause(ClauseKind.RenameIndex, "", SqlText.Name(rename.Groups["n"].Value))
            {
                NewName = SqlText.Name(rename.Groups["to"].Value),
                Guarded = guarded,
            }));
        }

        foreach (Match trigger in CreateTrigger().Matches(text))
        {
            found.Add((trigger.Index, new DdlClause(ClauseKind.CreateTrigger, SqlText.Name(trigger.Groups["t"].Value), SqlText.Name(trigger.Groups["n"].Value))
            {
                Guarded = guarded,
            }));
        }

        foreach (Match comment in CommentOn().Matches(text))
        {
            found.Add((comment.Index, new DdlClause(ClauseKind.Comment, SqlText.Name(comment.Groups["t"].Value)) { Guarded = guarded }));
        }

        foreach (Match other in OtherDdl().Matches(text))
        {
            found.Add((other.Index, new DdlClause(ClauseKind.Other, "", other.Value.Trim()) { Guarded = guarded }));
        }

        return [.. found.OrderBy(f => f.Position).Select(f => f.Clause)];
    }

    /// <summary>A CREATE TABLE: its columns and named constraints (a key's constraint also names its index).</summary>
    private static DdlClause TableOf(string table, string body)
    {
        var columns = new List<string>();
        var constraints = new List<(string, char)>();
        string? references = null;
        foreach (var item in SqlText.SplitTopLevel(body))
        {
            if (NamedConstraint().Match(item) is { Success: true } named)
            {
                constraints.Add((SqlText.Name(named.Groups["n"].Value), KindOf(named.Groups["def"].Value)));
                references ??= Referenced(named.Groups["def"].Value);
                continue;
            }

            if (UnnamedConstraint().Match(item) is { Success: true } unnamed)
            {
                var kind = KindOf(unnamed.Value);
                if (kind == 'p')
                {
                    constraints.Add((table + "_pkey", 'p'));
                }

                references ??= Referenced(item);
                continue;
            }

            if (Word().Match(item) is { Success: true } column)
            {
                columns.Add(SqlText.Name(column.Value));
                references ??= Referenced(item);
                if (item.Contains("PRIMARY KEY", StringComparison.OrdinalIgnoreCase))
                {
                    constraints.Add((table + "_pkey", 'p'));
                }
            }
        }

        return new DdlClause(ClauseKind.CreateTable, table, table) { Columns = columns, Constraints = constraints, References = references, Detail = body };
    }

    /// <summary>One action of an ALTER TABLE.</summary>
    private static DdlClause Action(string table, string action)
    {
        if (AddConstraint().Match(action) is { Success: true } constraint)
        {
            var definition = constraint.Groups["def"].Value.Trim();
            var open = definition.IndexOf('(', StringComparison.Ordinal);
            return new DdlClause(ClauseKind.AddConstraint, table, SqlText.Name(constraint.Groups["n"].Value))
            {
                Detail = definition,
                NotValid = NotValid().IsMatch(definition),
                References = Referenced(definition),
                Unique = KindOf(definition) is 'p' or 'u',
                ConstraintKind = KindOf(definition),
                Columns = open < 0 ? [] : [.. SqlText.SplitTopLevel(SqlText.Parenthesised(definition, open) ?? "")],
            };
        }

        if (AddColumn().Match(action) is { Success: true } add)
        {
            return new DdlClause(ClauseKind.AddColumn, table, SqlText.Name(add.Groups["c"].Value))
            {
                Detail = add.Groups["def"].Value.Trim(),
                IfExists = add.Groups["ine"].Success,
                References = Referenced(add.Groups["def"].Value),
            };
        }

        if (AlterColumn().Match(action) is { Success: true } alter)
        {
            var column = SqlText.Name(alter.Groups["c"].Value);
            var change = alter.Groups["change"].Value.Trim();
            var kind = change.StartsWith("SET DEFAULT", StringComparison.OrdinalIgnoreCase) ? ClauseKind.SetDefault
                : change.StartsWith("DROP DEFAULT", StringComparison.OrdinalIgnoreCase) ? ClauseKind.DropDefault
                : DropNotNullText().IsMatch(change) ? ClauseKind.DropNotNull
                : SetNotNullText().IsMatch(change) ? ClauseKind.SetNotNull
                : TypeText().Match(change) is { Success: true } ? ClauseKind.AlterType
                : ClauseKind.OtherAlter;
            var detail = kind switch
            {
                ClauseKind.SetDefault => change["SET DEFAULT".Length..].Trim(),
                ClauseKind.AlterType => TypeText().Match(change).Groups["type"].Value.Trim(),
                _ => change,
            };
            return new DdlClause(kind, table, column) { Detail = detail };
        }

        if (ValidateConstraint().Match(action) is { Success: true } validate)
        {
            return new DdlClause(ClauseKind.ValidateConstraint, table, SqlText.Name(validate.Groups["n"].Value));
        }

        if (DropColumn().Match(action) is { Success: true } dropColumn)
        {
            return new DdlClause(ClauseKind.DropColumn, table, SqlText.Name(dropColumn.Groups["c"].Value)) { IfExists = dropColumn.Groups["ie"].Success };
        }

        if (DropConstraint().Match(action) is { Success: true } dropConstraint)
        {
            return new DdlClause(ClauseKind.DropConstraint, table, SqlText.Name(dropConstraint.Groups["n"].Value)) { IfExists = dropConstraint.Groups["ie"].Success };
        }

        if (Rename().Match(action) is { Success: true } rename)
        {
            var what = rename.Groups["what"].Value;
            return what.Length == 0
                ? new DdlClause(ClauseKind.RenameTable, table, table) { NewName = SqlText.Name(rename.Groups["to"].Value) }
                : new DdlClause(what.StartsWith("CONSTRAINT", StringComparison.OrdinalIgnoreCase) ? ClauseKind.RenameConstraint : ClauseKind.RenameColumn,
                    table, SqlText.Name(rename.Groups["from"].Value)) { NewName = SqlText.Name(rename.Groups["to"].Value) };
        }

        return new DdlClause(ClauseKind.OtherAlter, table) { Detail = action };
    }

    private static char KindOf(string definition)
        => definition.TrimStart() switch
        {
            var d when d.StartsWith("PRIMARY", StringComparison.OrdinalIgnoreCase) => 'p',
            var d when d.StartsWith("UNIQUE", StringComparison.OrdinalIgnoreCase) => 'u',
            var d when d.StartsWith("FOREIGN", StringComparison.OrdinalIgnoreCase) => 'f',
            var d when d.StartsWith("CHECK", StringComparison.OrdinalIgnoreCase) => 'c',
            var d when d.StartsWith("EXCLUDE", StringComparison.OrdinalIgnoreCase) => 'x',
            _ => '?',
        };

    private static string? Referenced(string definition)
        => References().Match(definition) is { Success: true } r ? SqlText.Name(r.Groups["t"].Value) : null;

    [GeneratedRegex(@"\bFOR\s+\w+\s+IN\s+(?<query>SELECT\b.*?)\s+LOOP\b(?<body>.*?)\bEND\s+LOOP\b", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Loop();

    [GeneratedRegex(@"EXECUTE\s+format\s*\(\s*'DROP INDEX %I'", RegexOptions.IgnoreCase)]
    private static partial Regex IndexGuardDrop();

    [GeneratedRegex(@"<>\s*'(?<table>[A-Za-z_][A-Za-z0-9_]*)'::regclass", RegexOptions.IgnoreCase)]
    private static partial Regex GuardedTable();

    [GeneratedRegex(@"EXECUTE\s+format\s*\(\s*'(?<template>(?:[^']|'')*)'\s*,\s*(?<args>[^;]*?)\)\s*;", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Format();

    [GeneratedRegex("%[IsL]")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"\bIF\s+to_regclass\s*\(\s*'(?<name>[^']+)'\s*\)\s+IS\s+NULL\s+THEN\b", RegexOptions.IgnoreCase)]
    private static partial Regex TableAbsent();

    /// <summary>The start of a PL/pgSQL IF (not the IF [NOT] EXISTS of a DDL statement, nor ELSIF) or its END IF.</summary>
    [GeneratedRegex(@"\bEND\s+IF\b|(?<![A-Za-z0-9_$])IF\b(?!\s+(?:NOT\s+)?EXISTS\s+[A-Za-z_""])", RegexOptions.IgnoreCase)]
    private static partial Regex ControlIf();

    [GeneratedRegex(@"IF\s+to_regclass\s*\(\s*'(?<name>[^']+)'\s*\)\s+IS\s+NOT\s+NULL\s+THEN\s+RETURN\s*;", RegexOptions.IgnoreCase)]
    private static partial Regex ReturnIfPresent();

    [GeneratedRegex($@"\bFROM\s+(?!\()(?:(?<s>{Ident})\.)?(?<t>{Ident})(?![A-Za-z0-9_$])(?!\s*\()", RegexOptions.IgnoreCase)]
    private static partial Regex SelectFrom();

    [GeneratedRegex($@"\bCREATE\s+(?:UNLOGGED\s+)?TABLE\s+(?<ine>IF\s+NOT\s+EXISTS\s+)?(?:{Ident}\.)?(?<t>{Ident})\s*\(", RegexOptions.IgnoreCase)]
    private static partial Regex CreateTable();

    [GeneratedRegex($@"\bCREATE\s+(?<u>UNIQUE\s+)?INDEX\s+(?<c>CONCURRENTLY\s+)?(?<ine>IF\s+NOT\s+EXISTS\s+)?(?<n>{Ident})\s+ON\s+(?:ONLY\s+)?(?:{Ident}\.)?(?<t>{Ident})(?:\s+USING\s+\w+)?\s*\(", RegexOptions.IgnoreCase)]
    private static partial Regex CreateIndex();

    [GeneratedRegex($@"\bALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?(?:{Ident}\.)?(?<t>{Ident})\s+(?<actions>[^;]*)", RegexOptions.IgnoreCase)]
    private static partial Regex AlterTable();

    [GeneratedRegex($@"\bDROP\s+(?<what>TABLE|INDEX)\s+(?<c>CONCURRENTLY\s+)?(?<ie>IF\s+EXISTS\s+)?(?<names>(?:{Ident}\.)?{Ident}(?:\s*,\s*(?:{Ident}\.)?{Ident})*)", RegexOptions.IgnoreCase)]
    private static partial Regex DropRelation();

    [GeneratedRegex($@"\bALTER\s+INDEX\s+(?:IF\s+EXISTS\s+)?(?:{Ident}\.)?(?<n>{Ident})\s+RENAME\s+TO\s+(?<to>{Ident})", RegexOptions.IgnoreCase)]
    private static partial Regex RenameIndex();

    [GeneratedRegex($@"\bCREATE\s+(?:OR\s+REPLACE\s+)?(?:CONSTRAINT\s+)?TRIGGER\s+(?<n>{Ident})\b.*?\bON\s+(?:{Ident}\.)?(?<t>{Ident})", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex CreateTrigger();

    [GeneratedRegex($@"\bCOMMENT\s+ON\s+(?:TABLE|COLUMN)\s+(?:{Ident}\.)?(?<t>{Ident})", RegexOptions.IgnoreCase)]
    private static partial Regex CommentOn();

    [GeneratedRegex(@"\b(?:CREATE|DROP|ALTER)\s+(?:OR\s+REPLACE\s+)?(?:SEQUENCE|EXTENSION|FUNCTION|TYPE|VIEW|SCHEMA)\b[^;]*", RegexOptions.IgnoreCase)]
    private static partial Regex OtherDdl();

    [GeneratedRegex($@"^CONSTRAINT\s+(?<n>{Ident})\s+(?<def>.*)$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex NamedConstraint();

    [GeneratedRegex(@"^(?:PRIMARY\s+KEY|UNIQUE|CHECK|FOREIGN\s+KEY|EXCLUDE)\b", RegexOptions.IgnoreCase)]
    private static partial Regex UnnamedConstraint();

    [GeneratedRegex($"^{Ident}")]
    private static partial Regex Word();

    [GeneratedRegex($@"^ADD\s+CONSTRAINT\s+(?<n>{Ident})\s+(?<def>.*)$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex AddConstraint();

    [GeneratedRegex($@"^ADD\s+(?:COLUMN\s+)?(?<ine>IF\s+NOT\s+EXISTS\s+)?(?!CONSTRAINT\b|PRIMARY\b|UNIQUE\b|CHECK\b|FOREIGN\b|EXCLUDE\b)(?<c>{Ident})\s+(?<def>.*)$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex AddColumn();

    [GeneratedRegex($@"^ALTER\s+(?:COLUMN\s+)?(?<c>{Ident})\s+(?<change>.*)$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex AlterColumn();

    [GeneratedRegex(@"^DROP\s+NOT\s+NULL", RegexOptions.IgnoreCase)]
    private static partial Regex DropNotNullText();

    [GeneratedRegex(@"^SET\s+NOT\s+NULL", RegexOptions.IgnoreCase)]
    private static partial Regex SetNotNullText();

    [GeneratedRegex(@"^(?:SET\s+DATA\s+)?TYPE\s+(?<type>.*)$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex TypeText();

    [GeneratedRegex($@"^VALIDATE\s+CONSTRAINT\s+(?<n>{Ident})", RegexOptions.IgnoreCase)]
    private static partial Regex ValidateConstraint();

    [GeneratedRegex($@"^DROP\s+(?:COLUMN\s+)?(?<ie>IF\s+EXISTS\s+)?(?!CONSTRAINT\b)(?<c>{Ident})", RegexOptions.IgnoreCase)]
    private static partial Regex DropColumn();

    [GeneratedRegex($@"^DROP\s+CONSTRAINT\s+(?<ie>IF\s+EXISTS\s+)?(?<n>{Ident})", RegexOptions.IgnoreCase)]
    private static partial Regex DropConstraint();

    [GeneratedRegex($@"^RENAME\s+(?:(?<what>COLUMN|CONSTRAINT)\s+(?<from>{Ident})\s+)?TO\s+(?<to>{Ident})", RegexOptions.IgnoreCase)]
    private static partial Regex Rename();

    [GeneratedRegex(@"\bNOT\s+VALID\b", RegexOptions.IgnoreCase)]
    private static partial Regex NotValid();

    [GeneratedRegex($@"\bREFERENCES\s+(?:{Ident}\.)?(?<t>{Ident})", RegexOptions.IgnoreCase)]
    private static partial Regex References();
}

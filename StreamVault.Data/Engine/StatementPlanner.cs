using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Npgsql;

namespace StreamVault.Data.Engine;

/// <summary>
/// Decides, from the catalog alone, what each statement of a migration will do when the run reaches it: run or be
/// skipped because its objects are present (as its guards decide, or as the engine skips a valid index's concurrent
/// build), the table locks it takes (its own, and the engine's lock-up-front of a step that names several tables,
/// <see cref="StepLocks"/>), and whether it rewrites, scans or indexes its table. Used by <c>plan</c> and by a run,
/// which reports how many statements found their objects present. Reads only the catalog: a loop's catalog query
/// is evaluated when it reads nothing but <c>pg_catalog</c>; nothing of a table is read.
/// </summary>
/// <param name="connection">Where the loops' catalog queries are evaluated.</param>
/// <param name="catalog">The catalog the statements are judged against; it follows them as they are planned.</param>
/// <param name="modelTables">The model's tables (for the engine's lock-up-front of a step).</param>
/// <param name="inTransaction">
/// The connection is in a transaction (plan's read-only one): a catalog query that fails (a cast to a table the run
/// creates) is undone to a savepoint, so the transaction goes on.
/// </param>
internal sealed partial class StatementPlanner(NpgsqlConnection connection, PlannedCatalog catalog, IReadOnlyList<string> modelTables, bool inTransaction = false)
{
    public PlannedCatalog Catalog => catalog;

    /// <summary>The plan of one migration's statements, in order; the catalog then holds what they leave behind.</summary>
    public async Task<IReadOnlyList<StatementPlan>> PlanAsync(
        string migration, IReadOnlyList<ParsedStatement> statements, bool async, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statements);
        var plans = new List<StatementPlan>(statements.Count);
        var i = 0;
        while (i < statements.Count)
        {
            // A step: one statement outside a transaction, or consecutive transactional ones (one transaction).
            var end = i + 1;
            if (statements[i].Transactional)
            {
                while (end < statements.Count && statements[end].Transactional)
                {
                    end++;
                }
            }

            var step = statements.Skip(i).Take(end - i).ToList();
            var stepLocks = StepLocks.For([.. step.Select(s => s.Sql)], modelTables);
            var existingAtStart = stepLocks.Tables.Where(catalog.TableExists).ToList();
            var stepPlans = new List<StatementPlan>(step.Count);
            foreach (var statement in step)
            {
                stepPlans.Add(await PlanStatementAsync(migration, i + stepPlans.Count, statement, async, cancellationToken));
            }

            // The engine's lock-up-front (StepLocks): a transactional step naming two or more model tables, with work,
            // takes ACCESS EXCLUSIVE on every one of them that exists when it starts, for the whole step.
            if (statements[i].Transactional && stepLocks.SpansTables && stepPlans.Any(p => p.Verdict == StatementVerdict.Run))
            {
                stepPlans = [.. stepPlans.Select(p => p with
                {
                    Locks = Merge(p.Locks.Concat(existingAtStart.Select(t =>
                        new TableLock(t, LockModes.AccessExclusive, "the engine locks the step's tables up front (the step names several tables)")))),
                })];
            }

            plans.AddRange(stepPlans);
            i = end;
        }

        return plans;
    }

    private async Task<StatementPlan> PlanStatementAsync(
        string migration, int index, ParsedStatement statement, bool async, CancellationToken cancellationToken)
    {
        switch (statement.Form)
        {
            case StatementForm.IndexGuard:
                return await IndexGuardAsync(migration, index, statement, async, cancellationToken);
            case StatementForm.Loop:
            {
                var rows = await EvaluateAsync(statement.LoopQuery, async, cancellationToken);
                var onNewTables = catalog.CreatedTables.Where(t => Mentions(statement.Sql, t)).ToList();
                if (rows is null || onNewTables.Count > 0)
                {
                    return Plan(index, statement, StatementVerdict.Run,
                        [onNewTables.Count > 0 ? $"acts on {string.Join(", ", onNewTables)}, which this run creates" : "its effect is decided at run time"],
                        [], StatementWork.Catalog, null);
                }

                var looped = rows.Select(r => StatementParser.LoopClause(statement.LoopTemplate!, [.. statement.LoopArguments.Select(a => r.GetValueOrDefault(a, ""))]))
                    .OfType<DdlClause>()
                    .ToList();
                var plan = Decide(migration, index, statement, [.. looped, .. statement.Clauses]);
                return looped.Count == 0 && plan.Verdict == StatementVerdict.Skip
                    ? plan with { Reasons = ["nothing to change: its catalog query finds nothing that differs", .. plan.Reasons] }
                    : plan;
            }

            case StatementForm.Check or StatementForm.Other:
                return Check(index, statement);
            default:
                return Decide(migration, index, statement, statement.Clauses);
        }
    }

    /// <summary>A statement with DDL: each clause runs where its object is not yet as it wants it.</summary>
    private StatementPlan Decide(string migration, int index, ParsedStatement statement, IReadOnlyList<DdlClause> clauses)
    {
        var reasons = new List<string>();
        var locks = new List<TableLock>();
        var work = StatementWork.None;
        string? workTable = null;
        var runs = false;
        var uniqueKeys = new List<UniqueKey>();
        var added = new HashSet<(string, string)>();
        var absentAtStart = clauses.Select(c => c.OnlyWhenAbsent).OfType<string>().Where(t => !catalog.TableExists(t)).ToHashSet(StringComparer.Ordinal);
        foreach (var clause in clauses)
        {
            if (clause.OnlyWhenAbsent is { } onlyWhenAbsent && !absentAtStart.Contains(onlyWhenAbsent))
            {
                // In the branch that creates a table that is present: the block does not enter it.
                continue;
            }

            if (clause.OfAddedColumn && !added.Contains((clause.Table, clause.Name!)))
            {
                // Part of an ADD COLUMN that does not run (the column exists).
                continue;
            }

            var (needed, reason) = Needed(clause);
            needed |= clause.OfAddedColumn;
            if (needed && clause.Kind == ClauseKind.AddColumn)
            {
                added.Add((clause.Table, clause.Name!));
            }

            // Unguarded DDL other than IF NOT EXISTS creations and the engine-skipped concurrent builds takes its lock anyway.
            var locksAnyway = !needed && !clause.Guarded && !SkipsWithoutLock(clause);
            reasons.Add(locksAnyway ? reason + ", but the statement takes its lock anyway (not guarded)" : reason);
            if (!needed && !locksAnyway)
            {
                continue;
            }

            runs = true;
            var table = TableOf(clause);
            locks.AddRange(LocksOf(clause, table));
            if (needed)
            {
                var clauseWork = WorkOf(clause);
                if (clauseWork > work)
                {
                    (work, workTable) = (clauseWork, table);
                }

                if (clause is { Kind: ClauseKind.CreateIndex, Unique: true } || clause is { Kind: ClauseKind.AddConstraint, ConstraintKind: 'p' or 'u' })
                {
                    uniqueKeys.Add(new UniqueKey(table, clause.Name!, clause.Columns));
                }

                catalog.Apply(clause);
            }
            else if (work == StatementWork.None)
            {
                (work, workTable) = (StatementWork.Catalog, table);
            }
        }

        return Plan(index, statement, runs ? StatementVerdict.Run : StatementVerdict.Skip, reasons, locks, work, workTable) with
        {
            UniqueKeys = uniqueKeys,
        };
    }

    /// <summary>Whether a clause changes something now, and the phrase that says what or why not.</summary>
    private (bool Needed, string Reason) Needed(DdlClause clause)
    {
        var t = clause.Table;
        var n = clause.Name ?? "";
        switch (clause.Kind)
        {
            case ClauseKind.CreateTable:
                return catalog.TableExists(t) ? (false, $"table {t} exists") : (true, $"creates table {t}");
            case ClauseKind.CreateIndex:
                return catalog.Index(n) is { Valid: true }
                    ? (false, $"index {n} exists")
                    : (true, $"builds {(clause.Unique ? "unique " : "")}index {n} on {t}{(clause.Concurrently ? " concurrently" : "")}");
            case ClauseKind.AddColumn:
                return catalog.Column(t, n) is not null ? (false, $"column {t}.{n} exists") : (true, $"adds column {t}.{n}");
            case ClauseKind.DropColumn:
                return catalog.Column(t, n) is null ? (false, $"column {t}.{n} is gone") : (true, $"drops column {t}.{n}");
            case ClauseKind.SetDefault:
            {
                var column = catalog.Column(t, n);
                return column is not null && Same(column.Default, clause.Detail)
                    ? (false, $"{t}.{n} has its default")
                    : (true, $"sets the default of {t}.{n}");
            }

            case ClauseKind.DropDefault:
                return catalog.Column(t, n) is { Default: null } ? (false, $"{t}.{n} has no default") : (true, $"drops the default of {t}.{n}");
            case ClauseKind.DropNotNull:
                return catalog.Column(t, n) is { NotNull: false } ? (false, $"{t}.{n} is nullable") : (true, $"makes {t}.{n} nullable");
            case ClauseKind.SetNotNull:
                return catalog.Column(t, n) is { NotNull: true } ? (false, $"{t}.{n} is NOT NULL") : (true, $"makes {t}.{n} NOT NULL");
            case ClauseKind.AlterType:
                return catalog.Column(t, n) is { } typed && SameType(typed.Type, clause.Detail)
                    ? (false, $"{t}.{n} has type {typed.Type}")
                    : (true, $"changes the type of {t}.{n} to {clause.Detail.ToLowerInvariant()}");
            case ClauseKind.AddConstraint:
            {
                var present = clause.ConstraintKind == 'p' ? catalog.HasPrimaryKey(t) : catalog.Constraint(t, n) is not null;
                return present ? (false, $"constraint {n} exists") : (true, $"adds constraint {n} on {t}{(clause.NotValid ? " NOT VALID" : "")}");
            }

            case ClauseKind.ValidateConstraint:
                return catalog.Constraint(t, n) is { Validated: true } ? (false, $"constraint {n} is validated") : (true, $"validates constraint {n} on {t}");
            case ClauseKind.DropConstraint:
                return catalog.Constraint(t, n) is null ? (false, $"constraint {n} is gone") : (true, $"drops constraint {n} of {t}");
            case ClauseKind.DropIndex:
                return catalog.Index(n) is null ? (false, $"index {n} is gone") : (true, $"drops index {n}");
            case ClauseKind.DropTable:
                return catalog.TableExists(n) ? (true, $"drops table {n}") : (false, $"table {n} is gone");
            case ClauseKind.RenameColumn:
                return catalog.Column(t, clause.NewName!) is not null && catalog.Column(t, n) is null
                    ? (false, $"column {t}.{clause.NewName} exists")
                    : (true, $"renames column {t}.{n} to {clause.NewName}");
            case ClauseKind.RenameConstraint:
                return catalog.Constraint(t, clause.NewName!) is not null && catalog.Constraint(t, n) is null
                    ? (false, $"constraint {clause.NewName} exists")
                    : (true, $"renames constraint {n} to {clause.NewName}");
            case ClauseKind.RenameIndex:
                return catalog.Index(clause.NewName!) is not null && catalog.Index(n) is null
                    ? (false, $"index {clause.NewName} exists")
                    : (true, $"renames index {n} to {clause.NewName}");
            case ClauseKind.RenameTable:
                return catalog.TableExists(clause.NewName!) && !catalog.TableExists(t)
                    ? (false, $"table {clause.NewName} exists")
                    : (true, $"renames table {t} to {clause.NewName}");
            case ClauseKind.CreateTrigger:
                return (true, $"creates trigger {n} on {t}");
            case ClauseKind.Comment:
                return (true, $"sets a comment on {t}");
            case ClauseKind.Other:
                return (true, n.Split('\n')[0].Trim());
            default:
                return (true, $"alters table {t}: {clause.Detail.Split('\n')[0].Trim()}");
        }
    }

    /// <summary>
    /// Unguarded statements that change nothing without a table lock where their object is present: CREATE TABLE IF NOT
    /// EXISTS (checks the name first) and a concurrent build, which the engine does not even send when its index is valid.
    /// </summary>
    private static bool SkipsWithoutLock(DdlClause clause)
        => clause is { Kind: ClauseKind.CreateTable, IfExists: true } or { Kind: ClauseKind.CreateIndex, Concurrently: true, IfExists: true }
            or { Kind: ClauseKind.DropIndex or ClauseKind.DropTable, IfExists: true };

    /// <summary>The table a clause works on (a dropped or renamed index's is looked up).</summary>
    private string TableOf(DdlClause clause)
        => clause.Table.Length > 0 ? clause.Table
            : clause.Kind is ClauseKind.DropIndex or ClauseKind.RenameIndex ? catalog.Index(clause.Name ?? "")?.Table ?? catalog.Live.Indexes.GetValueOrDefault(clause.Name ?? "")?.Table ?? ""
            : "";

    /// <summary>The locks a clause takes, by PostgreSQL's rules for each command.</summary>
    private IEnumerable<TableLock> LocksOf(DdlClause clause, string table)
    {
        var what = Describe(clause);
        switch (clause.Kind)
        {
            case ClauseKind.CreateTable:
                // A new table is no one else's yet; a foreign key to an existing one locks that one against writes.
                if (clause.References is { } referenced && catalog.TableExists(referenced))
                {
                    yield return new TableLock(referenced, LockModes.ShareRowExclusive, $"the foreign key of new table {clause.Table}");
                }

                yield break;
            case ClauseKind.CreateIndex:
                yield return new TableLock(table, clause.Concurrently ? LockModes.ShareUpdateExclusive : LockModes.Share, what);
                yield break;
            case ClauseKind.ValidateConstraint:
                yield return new TableLock(table, LockModes.ShareUpdateExclusive, what);
                if (catalog.Constraint(table, clause.Name ?? "")?.References is { } validatedReference)
                {
                    yield return new TableLock(validatedReference, LockModes.RowShare, what);
                }

                yield break;
            case ClauseKind.AddConstraint when clause.ConstraintKind == 'f':
                yield return new TableLock(table, LockModes.ShareRowExclusive, what);
                if (clause.References is { } foreignTable && foreignTable != table)
                {
                    yield return new TableLock(foreignTable, LockModes.ShareRowExclusive, what);
                }

                yield break;
            case ClauseKind.AddColumn when clause.References is { } columnReference:
                yield return new TableLock(table, LockModes.AccessExclusive, what);
                yield return new TableLock(columnReference, LockModes.ShareRowExclusive, what);
                yield break;
            case ClauseKind.CreateTrigger:
                yield return new TableLock(table, LockModes.ShareRowExclusive, what);
                yield break;
            case ClauseKind.Comment:
                yield return new TableLock(table, LockModes.ShareUpdateExclusive, what);
                yield break;
            case ClauseKind.DropIndex:
                yield return new TableLock(table, clause.Concurrently ? LockModes.ShareUpdateExclusive : LockModes.AccessExclusive, what);
                yield break;
            case ClauseKind.Other:
                yield break;
            default:
                if (table.Length > 0)
                {
                    yield return new TableLock(table, LockModes.AccessExclusive, what);
                }

                yield break;
        }
    }

    /// <summary>What a clause that runs does to its table's rows.</summary>
    private StatementWork WorkOf(DdlClause clause)
        => clause.Kind switch
        {
            ClauseKind.CreateIndex => StatementWork.IndexBuild,
            ClauseKind.AddColumn => RewritingDefault().IsMatch(clause.Detail) ? StatementWork.Rewrite : StatementWork.Catalog,
            ClauseKind.AlterType => catalog.Column(clause.Table, clause.Name ?? "") is { } column && BinaryCoercible(column.Type, clause.Detail)
                ? StatementWork.Catalog
                : StatementWork.Rewrite,
            ClauseKind.SetNotNull or ClauseKind.ValidateConstraint => StatementWork.Scan,
            ClauseKind.AddConstraint => clause.NotValid || clause.ConstraintKind is not ('c' or 'f' or 'p' or 'u') ? StatementWork.Catalog
                : clause.ConstraintKind is 'p' or 'u' ? UsingIndex().IsMatch(clause.Detail) ? StatementWork.Catalog : StatementWork.IndexBuild
                : StatementWork.Scan,
            _ => StatementWork.Catalog,
        };

    /// <summary>A check: changes nothing; a check that reads a table takes ACCESS SHARE on it and may scan it.</summary>
    private StatementPlan Check(int index, ParsedStatement statement)
    {
        if (statement.ReturnsIfPresent is { } present && catalog.RelationExists(present))
        {
            return Plan(index, statement, StatementVerdict.Skip, [$"{present} exists: the check returns at once"], [], StatementWork.None, null);
        }

        var reads = statement.Reads.Where(r => catalog.TableExists(r.Table)).ToList();
        var scan = reads.FirstOrDefault(r => r.Scans);
        return Plan(index, statement, StatementVerdict.Check,
            reads.Count == 0 ? ["checks the catalog; changes nothing"] : [.. reads.Select(r => $"reads {r.Table}{(r.Scans ? " (every row)" : "")}; changes nothing")],
            [.. reads.Select(r => new TableLock(r.Table, LockModes.AccessShare, "its check reads the table"))],
            scan.Table is null ? StatementWork.None : StatementWork.Scan, scan.Table);
    }

    /// <summary>
    /// The index guard before concurrent builds: an INVALID leftover of a wanted index is dropped (ACCESS EXCLUSIVE, instant),
    /// a valid index of the name with another definition stops the run.
    /// </summary>
    private async Task<StatementPlan> IndexGuardAsync(string migration, int index, ParsedStatement statement, bool async, CancellationToken cancellationToken)
    {
        var rows = await EvaluateAsync(statement.LoopQuery, async, cancellationToken) ?? [];
        var reasons = new List<string>();
        var locks = new List<TableLock>();
        var findings = new List<PlanFinding>();
        foreach (var row in rows)
        {
            var name = row.GetValueOrDefault("name", "");
            var table = row.GetValueOrDefault("table_name", statement.GuardTable ?? "");
            var unique = row.GetValueOrDefault("is_unique", "false") == "true";
            var method = row.GetValueOrDefault("method", "");
            if (catalog.Index(name) is not { } existing)
            {
                continue;
            }

            if (!existing.Valid)
            {
                reasons.Add($"drops the INVALID leftover index {name} (a failed build) before rebuilding it");
                locks.Add(new TableLock(existing.Table, LockModes.AccessExclusive, $"DROP INDEX {name}"));
                catalog.Apply(new DdlClause(ClauseKind.DropIndex, existing.Table, name));
            }
            // An index this run builds earlier (no definition known yet) is the run's own, not another definition.
            else if (existing.Definition.Length > 0 && (existing.Table != table || existing.Unique != unique || !existing.Definition.EndsWith(" USING " + method, StringComparison.Ordinal)))
            {
                findings.Add(new PlanFinding(migration, "definition",
                    $"index {name} exists with another definition: found \"{existing.Definition}\", expected \"CREATE {(unique ? "UNIQUE " : "")}INDEX {name} ON {table} USING {method}\"; the run stops here until it is dropped or renamed",
                    Certain: true));
            }
        }

        return Plan(index, statement, locks.Count > 0 ? StatementVerdict.Run : StatementVerdict.Check,
            reasons.Count > 0 ? reasons : findings.Count > 0 ? ["stops the run: an index of a wanted name has another definition"] : ["finds no leftover of a failed build; changes nothing"],
            locks, locks.Count > 0 ? StatementWork.Catalog : StatementWork.None, locks.FirstOrDefault()?.Table) with
        {
            Findings = findings,
        };
    }

    private StatementPlan Plan(
        int index, ParsedStatement statement, StatementVerdict verdict, IReadOnlyList<string> reasons, IEnumerable<TableLock> locks, StatementWork work, string? table)
    {
        var rows = table is null ? null : catalog.Rows(table);
        var rowsText = CatalogSnapshot.DescribeRows(rows);
        var duration = work switch
        {
            StatementWork.Scan => $"scan over {rowsText}",
            StatementWork.IndexBuild => $"index build over {rowsText}",
            StatementWork.Rewrite => $"rewrite of {rowsText}",
            _ => "instant",
        };
        return new StatementPlan(index, statement.Summary, statement.Transactional, verdict, reasons, Merge(locks), work, table,
            work == StatementWork.None ? null : rows, duration);
    }

    /// <summary>The strongest mode per table, first reason kept, in the order the tables first appear.</summary>
    private static IReadOnlyList<TableLock> Merge(IEnumerable<TableLock> locks)
        => [.. locks.Where(l => l.Table.Length > 0).GroupBy(l => l.Table, StringComparer.Ordinal)
            .Select(g => g.Aggregate((a, b) => LockModes.Strength(b.Mode) > LockModes.Strength(a.Mode) ? b : a))];

    /// <summary>
    /// A loop's catalog query, run as it is when it reads only pg_catalog (and VALUES): each row's fields as text.
    /// Null when the query reads anything else (a table's rows are never read here) or fails.
    /// </summary>
    private async Task<List<Dictionary<string, string>>?> EvaluateAsync(string? query, bool async, CancellationToken cancellationToken)
    {
        if (query is null || !ReadsOnlyCatalog(query))
        {
            return null;
        }

        var rows = new List<Dictionary<string, string>>();
        if (inTransaction)
        {
            await ExecuteAsync("SAVEPOINT streamvault_plan_query", async, cancellationToken);
        }

        try
        {
            await using var command = new NpgsqlCommand($"SELECT to_jsonb(q)::text FROM ({query}) AS q", connection);
            await using var reader = async ? await command.ExecuteReaderAsync(cancellationToken) : command.ExecuteReader();
            while (async ? await reader.ReadAsync(cancellationToken) : reader.Read())
            {
                using var json = JsonDocument.Parse(reader.GetString(0));
                rows.Add(json.RootElement.EnumerateObject().ToDictionary(
                    p => p.Name,
                    p => p.Value.ValueKind switch
                    {
                        JsonValueKind.String => p.Value.GetString()!,
                        JsonValueKind.True => "true",
                        JsonValueKind.False => "false",
                        _ => p.Value.GetRawText(),
                    },
                    StringComparer.Ordinal));
            }
        }
        catch (PostgresException)
        {
            if (inTransaction)
            {
                await ExecuteAsync("ROLLBACK TO SAVEPOINT streamvault_plan_query; RELEASE SAVEPOINT streamvault_plan_query", async, cancellationToken);
            }

            return null;
        }

        if (inTransaction)
        {
            await ExecuteAsync("RELEASE SAVEPOINT streamvault_plan_query", async, cancellationToken);
        }

        return rows;
    }

    private async Task ExecuteAsync(string sql, bool async, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        _ = async ? await command.ExecuteNonQueryAsync(cancellationToken) : command.ExecuteNonQuery();
    }

    /// <summary>Every relation the query names after FROM or JOIN is a pg_catalog one; functions and VALUES are fine.</summary>
    internal static bool ReadsOnlyCatalog(string query)
        => Relations().Matches(SqlText.Blanked(query)).All(m =>
            SqlText.Name(m.Groups["t"].Value).StartsWith("pg_", StringComparison.Ordinal)
            || (m.Groups["s"].Success && SqlText.Name(m.Groups["s"].Value) == "pg_catalog"));

    private static bool Mentions(string sql, string table)
        => Regex.IsMatch(sql, $"(?<![A-Za-z0-9_$]){Regex.Escape(table)}(?![A-Za-z0-9_$])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private static string Describe(DdlClause clause) => clause.Kind switch
    {
        ClauseKind.CreateIndex => $"CREATE {(clause.Unique ? "UNIQUE " : "")}INDEX{(clause.Concurrently ? " CONCURRENTLY" : "")} {clause.Name}",
        ClauseKind.AddColumn => $"ADD COLUMN {clause.Name}",
        ClauseKind.AddConstraint => $"ADD CONSTRAINT {clause.Name}{(clause.ConstraintKind == 'f' ? " FOREIGN KEY" : "")}{(clause.NotValid ? " NOT VALID" : "")}",
        ClauseKind.ValidateConstraint => $"VALIDATE CONSTRAINT {clause.Name}",
        ClauseKind.SetDefault => $"ALTER COLUMN {clause.Name} SET DEFAULT",
        ClauseKind.DropDefault => $"ALTER COLUMN {clause.Name} DROP DEFAULT",
        ClauseKind.DropNotNull => $"ALTER COLUMN {clause.Name} DROP NOT NULL",
        ClauseKind.SetNotNull => $"ALTER COLUMN {clause.Name} SET NOT NULL",
        ClauseKind.AlterType => $"ALTER COLUMN {clause.Name} TYPE",
        ClauseKind.DropColumn => $"DROP COLUMN {clause.Name}",
        ClauseKind.DropConstraint => $"DROP CONSTRAINT {clause.Name}",
        ClauseKind.DropIndex => $"DROP INDEX{(clause.Concurrently ? " CONCURRENTLY" : "")} {clause.Name}",
        ClauseKind.DropTable => $"DROP TABLE {clause.Name}",
        ClauseKind.CreateTrigger => $"CREATE TRIGGER {clause.Name}",
        ClauseKind.Comment => "COMMENT ON",
        ClauseKind.RenameColumn or ClauseKind.RenameConstraint or ClauseKind.RenameTable or ClauseKind.RenameIndex => $"RENAME {clause.Name} TO {clause.NewName}",
        _ => "ALTER TABLE",
    };

    /// <summary>Two default expressions alike once casts, parentheses and case are set aside.</summary>
    private static bool Same(string? existing, string wanted)
        => existing is not null && string.Equals(Normalize(existing), Normalize(wanted), StringComparison.Ordinal);

    private static string Normalize(string expression)
        => Cast().Replace(expression, "").Replace("(", "", StringComparison.Ordinal).Replace(")", "", StringComparison.Ordinal)
            .Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant() switch
        {
            "current_timestamp" => "now",
            var e => e,
        };

    /// <summary>Whether a column of type <paramref name="current"/> already has <paramref name="wanted"/> (as format_type prints it).</summary>
    private static bool SameType(string current, string wanted) => TypeName(current) == TypeName(wanted);

    /// <summary>
    /// A type change PostgreSQL makes in the catalog only: to text or unbounded varchar from any varchar or text, and
    /// to a longer varchar; anything else rewrites the table and its indexes.
    /// </summary>
    private static bool BinaryCoercible(string current, string wanted)
    {
        var from = TypeName(current);
        var to = TypeName(wanted);
        if (from == to)
        {
            return true;
        }

        var fromText = from is "text" || from.StartsWith("character varying", StringComparison.Ordinal);
        if (fromText && to is "text" or "character varying")
        {
            return true;
        }

        return VarcharLength(from) is { } fromLength && VarcharLength(to) is { } toLength && toLength >= fromLength;
    }

    private static string TypeName(string type)
    {
        var t = type.Trim().ToLowerInvariant();
        return VarcharName().Replace(t, "character varying");
    }

    private static int? VarcharLength(string type)
        => VarcharLengthPattern().Match(type) is { Success: true } m ? int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture) : null;

    [GeneratedRegex(@"\bserial\b|\bbigserial\b|\bsmallserial\b|\bnextval\s*\(|\brandom\s*\(|\bclock_timestamp\s*\(|\bgen_random_uuid\s*\(|\buuid_generate_v\d\w*\s*\(|\btimeofday\s*\(|\bGENERATED\s+ALWAYS\s+AS\s*\(.*\)\s*STORED|\bGENERATED\s+(?:ALWAYS|BY\s+DEFAULT)\s+AS\s+IDENTITY", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex RewritingDefault();

    [GeneratedRegex(@"\bUSING\s+INDEX\b", RegexOptions.IgnoreCase)]
    private static partial Regex UsingIndex();

    [GeneratedRegex("""\b(?:FROM|JOIN)\s+(?!\()(?:(?<s>"[^"]+"|[A-Za-z_][A-Za-z0-9_$]*)\.)?(?<t>"[^"]+"|[A-Za-z_][A-Za-z0-9_$]*)(?![A-Za-z0-9_$])(?!\s*\()""", RegexOptions.IgnoreCase)]
    private static partial Regex Relations();

    [GeneratedRegex(@"::[a-z ]+(?:\([0-9, ]*\))?", RegexOptions.IgnoreCase)]
    private static partial Regex Cast();

    [GeneratedRegex(@"^varchar\b")]
    private static partial Regex VarcharName();

    [GeneratedRegex(@"^character varying\((?<n>\d+)\)$")]
    private static partial Regex VarcharLengthPattern();
}

using StreamVault.Data.Engine;

namespace StreamVault.Data.Operations;

/// <summary>What a run will do to one migration.</summary>
internal enum PlannedAction
{
    /// <summary>Its statements run (each is planned: run, skip or check).</summary>
    Apply,

    /// <summary>Recorded without running: a released migration whose objects are present (or will be, when its turn comes).</summary>
    Adopt,

    /// <summary>Its Down runs (a target below the current migration).</summary>
    Revert,
}

/// <summary>One migration a run will apply, adopt or revert, with the plan of each of its statements.</summary>
/// <param name="Id">Its EF id.</param>
/// <param name="LedgerName">Its name in <c>applied_migrations</c>.</param>
/// <param name="Action">Apply, adopt or revert.</param>
/// <param name="Note">Why it is adopted, or that it failed before (it runs again).</param>
/// <param name="Statements">Its statements (EF's commands of Up, or of Down for a revert), in order; none when adopted.</param>
internal sealed record PlannedMigration(string Id, string LedgerName, PlannedAction Action, string? Note, IReadOnlyList<StatementPlan> Statements);

/// <summary>A table the run touches: its estimated rows and size, and the strongest lock any statement takes on it.</summary>
/// <param name="Name">The table.</param>
/// <param name="EstimatedRows">Rows by the catalog's estimate (0 for a table the run creates), null when unknown.</param>
/// <param name="RowsSource"><c>reltuples</c>, <c>statistics</c>, <c>unknown</c>, or <c>created by this run</c>.</param>
/// <param name="SizeBytes"><c>pg_total_relation_size</c> (table, indexes, TOAST), null for a new table or one that was locked.</param>
/// <param name="StrongestLock">The strongest mode a statement takes on it (<c>ACCESS EXCLUSIVE</c>, …).</param>
internal sealed record PlannedTable(string Name, long? EstimatedRows, string RowsSource, long? SizeBytes, string StrongestLock);

/// <summary>The plan's sums: migrations, statements by verdict, and the heavy work by kind.</summary>
internal sealed record PlanTotals(
    int Migrations, int Adopted, int Statements, int Run, int Skipped, int Checks, int IndexBuilds, long RowsIndexed, int Scans, long RowsScanned,
    int Rewrites, long RowsRewritten, IReadOnlyList<string> AccessExclusiveTables);

/// <summary>
/// <c>plan</c>: what a run of <c>migrate [target]</c> would do to the database, read from the catalog without running
/// anything. JSON: <c>{database, server, target, direction: up|down|none, upToDate, hasPending, checkedData,
/// migrations: [{id, ledgerName, action: apply|adopt|revert, note, statements: [{index, summary, transactional,
/// verdict: run|skip|check, reasons, locks: [{table, mode, why}], work: none|catalog|scan|indexBuild|rewrite, table,
/// rows, duration, rewrites, readsEveryRow, findings, uniqueKeys}]}], tables: [{name, estimatedRows, rowsSource,
/// sizeBytes, strongestLock}], totals, refusals: [{migration, kind, message, certain}], unchecked: [the same], ledgerNote, rehearsal}</c>.
/// </summary>
/// <param name="Database">The database planned for.</param>
/// <param name="Server">host:port.</param>
/// <param name="Target">The target as given (null: the latest).</param>
/// <param name="Direction"><c>up</c> (apply), <c>down</c> (revert) or <c>none</c> (nothing to do).</param>
/// <param name="HasPending">Some migration is not applied (pending or failed), as <c>status --fail-on-pending</c> judges it.</param>
/// <param name="CheckedData">Whether the data checks ran (<c>--check-data</c>: duplicates and a revert's rows counted, reading those tables).</param>
/// <param name="Migrations">In the order the run takes them.</param>
/// <param name="Tables">The tables the run touches, by name.</param>
/// <param name="Refusals">What would stop the run, in the order it would meet them.</param>
/// <param name="Unchecked">What the plan could not judge without reading rows (<c>--check-data</c> does): not refusals.</param>
/// <param name="LedgerNote">What the run does to the ledger alone (missing rows or columns), null when nothing.</param>
internal sealed record PlanReport(
    string Database, string Server, string? Target, string Direction, bool HasPending, bool CheckedData,
    IReadOnlyList<PlannedMigration> Migrations, IReadOnlyList<PlannedTable> Tables, IReadOnlyList<PlanFinding> Refusals,
    IReadOnlyList<PlanFinding> Unchecked, string? LedgerNote)
{
    /// <summary>Nothing to apply, adopt or revert (the ledger may still be reconciled: <see cref="LedgerNote"/>).</summary>
    public bool UpToDate => Migrations.Count == 0;

    /// <summary>The plan's sums.</summary>
    public PlanTotals Totals
    {
        get
        {
            var statements = Migrations.SelectMany(m => m.Statements).ToList();
            var ran = statements.Where(s => s.Verdict != StatementVerdict.Skip).ToList();
            return new PlanTotals(
                Migrations.Count,
                Migrations.Count(m => m.Action == PlannedAction.Adopt),
                statements.Count,
                statements.Count(s => s.Verdict == StatementVerdict.Run),
                statements.Count(s => s.Verdict == StatementVerdict.Skip),
                statements.Count(s => s.Verdict == StatementVerdict.Check),
                ran.Count(s => s.Work == StatementWork.IndexBuild),
                ran.Where(s => s.Work == StatementWork.IndexBuild).Sum(s => s.Rows ?? 0),
                ran.Count(s => s.Work == StatementWork.Scan),
                ran.Where(s => s.Work == StatementWork.Scan).Sum(s => s.Rows ?? 0),
                ran.Count(s => s.Work == StatementWork.Rewrite),
                ran.Where(s => s.Work == StatementWork.Rewrite).Sum(s => s.Rows ?? 0),
                [.. Tables.Where(t => t.StrongestLock == LockModes.AccessExclusive).Select(t => t.Name)]);
        }
    }

    /// <summary>The measurements of <c>--rehearse-on</c>, null without it.</summary>
    public RehearsalReport? Rehearsal { get; init; }
}

namespace StreamVault.Data.Engine;

/// <summary>Whether a statement will change something when the run reaches it.</summary>
internal enum StatementVerdict
{
    /// <summary>It changes something (or takes its lock even though its object is present).</summary>
    Run,

    /// <summary>Its objects are present: its guards let it through without change and without a table lock.</summary>
    Skip,

    /// <summary>It only checks (a refusal, a notice, a leftover to drop that is not there): it changes nothing.</summary>
    Check,
}

/// <summary>What a statement costs the table it works on, from cheapest to dearest.</summary>
internal enum StatementWork
{
    /// <summary>Nothing: skipped, or a check of the catalog.</summary>
    None,

    /// <summary>A change of the catalog only: instant whatever the table's size.</summary>
    Catalog,

    /// <summary>Reads every row (a validation, a duplicate check, SET NOT NULL).</summary>
    Scan,

    /// <summary>Builds an index over every row.</summary>
    IndexBuild,

    /// <summary>Writes the table anew, with its indexes.</summary>
    Rewrite,
}

/// <summary>A table lock a statement takes: the mode, and why.</summary>
/// <param name="Table">The table.</param>
/// <param name="Mode">PostgreSQL's name of the mode (<see cref="LockModes"/>), e.g. <c>ACCESS EXCLUSIVE</c>.</param>
/// <param name="Why">What takes it, e.g. <c>ADD COLUMN is_favorite</c> or <c>the engine locks the step's tables up front</c>.</param>
internal sealed record TableLock(string Table, string Mode, string Why);

/// <summary>Something a run would stop at (a refusal), found while planning; <see cref="Certain"/> when read from the catalog, not estimated.</summary>
/// <param name="Migration">The migration that would stop.</param>
/// <param name="Kind"><c>definition</c> (an index of another definition), <c>duplicates</c> (values a unique index to come finds twice), <c>revert</c> (a revert's blocker).</param>
/// <param name="Message">What stands in the way, one sentence.</param>
/// <param name="Certain">False for an estimate (planner statistics), true when counted or read from the catalog.</param>
internal sealed record PlanFinding(string Migration, string Kind, string Message, bool Certain);

/// <summary>A unique index a statement will build (a duplicate of its key would stop the run).</summary>
internal sealed record UniqueKey(string Table, string Index, IReadOnlyList<string> Columns);

/// <summary>
/// One statement of a migration as the plan sees it: will it run or be skipped, why, the table locks it takes, and the
/// work it does to which table over how many rows.
/// </summary>
/// <param name="Index">Its position among the migration's statements (EF's commands of Up or Down), from 0.</param>
/// <param name="Summary">Its first line.</param>
/// <param name="Transactional">False when it runs outside a transaction (concurrent builds, validations).</param>
/// <param name="Verdict">Run, skip or check.</param>
/// <param name="Reasons">What it does or why it is skipped, one phrase per object (<c>adds column streamers.is_favorite</c>).</param>
/// <param name="Locks">The table locks it takes, strongest per table.</param>
/// <param name="Work">Its dearest work.</param>
/// <param name="Table">The table of that work.</param>
/// <param name="Rows">That table's estimated rows, null when unknown.</param>
/// <param name="Duration">The duration class: <c>instant</c>, <c>scan over ~N rows</c>, <c>index build over ~N rows</c>, <c>rewrite of ~N rows</c>.</param>
internal sealed record StatementPlan(
    int Index, string Summary, bool Transactional, StatementVerdict Verdict, IReadOnlyList<string> Reasons, IReadOnlyList<TableLock> Locks,
    StatementWork Work, string? Table, long? Rows, string Duration)
{
    /// <summary>Whether the statement writes its table anew (a rewrite changes the table's file node).</summary>
    public bool Rewrites => Work == StatementWork.Rewrite;

    /// <summary>Whether it reads every row of its table (a scan, an index build or a rewrite).</summary>
    public bool ReadsEveryRow => Work is StatementWork.Scan or StatementWork.IndexBuild or StatementWork.Rewrite;

    /// <summary>Refusals it would stop at.</summary>
    public IReadOnlyList<PlanFinding> Findings { get; init; } = [];

    /// <summary>Unique indexes it builds, for the duplicate check.</summary>
    public IReadOnlyList<UniqueKey> UniqueKeys { get; init; } = [];
}

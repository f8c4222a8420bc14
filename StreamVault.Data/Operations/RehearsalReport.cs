namespace StreamVault.Data.Operations;

/// <summary>A table lock a rehearsed statement held, as <c>pg_locks</c> showed it, and for how long.</summary>
/// <param name="Table">The table.</param>
/// <param name="Mode">The mode by PostgreSQL's documented name (<c>ACCESS EXCLUSIVE</c>).</param>
/// <param name="HeldMs">
/// How long it was held: as the second session saw it (<see cref="LockSampler"/>, first to last sample, every 20 ms; a
/// lock taken in a transaction is seen until the transaction ends), and at least the statement's own duration.
/// </param>
internal sealed record ObservedLock(string Table, string Mode, long HeldMs);

/// <summary>A table a rehearsed statement names, with its file node before and after: a rewrite changes it.</summary>
internal sealed record TableRewrite(string Table, long? Before, long? After)
{
    /// <summary>The table existed before and its file node changed: it was written anew.</summary>
    public bool Rewritten => Before is not null && After is not null && Before != After;
}

/// <summary>One statement as the rehearsal ran it.</summary>
/// <param name="Index">Its position among the migration's statements, as <c>plan</c> numbers them.</param>
/// <param name="Summary">Its first line.</param>
/// <param name="SkippedByEngine">A concurrent build the engine did not send (its index present and valid).</param>
/// <param name="DurationMs">How long it took.</param>
/// <param name="Locks">The table locks held while it ran.</param>
/// <param name="Tables">Its tables' file nodes before and after.</param>
/// <param name="Failed">It failed (the rehearsal stopped there).</param>
internal sealed record RehearsedStatement(
    int Index, string Summary, bool SkippedByEngine, long DurationMs, IReadOnlyList<ObservedLock> Locks, IReadOnlyList<TableRewrite> Tables, bool Failed)
{
    /// <summary>Whether any of its tables was rewritten.</summary>
    public bool Rewrote => Tables.Any(t => t.Rewritten);
}

/// <summary>One migration as the rehearsal ran it: adopted (nothing ran) or its statements.</summary>
internal sealed record RehearsedMigration(string Id, bool Adopted, long DurationMs, IReadOnlyList<RehearsedStatement> Statements);

/// <summary>
/// <c>plan --rehearse-on</c>: the pending migrations run on a copy of the database, with what each statement actually
/// did. JSON: <c>{database, server, migrations: [{id, adopted, durationMs, statements: [{index, summary, skippedByEngine,
/// durationMs, locks: [{table, mode, heldMs}], tables: [{table, before, after, rewritten}], rewrote, failed}]}],
/// durationMs, failure, differsFromPlan}</c>.
/// </summary>
/// <param name="Database">The copy's database.</param>
/// <param name="Server">The copy's host:port.</param>
/// <param name="Migrations">What ran on the copy, in order.</param>
/// <param name="DurationMs">The whole rehearsal.</param>
/// <param name="Failure">The error that stopped the rehearsal, null when it completed.</param>
/// <param name="DiffersFromPlan">
/// The copy's pending migrations differ from the live database's (it is not a faithful copy), naming both lists; null when alike.
/// </param>
internal sealed record RehearsalReport(
    string Database, string Server, IReadOnlyList<RehearsedMigration> Migrations, long DurationMs, string? Failure, string? DiffersFromPlan);

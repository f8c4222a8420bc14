namespace StreamVault.Data.Engine;

/// <summary>What one DDL clause does, as far as locks, rewrites and presence are concerned.</summary>
internal enum ClauseKind
{
    CreateTable,
    CreateIndex,
    AddColumn,
    SetDefault,
    DropDefault,
    DropNotNull,
    SetNotNull,
    AlterType,
    AddConstraint,
    ValidateConstraint,
    DropColumn,
    DropConstraint,
    DropIndex,
    DropTable,
    RenameColumn,
    RenameConstraint,
    RenameTable,
    RenameIndex,
    CreateTrigger,
    Comment,

    /// <summary>Another ALTER TABLE action: ACCESS EXCLUSIVE, effect unknown.</summary>
    OtherAlter,

    /// <summary>DDL on no table (a sequence, an extension, a function).</summary>
    Other,
}

/// <summary>
/// One DDL clause of a migration statement: its kind, the table it acts on and the object it names (column, index,
/// constraint), with what decides its locks and work. <see cref="Guarded"/> when it sits in a <c>DO</c> block, whose
/// guards let it run only where its object is missing (the shape every released and generated migration uses).
/// </summary>
internal sealed record DdlClause(ClauseKind Kind, string Table, string? Name = null)
{
    /// <summary>The column definition, target type, default expression or constraint definition after the name.</summary>
    public string Detail { get; init; } = "";

    public bool Concurrently { get; init; }

    public bool Unique { get; init; }

    /// <summary>A constraint added NOT VALID (existing rows are not checked).</summary>
    public bool NotValid { get; init; }

    /// <summary>An added constraint's kind: <c>p</c>, <c>u</c>, <c>f</c>, <c>c</c>, <c>x</c>, or <c>?</c>.</summary>
    public char ConstraintKind { get; init; } = '?';

    /// <summary>The table a foreign key references.</summary>
    public string? References { get; init; }

    /// <summary>The new name of a rename.</summary>
    public string? NewName { get; init; }

    /// <summary>A created table's columns, or an index's or unique constraint's key columns.</summary>
    public IReadOnlyList<string> Columns { get; init; } = [];

    /// <summary>A created table's constraints: name and kind (<c>p</c>, <c>u</c>, <c>c</c>, <c>f</c>).</summary>
    public IReadOnlyList<(string Name, char Kind)> Constraints { get; init; } = [];

    /// <summary>
    /// A change of a column the same ALTER TABLE adds (<c>ADD COLUMN c …, ALTER COLUMN c SET DEFAULT now()</c>): it runs
    /// exactly when the column is added.
    /// </summary>
    public bool OfAddedColumn { get; init; }

    /// <summary>Inside <c>IF to_regclass('t') IS NULL THEN</c>: runs only when this table is absent as the statement starts.</summary>
    public string? OnlyWhenAbsent { get; init; }

    /// <summary>Inside a <c>DO</c> block, so run only where its guard finds its object missing.</summary>
    public bool Guarded { get; init; }

    /// <summary>With IF [NOT] EXISTS: an unguarded statement then changes nothing where its object is as wanted.</summary>
    public bool IfExists { get; init; }
}

/// <summary>How a statement is written, which decides how its presence is judged.</summary>
internal enum StatementForm
{
    /// <summary>Top-level DDL.</summary>
    Plain,

    /// <summary>A <c>DO</c> block whose DDL runs under guards.</summary>
    Guarded,

    /// <summary>A <c>DO</c> block that loops over a catalog query and runs DDL built with <c>format</c> for each row.</summary>
    Loop,

    /// <summary>The index guard before concurrent builds: drops an INVALID leftover, stops at another definition.</summary>
    IndexGuard,

    /// <summary>A <c>DO</c> block without DDL: a check that stops the run or raises a notice.</summary>
    Check,

    /// <summary>Anything else (a query, DML).</summary>
    Other,
}

/// <summary>
/// One statement of a migration as EF runs it (one command, possibly several SQL statements) read for planning:
/// its clauses, its form, and what its checks read.
/// </summary>
/// <param name="Sql">The command's text.</param>
/// <param name="Transactional">False for a command EF runs outside a transaction (concurrent builds, validations).</param>
/// <param name="Form">How it is written.</param>
/// <param name="Clauses">Its DDL, in order.</param>
internal sealed record ParsedStatement(string Sql, bool Transactional, StatementForm Form, IReadOnlyList<DdlClause> Clauses)
{
    /// <summary>The catalog query a <see cref="StatementForm.Loop"/> or <see cref="StatementForm.IndexGuard"/> iterates over.</summary>
    public string? LoopQuery { get; init; }

    /// <summary>The DDL a loop runs per row, its <c>format</c> template (<c>ALTER TABLE %I ALTER COLUMN %I TYPE VARCHAR</c>).</summary>
    public string? LoopTemplate { get; init; }

    /// <summary>The row fields the template's placeholders take, in order (<c>table_name</c>, <c>column_name</c>).</summary>
    public IReadOnlyList<string> LoopArguments { get; init; } = [];

    /// <summary>The table an index guard written for one table names in its <c>&lt;&gt; 't'::regclass</c> test.</summary>
    public string? GuardTable { get; init; }

    /// <summary>A relation whose presence makes a check return at once (<c>IF to_regclass('x') IS NOT NULL THEN RETURN</c>).</summary>
    public string? ReturnsIfPresent { get; init; }

    /// <summary>User tables the statement reads with a SELECT of its own (a check), and whether it aggregates over them.</summary>
    public IReadOnlyList<(string Table, bool Scans)> Reads { get; init; } = [];

    /// <summary>The first line that says what the statement is (<c>DO $columns$</c>, <c>CREATE INDEX CONCURRENTLY …</c>).</summary>
    public string Summary
    {
        get
        {
            var first = Sql.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0 && !l.StartsWith("--", StringComparison.Ordinal)) ?? "";
            return first.Length > 120 ? first[..117] + "..." : first;
        }
    }
}

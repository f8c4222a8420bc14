namespace StreamVault.Data.Engine;

/// <summary>
/// The catalog as it will be when the statements planned so far have run: the live snapshot, plus what they create,
/// minus what they drop. A plan judges each statement against the state its predecessors leave, as the run will meet
/// it (on an empty database the first migration creates the tables the later ones find).
/// </summary>
internal sealed class PlannedCatalog(CatalogSnapshot live)
{
    private readonly HashSet<string> _createdTables = new(StringComparer.Ordinal);
    private readonly HashSet<string> _droppedTables = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, string), ColumnInfo?> _columns = [];
    private readonly Dictionary<string, IndexInfo?> _indexes = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, string), ConstraintInfo?> _constraints = [];

    public CatalogSnapshot Live { get; } = live;

    public bool TableExists(string table)
        => _createdTables.Contains(table) || (!_droppedTables.Contains(table) && Live.Tables.ContainsKey(table));

    /// <summary>Whether an earlier planned statement creates the table (it is then new and empty when later ones run).</summary>
    public bool CreatedByPlan(string table) => _createdTables.Contains(table);

    /// <summary>The tables earlier planned statements create.</summary>
    public IReadOnlyCollection<string> CreatedTables => _createdTables;

    /// <summary>Estimated rows when the statement runs: none for a table the plan creates.</summary>
    public long? Rows(string table)
        => CreatedByPlan(table) ? 0 : Live.Tables.TryGetValue(table, out var info) ? info.Rows : null;

    public ColumnInfo? Column(string table, string column)
        => _columns.TryGetValue((table, column), out var planned) ? planned
            : TableExists(table) && !_createdTables.Contains(table) && Live.Columns.TryGetValue((table, column), out var live) ? live
            : null;

    public IndexInfo? Index(string name)
        => _indexes.TryGetValue(name, out var planned) ? planned
            : Live.Indexes.TryGetValue(name, out var live) && TableExists(live.Table) && !_createdTables.Contains(live.Table) ? live
            : null;

    /// <summary>A relation (table or index) of this name exists.</summary>
    public bool RelationExists(string name) => TableExists(name) || Index(name) is not null;

    public ConstraintInfo? Constraint(string table, string name)
        => _constraints.TryGetValue((table, name), out var planned) ? planned
            : TableExists(table) && !_createdTables.Contains(table) && Live.Constraints.TryGetValue((table, name), out var live) ? live
            : null;

    public bool HasPrimaryKey(string table)
        => _constraints.Any(c => c.Key.Item1 == table && c.Value?.Kind == 'p')
           || (TableExists(table) && !_createdTables.Contains(table)
               && Live.Constraints.Any(c => c.Key.Table == table && c.Value.Kind == 'p' && !_constraints.ContainsKey(c.Key)));

    /// <summary>Records what a clause that runs leaves behind.</summary>
    public void Apply(DdlClause clause)
    {
        ArgumentNullException.ThrowIfNull(clause);
        var name = clause.Name ?? "";
        switch (clause.Kind)
        {
            case ClauseKind.CreateTable:
                _createdTables.Add(clause.Table);
                _droppedTables.Remove(clause.Table);
                foreach (var created in clause.Columns)
                {
                    _columns[(clause.Table, created)] = new ColumnInfo("", NotNull: false, Default: null);
                }

                foreach (var (constraint, constraintKind) in clause.Constraints)
                {
                    _constraints[(clause.Table, constraint)] = new ConstraintInfo(constraintKind, Validated: true, References: null);
                    if (constraintKind is 'p' or 'u')
                    {
                        _indexes[constraint] = new IndexInfo(clause.Table, Valid: true, Unique: true, "");
                    }
                }

                break;
            case ClauseKind.DropTable:
                _createdTables.Remove(name);
                _droppedTables.Add(name);
                break;
            case ClauseKind.AddColumn:
                _columns[(clause.Table, name)] = new ColumnInfo(clause.Detail, NotNull: false, Default: null);
                break;
            case ClauseKind.DropColumn:
                _columns[(clause.Table, name)] = null;
                break;
            case ClauseKind.RenameColumn:
                _columns[(clause.Table, clause.NewName!)] = Column(clause.Table, name) ?? new ColumnInfo("", false, null);
                _columns[(clause.Table, name)] = null;
                break;
            case ClauseKind.AlterType or ClauseKind.SetDefault or ClauseKind.DropDefault or ClauseKind.SetNotNull or ClauseKind.DropNotNull:
                if (Column(clause.Table, name) is { } changed)
                {
                    _columns[(clause.Table, name)] = clause.Kind switch
                    {
                        ClauseKind.AlterType => changed with { Type = clause.Detail },
                        ClauseKind.SetDefault => changed with { Default = clause.Detail },
                        ClauseKind.DropDefault => changed with { Default = null },
                        ClauseKind.SetNotNull => changed with { NotNull = true },
                        _ => changed with { NotNull = false },
                    };
                }

                break;
            case ClauseKind.CreateIndex:
                _indexes[name] = new IndexInfo(clause.Table, Valid: true, clause.Unique, "");
                break;
            case ClauseKind.DropIndex:
                _indexes[name] = null;
                break;
            case ClauseKind.RenameIndex:
                _indexes[clause.NewName!] = Index(name);
                _indexes[name] = null;
                break;
            case ClauseKind.AddConstraint:
                _constraints[(clause.Table, name)] = new ConstraintInfo(clause.ConstraintKind, Validated: !clause.NotValid, clause.References);
                if (clause.ConstraintKind is 'p' or 'u')
                {
                    _indexes[name] = new IndexInfo(clause.Table, Valid: true, Unique: true, "");
                }

                break;
            case ClauseKind.ValidateConstraint:
                if (Constraint(clause.Table, name) is { } constraintInfo)
                {
                    _constraints[(clause.Table, name)] = constraintInfo with { Validated = true };
                }

                break;
            case ClauseKind.DropConstraint:
                _constraints[(clause.Table, name)] = null;
                break;
            case ClauseKind.RenameConstraint:
                _constraints[(clause.Table, clause.NewName!)] = Constraint(clause.Table, name);
                _constraints[(clause.Table, name)] = null;
                break;
        }
    }
}

using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace StreamVault.Data.Design;

/// <summary>What every step writer needs to know about the migration direction it is writing.</summary>
/// <param name="Migration">The migration's class name, as guards and messages name it.</param>
/// <param name="IsUp">True for <c>Up</c>: refusals apply; false for <c>Down</c>, where unsafe parts are left as they are.</param>
/// <param name="Names">Identifiers, literals and catalog checks.</param>
/// <param name="Provider">The provider's SQL for single operations.</param>
/// <param name="TargetModel">The model the migration leads to (Up only), for what the operations alone do not say.</param>
/// <param name="Warn">Where generation-time warnings go (dotnet ef prints them).</param>
/// <param name="Operations">All operations of this direction.</param>
internal sealed record PlanContext(
    string Migration,
    bool IsUp,
    SqlNames Names,
    ProviderSql Provider,
    IRelationalModel? TargetModel,
    Action<string> Warn,
    IReadOnlyList<MigrationOperation> Operations)
{
    /// <summary>Whether this migration is an explicit contract step (<see cref="ContractStep"/>).</summary>
    public bool IsContract => ContractStep.IsContract(Migration);

    /// <summary>Whether this direction creates the table itself (so it is new, or completed, in this migration).</summary>
    public bool CreatesTable(string table, string? schema)
        => Operations.OfType<CreateTableOperation>().Any(t => t.Name == table && t.Schema == schema);

    /// <summary>
    /// Refuses a name the engine (concurrent builds) or the revert check (DROP TABLE, DROP COLUMN) could not read back from
    /// the SQL: names must be plain lower-case words, as the naming convention makes them.
    /// </summary>
    public void RequirePlain(string kind, string name)
    {
        if (!SqlNames.IsPlain(name))
        {
            throw Refusals.NotPlain(Migration, kind, name);
        }
    }

    /// <summary>A table as messages name it.</summary>
    public static string Label(string table, string? schema) => schema is null ? table : schema + "." + table;
}

using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace StreamVault.Data.Design;

/// <summary>
/// Turns the operations EF's differ emits for one direction of a migration into guarded steps, operation by operation
/// in EF's order, or stops with a <see cref="Refusals">refusal</see> when an operation has no lock-safe, idempotent
/// form. No operation is ever passed through as EF's own call.
/// </summary>
internal sealed class MigrationPlanner(ProviderSql provider, SqlNames names, Action<string> warn)
{
    /// <param name="migration">The migration's class name.</param>
    /// <param name="up">True for Up, false for Down.</param>
    /// <param name="operations">The differ's operations for that direction.</param>
    /// <param name="targetModel">The model Up leads to (null for Down, or when unknown).</param>
    public IReadOnlyList<GuardedStep> Plan(string migration, bool up, IReadOnlyList<MigrationOperation> operations, IRelationalModel? targetModel)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var context = new PlanContext(migration, up, names, provider, up ? targetModel : null, warn, operations);
        var steps = new List<GuardedStep>();
        foreach (var operation in operations)
        {
            RequireDefaultSchema(context, operation);
            steps.AddRange(Steps(context, operation));
        }

        return steps;
    }

    private static IEnumerable<GuardedStep> Steps(PlanContext context, MigrationOperation operation)
        => operation switch
        {
            AddColumnOperation column => ColumnSteps.Add(context, column),
            AlterColumnOperation column => AlterColumnSteps.Alter(context, column),
            DropColumnOperation column => Gate(context, $"drop column {column.Table}.{column.Name}", () => ColumnSteps.Drop(context, column)),
            RenameColumnOperation column => Gate(
                context, $"rename column {column.Table}.{column.Name} to {column.NewName}", () => ColumnSteps.Rename(context, column)),
            CreateTableOperation table => TableSteps.Create(context, table),
            AlterTableOperation table => SchemaObjectSteps.AlterTable(context, table),
            DropTableOperation table => Gate(context, $"drop table {table.Name}", () => TableSteps.Drop(context, table)),
            RenameTableOperation table => Gate(context, $"rename table {table.Name} to {table.NewName}", () => TableSteps.Rename(context, table)),
            CreateIndexOperation index => IndexSteps.Create(context, index),
            DropIndexOperation index => Gate(context, $"drop index {index.Name}", () => IndexSteps.Drop(context, index)),
            RenameIndexOperation index => Gate(context, $"rename index {index.Name} to {index.NewName}", () => IndexSteps.Rename(context, index)),
            AddForeignKeyOperation foreignKey => ConstraintSteps.AddForeignKey(context, foreignKey),
            AddCheckConstraintOperation check => ConstraintSteps.AddCheck(context, check),
            AddPrimaryKeyOperation key => ConstraintSteps.AddKey(context, key, key.Table, key.Name, key.Columns, primary: true),
            AddUniqueConstraintOperation key => ConstraintSteps.AddKey(context, key, key.Table, key.Name, key.Columns, primary: false),
            DropForeignKeyOperation foreignKey => Gate(
                context, $"drop foreign key {foreignKey.Name} of {foreignKey.Table}", () => ConstraintSteps.Drop(context, foreignKey.Table, foreignKey.Name)),
            DropCheckConstraintOperation check => Gate(
                context, $"drop check constraint {check.Name} of {check.Table}", () => ConstraintSteps.Drop(context, check.Table, check.Name)),
            DropPrimaryKeyOperation key => Gate(
                context, $"drop primary key {key.Name} of {key.Table}", () => ConstraintSteps.Drop(context, key.Table, key.Name)),
            DropUniqueConstraintOperation key => Gate(
                context, $"drop unique constraint {key.Name} of {key.Table}", () => ConstraintSteps.Drop(context, key.Table, key.Name)),
            CreateSequenceOperation sequence => SchemaObjectSteps.CreateSequence(context, sequence),
            DropSequenceOperation sequence => Gate(context, $"drop sequence {sequence.Name}", () => SchemaObjectSteps.DropSequence(context, sequence)),
            RenameSequenceOperation sequence => Gate(
                context, $"rename sequence {sequence.Name} to {sequence.NewName}", () => SchemaObjectSteps.RenameSequence(context, sequence)),
            AlterDatabaseOperation database => SchemaObjectSteps.AlterDatabase(context, database),
            AlterSequenceOperation or RestartSequenceOperation => throw Refusals.Unsupported(
                context.Migration, $"{operation.GetType().Name} (a sequence's settings): change it by hand where it is needed"),
            InsertDataOperation or UpdateDataOperation or DeleteDataOperation => throw Refusals.Unsupported(
                context.Migration, "seed data (HasData), which changes rows; write an explicit, guarded INSERT … ON CONFLICT DO NOTHING instead"),
            _ => throw Refusals.Unsupported(context.Migration, operation.GetType().Name),
        };

    /// <summary>Drops and renames: in Up only in a contract step; in Down always (they undo what Up made).</summary>
    private static IEnumerable<GuardedStep> Gate(PlanContext context, string what, Func<IEnumerable<GuardedStep>> steps)
        => context.IsUp && !context.IsContract ? throw Refusals.DropInUp(context.Migration, what) : steps();

    /// <summary>
    /// The guards and the revert check name tables unqualified, in the connection's schema, as the app's tables are;
    /// an object in another schema (and so EnsureSchema) has no guarded form here.
    /// </summary>
    private static void RequireDefaultSchema(PlanContext context, MigrationOperation operation)
    {
        var schema = operation switch
        {
            EnsureSchemaOperation ensure => ensure.Name,
            DropSchemaOperation drop => drop.Name,
            RenameTableOperation rename => rename.Schema ?? rename.NewSchema,
            RenameSequenceOperation rename => rename.Schema ?? rename.NewSchema,
            ITableMigrationOperation table => table.Schema,
            AlterSequenceOperation sequence => sequence.Schema,
            CreateSequenceOperation sequence => sequence.Schema,
            DropSequenceOperation sequence => sequence.Schema,
            RestartSequenceOperation sequence => sequence.Schema,
            _ => null,
        };
        if (schema is not null)
        {
            throw Refusals.Unsupported(
                context.Migration, $"objects in schema {schema} ({operation.GetType().Name}): the guards and the revert check work in the connection's schema");
        }
    }
}

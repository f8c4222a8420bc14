using System.Text;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace StreamVault.Data.Design;

/// <summary>
/// Creating, dropping and renaming tables. A new table is created whole where it is missing; where it already exists
/// (made by hand, or by a release of the app), only what it lacks is added, each part checked in the catalog first.
/// </summary>
internal static class TableSteps
{
    public static IEnumerable<GuardedStep> Create(PlanContext context, CreateTableOperation table)
    {
        context.RequirePlain("table", table.Name);
        foreach (var name in new[] { table.PrimaryKey?.Name }.Concat(table.UniqueConstraints.Select(u => u.Name))
                     .Concat(table.CheckConstraints.Select(c => c.Name)).Concat(table.ForeignKeys.Select(f => f.Name)).OfType<string>())
        {
            context.RequirePlain("constraint", name);
        }

        var names = context.Names;
        var quoted = names.Table(table.Name, null);
        var completion = new StringBuilder();
        foreach (var column in table.Columns)
        {
            completion.Append(ColumnSteps.Complete(context, table.Name, column)).Append('\n');
        }

        if (table.PrimaryKey is { } primaryKey)
        {
            completion.Append(KeyCompletion(
                context, table.Name, primaryKey.Name, Clause(context, table.Name, primaryKey),
                $"SELECT 1 FROM pg_constraint WHERE conrelid = {names.ToRegClass(table.Name, null)} AND contype = 'p'")).Append('\n');
        }

        foreach (var unique in table.UniqueConstraints)
        {
            completion.Append(KeyCompletion(
                context, table.Name, unique.Name, Clause(context, table.Name, unique),
                $"SELECT 1 FROM pg_constraint WHERE conrelid = {names.ToRegClass(table.Name, null)} AND conname = {SqlNames.Literal(unique.Name)}"))
                .Append('\n');
        }

        foreach (var check in table.CheckConstraints)
        {
            completion.Append($"""
                IF NOT {names.ConstraintExists(table.Name, null, check.Name)} THEN
                    {Clause(context, table.Name, check)} NOT VALID;
                END IF;
                """).Append('\n');
        }

        yield return new GuardedStep(
            $"{table.Name} is new: created whole where it is missing. Where it already exists (made by hand, or by a release of the app), "
            + "only what it lacks is added, each part checked in the catalog first, and existing columns are kept as they are; what cannot "
            + "be added without writing every row or locking out writers stops the run with a message instead.",
            $"""
            DO $table$
            BEGIN
                IF {names.ToRegClass(table.Name, null)} IS NULL THEN
            {SqlNames.Indent(context.Provider.CreateTable(table), 8)}
                ELSE
            {SqlNames.Indent(completion.ToString().TrimEnd('\n'), 8)}
                END IF;
            END
            $table$;
            """);

        foreach (var check in table.CheckConstraints)
        {
            yield return ConstraintSteps.Validate(context, table.Name, check.Name, referenced: null);
        }

        foreach (var foreignKey in table.ForeignKeys)
        {
            foreignKey.Table ??= table.Name;
            foreach (var step in ConstraintSteps.AddForeignKey(context, foreignKey))
            {
                yield return step;
            }
        }
    }

    public static IEnumerable<GuardedStep> Drop(PlanContext context, DropTableOperation table)
    {
        context.RequirePlain("table", table.Name);
        yield return DataGuards.ForTable(context, table.Name);
        yield return new GuardedStep(
            $"{table.Name} holds no rows (checked just before). Never CASCADE: anything else depending on it stops the drop instead of going with it.",
            $"DROP TABLE IF EXISTS {context.Names.Table(table.Name, null)};");
    }

    public static IEnumerable<GuardedStep> Rename(PlanContext context, RenameTableOperation table)
    {
        var newName = table.NewName ?? table.Name;
        context.RequirePlain("table", newName);
        var names = context.Names;
        yield return new GuardedStep(
            $"Renames {table.Name} only where it still has its old name and nothing has the new one.",
            $"""
            DO $rename$
            BEGIN
                IF {names.ToRegClass(table.Name, null)} IS NOT NULL AND {names.ToRegClass(newName, null)} IS NULL THEN
                    ALTER TABLE {names.Table(table.Name, null)} RENAME TO {names.Identifier(newName)};
                END IF;
            END
            $rename$;
            """);
    }

    /// <summary>A missing primary key or unique constraint: built only where the table is still empty.</summary>
    private static string KeyCompletion(PlanContext context, string table, string name, string clause, string exists)
        => $"""
            IF NOT EXISTS ({exists}) THEN
                IF EXISTS (SELECT 1 FROM {context.Names.Table(table, null)}) THEN
                    RAISE EXCEPTION {SqlNames.Message($"{context.Migration}: table {table} exists without {name}, whose index cannot be built while the table holds rows without locking out writers; build it by hand (CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT … USING INDEX), then run migrate again")};
                END IF;
                {clause};
            END IF;
            """;

    /// <summary><c>ALTER TABLE t ADD CONSTRAINT …</c> as the provider writes it for a constraint of a table being created.</summary>
    private static string Clause(PlanContext context, string table, MigrationOperation constraint)
    {
        switch (constraint)
        {
            case AddPrimaryKeyOperation key:
                key.Table ??= table;
                break;
            case AddUniqueConstraintOperation unique:
                unique.Table ??= table;
                break;
            case AddCheckConstraintOperation check:
                check.Table ??= table;
                break;
        }

        return context.Provider.AddConstraint(constraint);
    }
}

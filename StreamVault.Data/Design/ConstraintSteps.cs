using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace StreamVault.Data.Design;

/// <summary>
/// Constraints. A foreign key or check is added <c>NOT VALID</c> (catalog only: existing rows are not scanned while the
/// migration's step holds its lock), then validated by a separate, transaction-suppressed command, so the scan runs in a
/// transaction of its own holding only SHARE UPDATE EXCLUSIVE on the table (and ROW SHARE on a referenced one), which
/// block no reads or writes. A primary key or unique constraint on an existing table is built as a concurrent unique
/// index first and then attached to it.
/// </summary>
internal static class ConstraintSteps
{
    public static IEnumerable<GuardedStep> AddForeignKey(PlanContext context, AddForeignKeyOperation foreignKey)
        => AddNotValid(
            context, foreignKey.Table, foreignKey.Name, context.Provider.AddConstraint(foreignKey),
            $"The foreign key is added NOT VALID: new and updated rows of {foreignKey.Table} are checked from now on, existing ones are not "
            + "scanned while the lock is held. Checked in the catalog first, so an existing constraint takes no lock.",
            $"ROW SHARE on {foreignKey.PrincipalTable}");

    public static IEnumerable<GuardedStep> AddCheck(PlanContext context, AddCheckConstraintOperation check)
        => AddNotValid(
            context, check.Table, check.Name, context.Provider.AddConstraint(check),
            $"The check is added NOT VALID: new and updated rows of {check.Table} are checked from now on, existing ones are not scanned "
            + "while the lock is held. Checked in the catalog first, so an existing constraint takes no lock.",
            referenced: null);

    /// <summary>The transaction-suppressed VALIDATE of a constraint, skipped when it is already valid.</summary>
    public static GuardedStep Validate(PlanContext context, string table, string constraint, string? referenced)
    {
        var names = context.Names;
        return new GuardedStep(
            $"Validated in a transaction of its own, outside the migration's: the scan holds only SHARE UPDATE EXCLUSIVE on {table}"
            + (referenced is null ? "" : $" and {referenced}") + ", locks that block no reads or writes. Skipped when already valid.",
            $"""
            DO $validate$
            BEGIN
                IF EXISTS (SELECT 1 FROM pg_constraint
                           WHERE conrelid = {names.ToRegClass(table, null)} AND conname = {SqlNames.Literal(constraint)} AND NOT convalidated) THEN
                    ALTER TABLE {names.Table(table, null)} VALIDATE CONSTRAINT {names.Identifier(constraint)};
                END IF;
            END
            $validate$;
            """,
            SuppressTransaction: true);
    }

    public static IEnumerable<GuardedStep> AddKey(PlanContext context, MigrationOperation key, string table, string name, string[] columns, bool primary)
    {
        context.RequirePlain("constraint", name);
        context.RequirePlain("table", table);
        var names = context.Names;
        var kind = primary ? "PRIMARY KEY" : "UNIQUE";
        if (context.CreatesTable(table, null))
        {
            yield return new GuardedStep(
                $"{table} is created (or completed) by this migration, so {name} is added in its transaction; checked first.",
                $"""
                DO $constraint$
                BEGIN
                    IF NOT {names.ConstraintExists(table, null, name)} THEN
                        {context.Provider.AddConstraint(key)};
                    END IF;
                END
                $constraint$;
                """);
            yield break;
        }

        var index = new CreateIndexOperation { Name = name, Table = table, Columns = columns, IsUnique = true };
        foreach (var step in IndexSteps.Create(context, index))
        {
            yield return step;
        }

        yield return new GuardedStep(
            $"The constraint takes over the index just built (catalog only){(primary ? "; its columns must already be NOT NULL, or PostgreSQL scans the table to check them" : "")}. "
            + "Checked first, so an existing constraint takes no lock.",
            $"""
            DO $constraint$
            BEGIN
                IF NOT {names.ConstraintExists(table, null, name)} THEN
                    ALTER TABLE {names.Table(table, null)} ADD CONSTRAINT {names.Identifier(name)} {kind} USING INDEX {names.Identifier(name)};
                END IF;
            END
            $constraint$;
            """);
    }

    public static IEnumerable<GuardedStep> Drop(PlanContext context, string table, string name)
    {
        var names = context.Names;
        yield return new GuardedStep(
            $"Dropping {name} changes only the catalog; checked first, so a constraint already gone takes no lock.",
            $"""
            DO $drop$
            BEGIN
                IF {names.ConstraintExists(table, null, name)} THEN
                    ALTER TABLE {names.Table(table, null)} DROP CONSTRAINT IF EXISTS {names.Identifier(name)};
                END IF;
            END
            $drop$;
            """);
    }

    private static IEnumerable<GuardedStep> AddNotValid(
        PlanContext context, string table, string name, string addConstraint, string comment, string? referenced)
    {
        context.RequirePlain("constraint", name);
        context.RequirePlain("table", table);
        yield return new GuardedStep(
            comment,
            $"""
            DO $constraint$
            BEGIN
                IF NOT {context.Names.ConstraintExists(table, null, name)} THEN
                    {addConstraint} NOT VALID;
                END IF;
            END
            $constraint$;
            """);
        yield return Validate(context, table, name, referenced);
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace StreamVault.Data.Design;

/// <summary>
/// Adding and dropping columns. An added column is checked in pg_attribute first, because <c>ALTER TABLE</c> takes its
/// exclusive lock even when <c>ADD COLUMN IF NOT EXISTS</c> then finds the column; only catalog-only additions are
/// generated (nullable, or a constant default).
/// </summary>
internal static class ColumnSteps
{
    public static IEnumerable<GuardedStep> Add(PlanContext context, AddColumnOperation column)
    {
        context.RequirePlain("table", column.Table);
        context.RequirePlain("column", column.Name);
        var label = $"{column.Table}.{column.Name}";
        var nonConstant = ColumnDefaults.NonConstant(column);
        if (context.IsUp)
        {
            if (nonConstant is not null)
            {
                throw Refusals.NonConstantDefault(context.Migration, column.Table, column.Name, nonConstant);
            }

            if (!column.IsNullable && !HasModelDefault(context, column))
            {
                throw Refusals.NotNullWithoutDefault(context.Migration, column.Table, column.Name);
            }
        }

        var names = context.Names;
        var table = names.Table(column.Table, null);
        string comment;
        string addition;
        if (nonConstant is null)
        {
            comment = ColumnDefaults.HasDefault(column)
                ? $"{label} has a constant default, which PostgreSQL stores once in the catalog (existing rows read it; nothing is rewritten)."
                : $"{label} is nullable without a default: adding it changes only the catalog, whatever the table's size.";
            addition = $"ADD COLUMN IF NOT EXISTS {context.Provider.ColumnDefinition(column, column.Table, null, column.Name)}";
        }
        else if (column.IsNullable && column.ComputedColumnSql is null && column.DefaultValueSql is not null)
        {
            // Only a Down gets here: the column comes back nullable, its default applying to new rows only.
            comment = $"{label} comes back nullable, its default ({column.DefaultValueSql}) set afterwards in the same statement, so existing rows "
                      + "keep NULL and nothing is rewritten.";
            addition = $"ADD COLUMN IF NOT EXISTS {context.Provider.ColumnDefinition(column, column.Table, null, column.Name, withDefault: false)}, "
                       + $"ALTER COLUMN {names.Identifier(column.Name)} SET DEFAULT {column.DefaultValueSql}";
        }
        else
        {
            return [new GuardedStep(
                $"{label} is not re-added on revert: its default ({nonConstant}) would rewrite the whole table under an exclusive lock. "
                + "Add it by hand if the older app needs it.", Sql: null)];
        }

        var commentOn = column.Comment is null
            ? ""
            : $"\n        COMMENT ON COLUMN {table}.{names.Identifier(column.Name)} IS {SqlNames.Literal(column.Comment)};";
        return [new GuardedStep(
            comment + " Checked in the catalog first: ALTER TABLE takes its exclusive lock even when IF NOT EXISTS then finds the column.",
            $"""
            DO $add$
            BEGIN
                IF NOT {names.ColumnExists(column.Table, null, column.Name)} THEN
                    ALTER TABLE {table} {addition};{commentOn}
                END IF;
            END
            $add$;
            """)];
    }

    /// <summary>
    /// The part of a table's completion that adds one missing column (statements for a DO block), following the same rules
    /// as <see cref="Add"/>: what cannot be added without writing every row stops the run with a message instead.
    /// </summary>
    public static string Complete(PlanContext context, string tableName, AddColumnOperation column)
    {
        var names = context.Names;
        var table = names.Table(tableName, null);
        var exists = names.ColumnExists(tableName, null, column.Name);
        var nonConstant = ColumnDefaults.NonConstant(column);
        var generated = column.ComputedColumnSql is not null
                        || column[NpgsqlAnnotations.ValueGenerationStrategy] is NpgsqlValueGenerationStrategy.SerialColumn
                            or NpgsqlValueGenerationStrategy.IdentityByDefaultColumn or NpgsqlValueGenerationStrategy.IdentityAlwaysColumn;
        if (generated || (nonConstant is not null && !column.IsNullable))
        {
            return $"""
                IF NOT {exists} THEN
                    RAISE EXCEPTION {SqlNames.Message($"{context.Migration}: table {tableName} exists without column {column.Name}, whose default ({nonConstant}) would be written into every row; add the column by hand, then run migrate again")};
                END IF;
                """;
        }

        if (nonConstant is not null)
        {
            var bare = context.Provider.ColumnDefinition(column, tableName, null, column.Name, withDefault: false);
            return $"""
                IF NOT {exists} THEN
                    ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {bare}, ALTER COLUMN {names.Identifier(column.Name)} SET DEFAULT {column.DefaultValueSql};
                END IF;
                """;
        }

        var definition = context.Provider.ColumnDefinition(column, tableName, null, column.Name);
        if (!column.IsNullable && !ColumnDefaults.HasDefault(column))
        {
            return $"""
                IF NOT {exists} THEN
                    IF EXISTS (SELECT 1 FROM {table}) THEN
                        RAISE EXCEPTION {SqlNames.Message($"{context.Migration}: table {tableName} exists without column {column.Name}, which is NOT NULL without a default and so cannot be added while the table holds rows; add it by hand (nullable, fill it, then require it), then run migrate again")};
                    END IF;
                    ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {definition};
                END IF;
                """;
        }

        return $"""
            IF NOT {exists} THEN
                ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {definition};
            END IF;
            """;
    }

    public static IEnumerable<GuardedStep> Drop(PlanContext context, DropColumnOperation column)
    {
        context.RequirePlain("table", column.Table);
        context.RequirePlain("column", column.Name);
        var names = context.Names;
        yield return DataGuards.ForColumn(context, column.Table, column.Name);
        yield return new GuardedStep(
            $"{column.Table}.{column.Name} holds no values any more (checked just before): dropping it changes only the catalog. Checked first, so a "
            + "column already gone takes no lock.",
            $"""
            DO $drop$
            BEGIN
                IF {names.ColumnExists(column.Table, null, column.Name)} THEN
                    ALTER TABLE {names.Table(column.Table, null)} DROP COLUMN IF EXISTS {names.Identifier(column.Name)};
                END IF;
            END
            $drop$;
            """);
    }

    public static IEnumerable<GuardedStep> Rename(PlanContext context, RenameColumnOperation column)
    {
        var names = context.Names;
        yield return new GuardedStep(
            $"Renames {column.Table}.{column.Name} only where it still has its old name and nothing has the new one (catalog only).",
            $"""
            DO $rename$
            BEGIN
                IF {names.ColumnExists(column.Table, null, column.Name)} AND NOT {names.ColumnExists(column.Table, null, column.NewName)} THEN
                    ALTER TABLE {names.Table(column.Table, null)} RENAME COLUMN {names.Identifier(column.Name)} TO {names.Identifier(column.NewName)};
                END IF;
            END
            $rename$;
            """);
    }

    /// <summary>
    /// Whether the model gives the column a default. The differ gives every added NOT NULL column its CLR type's default
    /// (0, '', false) so that ALTER TABLE succeeds; the model is what says whether that default was meant.
    /// </summary>
    private static bool HasModelDefault(PlanContext context, AddColumnOperation column)
    {
        if (context.TargetModel?.FindTable(column.Table, column.Schema)?.FindColumn(column.Name) is not { } modelled)
        {
            return ColumnDefaults.HasDefault(column);
        }

        return modelled.DefaultValueSql is not null || (modelled.TryGetDefaultValue(out var value) && value is not null);
    }
}

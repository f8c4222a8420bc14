using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace StreamVault.Data.Design;

/// <summary>What the differ emits besides tables, columns, indexes and constraints: sequences, extensions, table comments.</summary>
internal static class SchemaObjectSteps
{
    public static IEnumerable<GuardedStep> CreateSequence(PlanContext context, CreateSequenceOperation sequence)
    {
        context.RequirePlain("sequence", sequence.Name);
        yield return new GuardedStep(
            $"The sequence {sequence.Name} is created where it is missing; checked first, so an existing one is left as it is.",
            $"""
            DO $sequence$
            BEGIN
                IF {context.Names.ToRegClass(sequence.Name, null)} IS NULL THEN
            {SqlNames.Indent(context.Provider.CreateSequence(sequence), 8)}
                END IF;
            END
            $sequence$;
            """);
    }

    public static IEnumerable<GuardedStep> DropSequence(PlanContext context, DropSequenceOperation sequence)
    {
        context.RequirePlain("sequence", sequence.Name);
        yield return new GuardedStep(
            $"The sequence {sequence.Name} holds only a counter; never CASCADE, so a column still using it stops the drop.",
            $"DROP SEQUENCE IF EXISTS {context.Names.Table(sequence.Name, null)};");
    }

    public static IEnumerable<GuardedStep> RenameSequence(PlanContext context, RenameSequenceOperation sequence)
    {
        var newName = sequence.NewName ?? sequence.Name;
        context.RequirePlain("sequence", newName);
        var names = context.Names;
        yield return new GuardedStep(
            $"Renames {sequence.Name} only where it still has its old name and nothing has the new one.",
            $"""
            DO $rename$
            BEGIN
                IF {names.ToRegClass(sequence.Name, null)} IS NOT NULL AND {names.ToRegClass(newName, null)} IS NULL THEN
                    ALTER SEQUENCE {names.Table(sequence.Name, null)} RENAME TO {names.Identifier(newName)};
                END IF;
            END
            $rename$;
            """);
    }

    /// <summary>A table's comment; any other table change (UNLOGGED, storage parameters) rewrites it and is refused.</summary>
    public static IEnumerable<GuardedStep> AlterTable(PlanContext context, AlterTableOperation table)
    {
        var otherChanges = table.GetAnnotations().Select(a => (a.Name, a.Value))
            .Except(table.OldTable.GetAnnotations().Select(a => (a.Name, a.Value)))
            .Concat(table.OldTable.GetAnnotations().Select(a => (a.Name, a.Value)).Except(table.GetAnnotations().Select(a => (a.Name, a.Value))))
            .Any();
        if (otherChanges)
        {
            throw Refusals.Unsupported(context.Migration, $"a change of table {table.Name}'s storage (UNLOGGED, storage parameters)");
        }

        if (table.Comment == table.OldTable.Comment)
        {
            yield break;
        }

        var names = context.Names;
        var comment = table.Comment is null ? "NULL" : SqlNames.Literal(table.Comment);
        yield return new GuardedStep(
            $"{table.Name}'s comment, set only where it differs.",
            $"""
            DO $comment$
            BEGIN
                IF obj_description({names.ToRegClass(table.Name, null)}, 'pg_class') IS DISTINCT FROM {comment} THEN
                    COMMENT ON TABLE {names.Table(table.Name, null)} IS {comment};
                END IF;
            END
            $comment$;
            """);
    }

    /// <summary>New PostgreSQL extensions; enums, ranges and collations the model declares are refused.</summary>
    public static IEnumerable<GuardedStep> AlterDatabase(PlanContext context, AlterDatabaseOperation database)
    {
        static bool IsExtension(string name) => name.StartsWith(NpgsqlAnnotations.PostgresExtensionPrefix, StringComparison.Ordinal);
        var now = database.GetAnnotations().Where(a => !IsExtension(a.Name)).Select(a => (a.Name, a.Value)).ToList();
        var before = database.OldDatabase.GetAnnotations().Where(a => !IsExtension(a.Name)).Select(a => (a.Name, a.Value)).ToList();
        if (database.Collation != database.OldDatabase.Collation || now.Except(before).Concat(before.Except(now)).Any())
        {
            throw Refusals.Unsupported(context.Migration, "a change of the database's enums, ranges or collations");
        }

        var existing = PostgresExtension.GetPostgresExtensions(database.OldDatabase).Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var extension in PostgresExtension.GetPostgresExtensions(database).Where(e => !existing.Contains(e.Name)))
        {
            if (extension.Schema is not null || extension.Version is not null)
            {
                throw Refusals.Unsupported(context.Migration, $"extension {extension.Name} in a schema or at a version of its own");
            }

            yield return new GuardedStep(
                $"The extension {extension.Name} is created where it is missing (it may need a superuser or a trusted extension).",
                $"""
                DO $extension$
                BEGIN
                    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = {SqlNames.Literal(extension.Name)}) THEN
                        CREATE EXTENSION IF NOT EXISTS {context.Names.Identifier(extension.Name)};
                    END IF;
                END
                $extension$;
                """);
        }
    }
}

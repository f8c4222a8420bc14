using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace StreamVault.Data.Design;

/// <summary>
/// Column changes. Generated only where PostgreSQL changes the catalog alone: widening a varchar/text type (to unbounded
/// varchar or text, or varchar(n) to a longer varchar(m)), dropping NOT NULL, setting or dropping a default, a comment.
/// In <c>Up</c>, narrowing, a type change that rewrites the table, SET NOT NULL and generation or collation changes stop
/// <c>migrations add</c> with what to do instead; in <c>Down</c> they are left as they are, and the file says so.
/// </summary>
internal static partial class AlterColumnSteps
{
    private enum TypeChange
    {
        None,
        Widening,
        Narrowing,
        Rewrite,
    }

    public static IEnumerable<GuardedStep> Alter(PlanContext context, AlterColumnOperation column)
    {
        var old = column.OldColumn;
        var label = $"{column.Table}.{column.Name}";
        var names = context.Names;
        var table = names.Table(column.Table, null);
        var identifier = names.Identifier(column.Name);
        var attribute = $"attrelid = {names.ToRegClass(column.Table, null)} AND attname = {SqlNames.Literal(column.Name)} AND NOT attisdropped";
        var parts = new List<(string What, string Sql)>();
        var kept = new List<string>();

        Unsafe(context, column, kept, column.ComputedColumnSql != old.ComputedColumnSql || column.IsStored != old.IsStored, "computed expression");
        Unsafe(context, column, kept, !Equals(column[NpgsqlAnnotations.ValueGenerationStrategy], old[NpgsqlAnnotations.ValueGenerationStrategy])
                                      || !Equals(column[NpgsqlAnnotations.IdentityOptions], old[NpgsqlAnnotations.IdentityOptions]),
            "value generation (serial or identity)");
        Unsafe(context, column, kept, column.Collation != old.Collation, "collation");

        var from = Canonical(old.ColumnType);
        var to = Canonical(column.ColumnType);
        switch (Classify(from, to))
        {
            case TypeChange.Widening:
                parts.Add(($"type {from} to {to}, which PostgreSQL makes without rewriting or scanning", $"""
                    IF EXISTS (SELECT 1 FROM pg_attribute WHERE {attribute} AND format_type(atttypid, atttypmod) = {SqlNames.Literal(from!)}) THEN
                        ALTER TABLE {table} ALTER COLUMN {identifier} TYPE {column.ColumnType};
                    END IF;
                    """));
                break;
            case TypeChange.Narrowing when context.IsUp:
                throw Refusals.Narrowing(context.Migration, column.Table, column.Name, from!, to!);
            case TypeChange.Rewrite when context.IsUp:
                throw Refusals.Rewrite(context.Migration, column.Table, column.Name, from!, to!);
            case TypeChange.Narrowing or TypeChange.Rewrite:
                kept.Add($"its type {from} (changing it back to {to} would check or rewrite every row)");
                break;
        }

        if (old.IsNullable && !column.IsNullable)
        {
            if (context.IsUp)
            {
                throw Refusals.SetNotNull(context.Migration, column.Table, column.Name);
            }

            kept.Add("NULL allowed (SET NOT NULL would scan the whole table under an exclusive lock)");
        }
        else if (!old.IsNullable && column.IsNullable)
        {
            parts.Add(("NULL allowed", $"""
                IF EXISTS (SELECT 1 FROM pg_attribute WHERE {attribute} AND attnotnull) THEN
                    ALTER TABLE {table} ALTER COLUMN {identifier} DROP NOT NULL;
                END IF;
                """));
        }

        // The differ gives a column that becomes NOT NULL its CLR type's default (0, '', false) so that the ALTER succeeds;
        // that default was never the model's, and NOT NULL is not made here anyway.
        var invented = old.IsNullable && !column.IsNullable && column.DefaultValueSql is null && old.DefaultValue is null && old.DefaultValueSql is null;
        if (!invented && (!Equals(column.DefaultValue, old.DefaultValue) || column.DefaultValueSql != old.DefaultValueSql))
        {
            var defaultOf = "SELECT 1 FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum\n"
                            + $"               WHERE d.adrelid = {names.ToRegClass(column.Table, null)} AND a.attname = {SqlNames.Literal(column.Name)}";
            if (DefaultExpression(context, column) is { } expression)
            {
                parts.Add(($"default {expression} (for new rows; existing rows keep their values)", $"""
                    IF NOT EXISTS ({defaultOf}
                                     AND regexp_replace(pg_get_expr(d.adbin, d.adrelid), '::[a-z ]+(\([0-9, ]+\))?(\[\])?$', '') = {SqlNames.Literal(WithoutCast(expression))}) THEN
                        ALTER TABLE {table} ALTER COLUMN {identifier} SET DEFAULT {expression};
                    END IF;
                    """));
            }
            else
            {
                parts.Add(("no default", $"""
                    IF EXISTS ({defaultOf}) THEN
                        ALTER TABLE {table} ALTER COLUMN {identifier} DROP DEFAULT;
                    END IF;
                    """));
            }
        }

        if (column.Comment != old.Comment)
        {
            var comment = column.Comment is null ? "NULL" : SqlNames.Literal(column.Comment);
            parts.Add(("its comment", $"""
                IF col_description({names.ToRegClass(column.Table, null)}, (SELECT attnum FROM pg_attribute WHERE {attribute})) IS DISTINCT FROM {comment} THEN
                    COMMENT ON COLUMN {table}.{identifier} IS {comment};
                END IF;
                """));
        }

        var steps = new List<GuardedStep>();
        if (parts.Count > 0)
        {
            var defaults = parts.Any(p => p.What.StartsWith("default ", StringComparison.Ordinal))
                ? " The default is compared without its cast: where PostgreSQL prints it otherwise, a rerun sets it again, which is harmless."
                : "";
            steps.Add(new GuardedStep(
                $"{label}: {string.Join("; ", parts.Select(p => p.What))}. Catalog changes only, each made only where the column still "
                + "differs, so a column already changed takes no lock." + defaults,
                $"""
                DO $alter$
                BEGIN
                {SqlNames.Indent(string.Join('\n', parts.Select(p => p.Sql)), 4)}
                END
                $alter$;
                """));
        }

        if (kept.Count > 0)
        {
            steps.Add(new GuardedStep($"Reverting leaves {label} with {string.Join(", and ", kept)}.", Sql: null));
        }

        return steps;
    }

    /// <summary>In Up, a change PostgreSQL can only make by rewriting or re-indexing stops generation; in Down it is kept.</summary>
    private static void Unsafe(PlanContext context, AlterColumnOperation column, List<string> kept, bool changed, string what)
    {
        if (!changed)
        {
            return;
        }

        if (context.IsUp)
        {
            throw Refusals.ColumnChange(context.Migration, column.Table, column.Name, what);
        }

        kept.Add($"its {what} (changing it back would rewrite or re-index the table)");
    }

    private static TypeChange Classify(string? from, string? to)
    {
        if (from == to || from is null || to is null)
        {
            return TypeChange.None;
        }

        var fromText = TextType().Match(from);
        var toText = TextType().Match(to);
        if (!fromText.Success || !toText.Success)
        {
            return TypeChange.Rewrite;
        }

        if (!toText.Groups["length"].Success)
        {
            return TypeChange.Widening;
        }

        return fromText.Groups["length"].Success
               && int.Parse(fromText.Groups["length"].Value, CultureInfo.InvariantCulture) < int.Parse(toText.Groups["length"].Value, CultureInfo.InvariantCulture)
            ? TypeChange.Widening
            : TypeChange.Narrowing;
    }

    /// <summary>A store type as PostgreSQL's format_type prints it, for the text types this class may widen.</summary>
    private static string? Canonical(string? type)
    {
        if (type is null)
        {
            return null;
        }

        var lower = Whitespace().Replace(type.Trim().ToLowerInvariant(), " ");
        return VarcharAlias().Replace(lower, "character varying");
    }

    /// <summary>The new default as SQL: the model's SQL, or the provider's literal for a CLR value; null when there is none.</summary>
    private static string? DefaultExpression(PlanContext context, AlterColumnOperation column)
    {
        if (column.DefaultValueSql is { } sql)
        {
            return sql;
        }

        if (column.DefaultValue is null)
        {
            return null;
        }

        var definition = context.Provider.ColumnDefinition(column, column.Table, null, column.Name);
        var at = definition.IndexOf(" DEFAULT ", StringComparison.Ordinal);
        return at < 0 ? throw new InvalidOperationException($"no DEFAULT in the provider's column SQL: {definition}") : definition[(at + 9)..];
    }

    /// <summary>The default as pg_get_expr prints it, without a trailing cast (booleans and NULL in lower case).</summary>
    private static string WithoutCast(string expression)
    {
        var bare = TrailingCast().Replace(expression.Trim(), "");
        return bare.ToUpperInvariant() is "TRUE" or "FALSE" or "NULL" ? bare.ToLowerInvariant() : bare;
    }

    [GeneratedRegex(@"^(text|character varying(\((?<length>\d+)\))?)$")]
    private static partial Regex TextType();

    [GeneratedRegex(@"^varchar\b")]
    private static partial Regex VarcharAlias();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"::[a-z ]+(\([0-9, ]+\))?(\[\])?$")]
    private static partial Regex TrailingCast();
}

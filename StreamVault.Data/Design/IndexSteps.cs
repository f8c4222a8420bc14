using System.Globalization;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;
using StreamVault.Data.Migrations;

namespace StreamVault.Data.Design;

/// <summary>
/// Index builds. On a table that already exists (and may be large and written to), an index is built
/// <c>CONCURRENTLY</c> outside the migration's transaction, after the same preparation <see cref="ConcurrentIndexGuard"/>
/// writes (an INVALID leftover is dropped, someone else's index of that name stops the run), frozen as text; the
/// engine does not even send a build whose valid index exists. On a table the migration creates, a plain build in the
/// transaction suffices.
/// </summary>
internal static class IndexSteps
{
    private static readonly string[] WildcardAnnotations =
    [
        NpgsqlAnnotations.IndexOperators, NpgsqlAnnotations.IndexCollation, NpgsqlAnnotations.IndexNullSortOrder,
        NpgsqlAnnotations.TsVectorConfig,
    ];

    public static IEnumerable<GuardedStep> Create(PlanContext context, CreateIndexOperation index)
    {
        context.RequirePlain("index", index.Name);
        context.RequirePlain("table", index.Table);
        var names = context.Names;
        var columns = string.Join(", ", index.Columns);
        if (context.IsUp)
        {
            WarnAboutDuplicates(context, index);
        }

        // The one placeholder is the other index's name; everything else is escaped text.
        var notice = SqlNames.Literal(
            $"{context.Migration}: index {index.Name} on {index.Table} ({columns}) duplicates ".Replace("%", "%%", StringComparison.Ordinal)
            + "%, an index of the same columns; keep one of them");
        if (context.CreatesTable(index.Table, index.Schema))
        {
            yield return new GuardedStep(
                $"{index.Table} is created (or completed) by this migration, so {index.Name} is built in its transaction; checked first, as "
                + "CREATE INDEX locks out writers before it notices the index exists.",
                $"""
                DO $index$
                BEGIN
                    IF {names.ToRegClass(index.Name, null)} IS NULL THEN
                {SqlNames.Indent(context.Provider.CreateIndex(index, concurrently: false), 8)}
                    END IF;
                END
                $index$;
                """);
            yield break;
        }

        yield return new GuardedStep(
            $"An index on the same columns under another name would make {index.Name} a duplicate: the run's log says so.",
            $"""
            DO $duplicate$
            DECLARE
                other text;
            BEGIN
                SELECT string_agg(c.relname::text, ', ' ORDER BY c.relname) INTO other
                FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                WHERE i.indrelid = {names.ToRegClass(index.Table, null)} AND c.relname <> {SqlNames.Literal(index.Name)} AND i.indexprs IS NULL
                  AND ARRAY(SELECT a.attname::text
                            FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k (attnum, n)
                            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                            WHERE k.n <= i.indnkeyatts ORDER BY k.n) = ARRAY[{string.Join(", ", index.Columns.Select(SqlNames.Literal))}];
                IF other IS NOT NULL THEN
                    RAISE NOTICE {notice}, other;
                END IF;
            END
            $duplicate$;
            """);
        yield return new GuardedStep(
            "IF NOT EXISTS would keep an INVALID index a failed concurrent build left behind, so such a leftover is dropped first; an index of "
            + "the same name with another definition is someone else's: stop, naming both.",
            ConcurrentIndexGuard.Prepare(context.Migration, (index.Name, index.Table, index.IsUnique, Definition(context, index))));
        yield return new GuardedStep(
            $"Built concurrently, outside any transaction: {index.Table} may be large and the app keeps writing to it while the index builds.",
            context.Provider.CreateIndex(index, concurrently: true),
            SuppressTransaction: true);
    }

    public static IEnumerable<GuardedStep> Drop(PlanContext context, DropIndexOperation index)
    {
        context.RequirePlain("index", index.Name);
        yield return new GuardedStep(
            "Dropped concurrently, outside the migration's transaction, so the table stays readable and writable meanwhile; an index "
            + "already gone takes no lock.",
            $"DROP INDEX CONCURRENTLY IF EXISTS {context.Names.Identifier(index.Name)};",
            SuppressTransaction: true);
    }

    public static IEnumerable<GuardedStep> Rename(PlanContext context, RenameIndexOperation index)
    {
        context.RequirePlain("index", index.NewName);
        var names = context.Names;
        yield return new GuardedStep(
            $"Renames {index.Name} only where it still has its old name and nothing has the new one.",
            $"""
            DO $rename$
            BEGIN
                IF {names.ToRegClass(index.Name, null)} IS NOT NULL AND {names.ToRegClass(index.NewName, null)} IS NULL THEN
                    ALTER INDEX {names.Identifier(index.Name)} RENAME TO {names.Identifier(index.NewName)};
                END IF;
            END
            $rename$;
            """);
    }

    /// <summary>
    /// The index as pg_get_indexdef prints it after <c>USING</c>, for <see cref="ConcurrentIndexGuard"/>'s comparison (a LIKE
    /// pattern: where the text PostgreSQL prints cannot be predicted, such as a filter's, <c>%</c> stands for it).
    /// </summary>
    private static string Definition(PlanContext context, CreateIndexOperation index)
    {
        var names = context.Names;
        var wildcard = WildcardAnnotations.Any(a => index[a] is not null);
        var columns = wildcard
            ? "%"
            : string.Join(", ", index.Columns.Select((c, i) => names.Identifier(c) + (index.IsDescending is { } d && d.Length > i && d[i] ? " DESC" : "")));
        var definition = string.Create(CultureInfo.InvariantCulture, $"{index[NpgsqlAnnotations.IndexMethod] as string ?? "btree"} ({columns})");
        if (index[NpgsqlAnnotations.IndexInclude] is string[] { Length: > 0 } include)
        {
            definition += $" INCLUDE ({string.Join(", ", include.Select(names.Identifier))})";
        }

        if (index[NpgsqlAnnotations.NullsDistinct] is false)
        {
            definition += " NULLS NOT DISTINCT";
        }

        var storage = index.GetAnnotations().Any(a => a.Name.StartsWith(NpgsqlAnnotations.StorageParameterPrefix, StringComparison.Ordinal));
        return index.Filter is not null || storage ? definition + "%" : definition;
    }

    /// <summary>
    /// Warns (dotnet ef prints it) when the model already has another index or key on exactly these columns of the table,
    /// such as <c>idx_streams_category_recent</c> for a new index on <c>streams (category_name, started_at)</c>.
    /// </summary>
    private static void WarnAboutDuplicates(PlanContext context, CreateIndexOperation index)
    {
        if (context.TargetModel?.FindTable(index.Table, index.Schema) is not { } table)
        {
            return;
        }

        var others = table.Indexes.Select(i => (i.Name, Columns: i.Columns.Select(c => c.Name).ToArray()))
            .Concat(table.UniqueConstraints.Select(u => (u.Name, Columns: u.Columns.Select(c => c.Name).ToArray())))
            .Where(o => o.Name != index.Name && o.Columns.SequenceEqual(index.Columns, StringComparer.Ordinal))
            .Select(o => o.Name)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (others.Count > 0)
        {
            context.Warn(
                $"{context.Migration}: index {index.Name} on {index.Table} ({string.Join(", ", index.Columns)}) duplicates "
                + $"{string.Join(", ", others)}, which the model already has on the same columns; remove one of them (HasIndex) unless both are meant.");
        }
    }
}

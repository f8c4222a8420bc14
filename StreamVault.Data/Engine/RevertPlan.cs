using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Npgsql;
using StreamVault.Data.Engine;
using StreamVault.Data.Migrations;

namespace StreamVault.Data.Engine;

/// <summary>
/// The check a revert makes before its first <c>Down</c> runs. EF reverts migration by migration, each in its own
/// transaction, so a <c>Down</c> that refuses halfway leaves the newer ones reverted (and their ledger rows deleted,
/// which makes the Python app run them again). Every <c>Down</c> of the range is therefore checked first, under the
/// run lock: a table or column it drops (or its <see cref="RevertGuard"/> protects) that holds data, and any object
/// outside the range that depends on one of them or on an index it drops (a foreign key of another table, a view),
/// which would make PostgreSQL refuse the drop (2BP01). Any blocker refuses the whole revert.
/// </summary>
internal static partial class RevertPlan
{
    /// <summary>What a <c>Down</c> drops or guards: a table, a column of a table, or an index.</summary>
    internal sealed record Target(string Migration, TargetKind Kind, string Table, string? Column)
    {
        public string Label => Kind == TargetKind.Column ? $"{Table}.{Column}" : Table;
    }

    internal enum TargetKind
    {
        Table,
        Column,
        Index,
    }

    /// <summary>Refuses (<see cref="RevertRefusedException"/>) a revert of <paramref name="newestFirst"/> that any Down would refuse.</summary>
    /// <param name="connection">The run's connection, holding the run lock.</param>
    /// <param name="newestFirst">The migrations to revert, in the order EF reverts them.</param>
    /// <param name="target">The EF id of the migration reverted to, or <c>0</c>.</param>
    public static void Check(NpgsqlConnection connection, IReadOnlyList<Migration> newestFirst, string target)
    {
        ArgumentNullException.ThrowIfNull(newestFirst);
        var blockers = Blockers(connection, newestFirst.SelectMany(TargetsOf).ToList());
        if (blockers.Count > 0)
        {
            throw new RevertRefusedException(target, blockers);
        }
    }

    /// <summary>The tables, columns and indexes a migration's Down drops or guards, in the order it names them.</summary>
    public static IReadOnlyList<Target> TargetsOf(Migration migration)
    {
        ArgumentNullException.ThrowIfNull(migration);
        var name = migration.GetType().Name;
        var targets = new List<Target>();
        foreach (var sql in migration.DownOperations.OfType<SqlOperation>().Select(o => o.Sql))
        {
            targets.AddRange(RevertGuard.GuardedBy(sql)
                .Select(g => new Target(name, g.Column is null ? TargetKind.Table : TargetKind.Column, g.Table, g.Column)));
            foreach (Match drop in Drop().Matches(sql))
            {
                if (drop.Groups["column"].Success)
                {
                    targets.Add(new Target(name, TargetKind.Column, drop.Groups["table"].Value, drop.Groups["column"].Value));
                }
                else
                {
                    var kind = drop.Groups["what"].Value.Equals("TABLE", StringComparison.OrdinalIgnoreCase) ? TargetKind.Table : TargetKind.Index;
                    targets.AddRange(drop.Groups["names"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                        .Select(n => new Target(name, kind, n, null)));
                }
            }
        }

        return targets.Distinct().ToList();
    }

    /// <summary>
    /// What would refuse a revert of <paramref name="newestFirst"/>, for <c>plan</c>: with <paramref name="estimatedRows"/>
    /// the rows come from it (the catalog's estimates: no table is read), else they are counted as the revert counts them.
    /// </summary>
    public static IReadOnlyList<string> Blockers(
        NpgsqlConnection connection, IReadOnlyList<Migration> newestFirst, Func<Target, long?>? estimatedRows)
    {
        ArgumentNullException.ThrowIfNull(newestFirst);
        return Blockers(connection, newestFirst.SelectMany(TargetsOf).ToList(), estimatedRows);
    }

    /// <summary>Every blocker of <paramref name="targets"/>, each a phrase naming the migration whose Down it blocks.</summary>
    private static List<string> Blockers(NpgsqlConnection connection, List<Target> targets, Func<Target, long?>? estimatedRows = null)
    {
        var found = new List<(int Order, string Text)>();
        for (var i = 0; i < targets.Count; i++)
        {
            var target = targets[i];
            if (target.Kind == TargetKind.Index)
            {
                continue;
            }

            if (estimatedRows is not null)
            {
                if (estimatedRows(target) is long estimate && estimate > 0)
                {
                    found.Add((i, target.Kind == TargetKind.Table
                        ? string.Create(CultureInfo.InvariantCulture, $"table {target.Table} holds about {estimate} rows, by the planner's estimate ({target.Migration})")
                        : string.Create(CultureInfo.InvariantCulture, $"column {target.Label} holds values in about {estimate} rows, by the planner's estimate ({target.Migration})")));
                }

                continue;
            }

            var rows = RowsHoldingData(connection, target);
            if (rows > 0)
            {
                var plural = rows == 1 ? "row" : "rows";
                found.Add((i, target.Kind == TargetKind.Table
                    ? string.Create(CultureInfo.InvariantCulture, $"table {target.Table} holds {rows} {plural} ({target.Migration})")
                    : string.Create(CultureInfo.InvariantCulture, $"column {target.Label} holds values in {rows} {plural} ({target.Migration})")));
            }
        }

        using (var command = new NpgsqlCommand(DependentsSql, connection))
        {
            command.Parameters.AddWithValue("kinds", targets.Select(t => t.Kind.ToString().ToLowerInvariant()).ToArray());
            command.Parameters.AddWithValue("names", targets.Select(t => t.Table).ToArray());
            command.Parameters.AddWithValue("columns", targets.Select(t => t.Column ?? "").ToArray());
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var target = targets[(int)reader.GetInt64(0) - 1];
                found.Add(((int)reader.GetInt64(0) - 1, $"{reader.GetString(1)} ({target.Migration})"));
            }
        }

        // Each blocker once, in the order the Downs would meet them: rows before dependents of the same object.
        return found.OrderBy(f => f.Order).Select(f => f.Text).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>Rows of a table, or rows with a value in a column; 0 when it is already gone.</summary>
    private static long RowsHoldingData(NpgsqlConnection connection, Target target)
    {
        using var exists = target.Column is null
            ? new NpgsqlCommand(CatalogSql.RelationExistsQuery, connection) { Parameters = { new("name", Sql.Identifier(target.Table)) } }
            : new NpgsqlCommand($"SELECT {CatalogSql.ColumnCount(target.Table, [target.Column])} = 1", connection);
        if (!(bool)exists.ExecuteScalar()!)
        {
            return 0;
        }

        var table = Sql.Identifier(target.Table);
        using var count = new NpgsqlCommand(
            target.Column is null ? $"SELECT count(*) FROM {table}" : $"SELECT count(*) FROM {table} WHERE {Sql.Identifier(target.Column)} IS NOT NULL",
            connection);
        return (long)count.ExecuteScalar()!;
    }


    /// <summary>
    /// Objects that depend (normal dependency, so no drop takes them along) on a target or a dropped table's row type, except those of a table the
    /// range drops itself and, for a column, those of its own table (a column drop takes its table's indexes and
    /// constraints along). One row per blocker: the target's position (1-based) and a phrase.
    /// </summary>
    private const string DependentsSql = """
        WITH targets AS (
            SELECT t.ord, t.kind, c.oid AS rel, c.reltype, coalesce(a.attnum, 0::int2) AS attnum,
                   CASE WHEN t.kind = 'column' THEN t.name || '.' || t.col ELSE t.name END AS label
            FROM unnest(@kinds::text[], @names::text[], @columns::text[]) WITH ORDINALITY AS t(kind, name, col, ord)
            JOIN pg_class c ON c.oid = to_regclass(quote_ident(t.name))
            LEFT JOIN pg_attribute a ON t.kind = 'column' AND a.attrelid = c.oid AND a.attname = t.col AND NOT a.attisdropped
            WHERE t.kind <> 'column' OR a.attnum IS NOT NULL
        ),
        dependents AS (
            SELECT t.ord, t.kind, t.rel,
                   CASE WHEN d.classid = 'pg_constraint'::regclass THEN con.conrelid
                        WHEN d.classid = 'pg_rewrite'::regclass THEN rw.ev_class
                        WHEN d.classid = 'pg_class'::regclass THEN d.objid
                   END AS owner,
                   CASE WHEN con.contype = 'f' THEN
                            format('%s.%s references %s', con.conrelid::regclass,
                                   (SELECT string_agg(quote_ident(fa.attname), ', ' ORDER BY k.n)
                                    FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, n)
                                    JOIN pg_attribute fa ON fa.attrelid = con.conrelid AND fa.attnum = k.attnum),
                                   t.label)
                        WHEN rw.oid IS NOT NULL THEN
                            format('%s %s depends on %s', CASE WHEN vc.relkind = 'm' THEN 'materialized view' ELSE 'view' END,
                                   rw.ev_class::regclass, t.label)
                        ELSE format('%s depends on %s', pg_describe_object(d.classid, d.objid, d.objsubid), t.label)
                   END AS phrase
            FROM targets t
            JOIN pg_depend d ON d.deptype = 'n'
                            AND ((d.refclassid = 'pg_class'::regclass AND d.refobjid = t.rel AND (t.attnum = 0 OR d.refobjsubid = t.attnum))
                                 -- a table's row type goes with it: a column or function using that type blocks the drop too
                                 OR (t.kind = 'table' AND d.refclassid = 'pg_type'::regclass AND d.refobjid = t.reltype))
            LEFT JOIN pg_constraint con ON d.classid = 'pg_constraint'::regclass AND con.oid = d.objid
            LEFT JOIN pg_rewrite rw ON d.classid = 'pg_rewrite'::regclass AND rw.oid = d.objid
            LEFT JOIN pg_class vc ON vc.oid = rw.ev_class
        )
        SELECT ord, phrase FROM (
            SELECT DISTINCT ord, phrase FROM dependents
            WHERE owner IS NULL
               OR (owner NOT IN (SELECT rel FROM targets WHERE kind = 'table') AND NOT (kind = 'column' AND owner = rel))
        ) AS blockers
        ORDER BY ord, phrase COLLATE "C"
        """;

    /// <summary>DROP TABLE / DROP INDEX [CONCURRENTLY] [IF EXISTS] names, and ALTER TABLE t DROP COLUMN [IF EXISTS] c.</summary>
    [GeneratedRegex(
        @"\bDROP\s+(?<what>TABLE|INDEX)\s+(?:CONCURRENTLY\s+)?(?:IF\s+EXISTS\s+)?(?<names>[a-z_][a-z0-9_]*(?:\s*,\s*[a-z_][a-z0-9_]*)*)"
        + @"|\bALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?(?<table>[a-z_][a-z0-9_]*)\s+DROP\s+COLUMN\s+(?:IF\s+EXISTS\s+)?(?<column>[a-z_][a-z0-9_]*)",
        RegexOptions.IgnoreCase)]
    private static partial Regex Drop();
}

using System.Globalization;
using System.Text;
using StreamVault.Data.Engine;
using StreamVault.Data.Operations;

namespace StreamVault.Cli.Rendering;

/// <summary>
/// <c>plan</c> as text: a line per migration, two per statement (what it does; its locks and cost), the tables, the
/// totals and the refusals; then, with <c>--rehearse-on</c>, what each statement did on the copy.
/// </summary>
internal static class PlanText
{
    public static string Render(PlanReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"🧭 Plan for {report.Database} on {report.Server}{(report.Target is { } target ? $" to {target}" : "")} (nothing is changed)\n");
        if (report.UpToDate)
        {
            text.Append(QuickAnswers.UpToDateLine).Append(": nothing to apply or revert\n");
            if (report.LedgerNote is { } quiet)
            {
                text.Append(CultureInfo.InvariantCulture, $"📒 {quiet}\n");
            }
        }

        foreach (var migration in report.Migrations)
        {
            Append(text, migration);
        }

        if (report.Tables.Count > 0)
        {
            text.Append("📊 Tables:\n");
            foreach (var table in report.Tables)
            {
                text.Append(CultureInfo.InvariantCulture,
                    $"   {table.Name}: {Rows(table)}, {Size(table.SizeBytes)}, strongest lock {table.StrongestLock} ({LockModes.Blocks(table.StrongestLock)})\n");
            }
        }

        if (!report.UpToDate && report.LedgerNote is { } note)
        {
            text.Append(CultureInfo.InvariantCulture, $"📒 {note}\n");
        }

        foreach (var refusal in report.Refusals)
        {
            text.Append(CultureInfo.InvariantCulture, $"⛔ {refusal.Migration}: {refusal.Message}{(refusal.Certain ? "" : " (estimate)")}\n");
        }

        foreach (var open in report.Unchecked)
        {
            text.Append(CultureInfo.InvariantCulture, $"❔ {open.Migration}: {open.Message}\n");
        }

        if (!report.UpToDate)
        {
            var t = report.Totals;
            text.Append(CultureInfo.InvariantCulture,
                $"🎯 Plan summary: {t.Migrations} migration{S(t.Migrations)} ({t.Adopted} adopted), {t.Statements} statement{S(t.Statements)}: {t.Run} run, {t.Skipped} skipped, {t.Checks} check{S(t.Checks)}; ");
            text.Append(CultureInfo.InvariantCulture,
                $"{t.IndexBuilds} index build{S(t.IndexBuilds)} over ~{t.RowsIndexed:N0} rows, {t.Scans} scan{S(t.Scans)} over ~{t.RowsScanned:N0} rows, {t.Rewrites} rewrite{S(t.Rewrites)} of ~{t.RowsRewritten:N0} rows; ");
            text.Append(t.AccessExclusiveTables.Count == 0
                ? "no ACCESS EXCLUSIVE lock"
                : $"ACCESS EXCLUSIVE on {string.Join(", ", t.AccessExclusiveTables)}");
            text.Append(CultureInfo.InvariantCulture, $"; {report.Refusals.Count} refusal{S(report.Refusals.Count)}{(report.CheckedData ? " (data checked)" : "")}");
            text.Append(report.Unchecked.Count == 0 ? "\n" : string.Create(CultureInfo.InvariantCulture, $", {report.Unchecked.Count} unchecked (--check-data checks)\n"));
        }

        if (report.Rehearsal is { } rehearsal)
        {
            Append(text, rehearsal);
        }

        return text.ToString();
    }

    private static void Append(StringBuilder text, PlannedMigration migration)
    {
        var (mark, verb) = migration.Action switch
        {
            PlannedAction.Adopt => ("⏭️", "adopt"),
            PlannedAction.Revert => ("⏪", "revert"),
            _ => ("▶️", "apply"),
        };
        text.Append(CultureInfo.InvariantCulture, $"{mark} {migration.Id}: {verb}{(migration.Note is { } note ? $" ({note})" : "")}\n");
        foreach (var s in migration.Statements)
        {
            var verdict = s.Verdict switch
            {
                StatementVerdict.Skip => "skip ",
                StatementVerdict.Check => "check",
                _ => "run  ",
            };
            text.Append(CultureInfo.InvariantCulture, $"   {s.Index + 1,3}. {verdict} {s.Summary} — {string.Join("; ", s.Reasons)}\n");
            if (s.Verdict == StatementVerdict.Skip && s.Locks.Count == 0)
            {
                continue;
            }

            var locks = s.Locks.Count == 0 ? "no table lock" : string.Join(", ", s.Locks.Select(l => $"{l.Mode} on {l.Table}"));
            text.Append(CultureInfo.InvariantCulture, $"        🔒 {locks}; ⏱ {s.Duration}{(s.Rewrites ? "; rewrites the table" : "")}{(s.Transactional ? "" : "; outside a transaction")}\n");
        }
    }

    private static void Append(StringBuilder text, RehearsalReport rehearsal)
    {
        text.Append(CultureInfo.InvariantCulture, $"🧪 Rehearsal on {rehearsal.Database} on {rehearsal.Server}:\n");
        if (rehearsal.DiffersFromPlan is { } differs)
        {
            text.Append(CultureInfo.InvariantCulture, $"⚠️ {differs}\n");
        }

        foreach (var migration in rehearsal.Migrations)
        {
            text.Append(CultureInfo.InvariantCulture, $"{(migration.Adopted ? "⏭️" : "▶️")} {migration.Id}: {(migration.Adopted ? "adopted" : "ran")} in {migration.DurationMs} ms\n");
            foreach (var s in migration.Statements)
            {
                var locks = s.Locks.Count == 0 ? "no table lock seen (none, or none held across a 20 ms sample)" : string.Join(", ", s.Locks.Select(l => $"{l.Mode} on {l.Table} ({l.HeldMs} ms)"));
                var rewrites = s.Tables.Where(t => t.Rewritten).Select(t => t.Table).ToList();
                text.Append(CultureInfo.InvariantCulture,
                    $"   {s.Index + 1,3}. {(s.Failed ? "FAILED" : s.SkippedByEngine ? "skipped by the engine" : $"{s.DurationMs} ms")}: {s.Summary}\n");
                text.Append(CultureInfo.InvariantCulture,
                    $"        🔒 {locks}; {(rewrites.Count == 0 ? "no rewrite" : $"rewrote {string.Join(", ", rewrites)}")}\n");
            }
        }

        text.Append(rehearsal.Failure is { } failure
            ? string.Create(CultureInfo.InvariantCulture, $"💥 Rehearsal failed after {rehearsal.DurationMs} ms: {failure}\n")
            : string.Create(CultureInfo.InvariantCulture, $"🎉 Rehearsal completed in {rehearsal.DurationMs} ms\n"));
    }

    private static string Rows(PlannedTable table)
        => table.RowsSource == "created by this run" ? "created by this run"
            : table.EstimatedRows is { } rows ? string.Create(CultureInfo.InvariantCulture, $"~{rows:N0} rows ({table.RowsSource})")
            : "rows unknown (never analyzed)";

    private static string Size(long? bytes)
        => bytes switch
        {
            null => "size unknown",
            < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} kB"),
            < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024:0.#} MB"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024 / 1024:0.##} GB"),
        };

    private static string S(long count) => count == 1 ? "" : "s";
}

using System.Globalization;
using System.Text;
using StreamVault.Data.Engine;
using StreamVault.Data.Operations;

namespace StreamVault.Cli.Rendering;

/// <summary>
/// The operations' reports as the text streamvault-db prints: one line per check or item, then a summary line, in the
/// style of the Python app's validate_database.py. The library returns the reports; only the CLI renders them.
/// </summary>
internal static class ReportText
{
    /// <summary>Any report: the matching rendering below.</summary>
    public static string Render(object report) => report switch
    {
        StatusReport status => Render(status),
        ValidationReport validation => Render(validation),
        RepairReport repair => Render(repair),
        MarkAppliedReport markApplied => Render(markApplied),
        ScriptReport script => script.Sql,
        _ => throw new ArgumentException($"no text rendering for {report?.GetType().Name}", nameof(report)),
    };

    public static string Render(StatusReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"📋 Migration status of {report.Database} on {report.Server}\n");
        foreach (var m in report.Migrations)
        {
            var mark = m.State switch
            {
                MigrationStateKind.Applied => "✅",
                MigrationStateKind.Failed => "❌",
                _ => "⏳",
            };
            text.Append(CultureInfo.InvariantCulture, $"{mark} {m.Id} {m.State.ToString().ToLowerInvariant()}");
            if (m.LedgerName != m.Id)
            {
                text.Append(CultureInfo.InvariantCulture, $" (ledger name {m.LedgerName})");
            }

            if (m.Ledger is { } l)
            {
                text.Append(CultureInfo.InvariantCulture,
                    $" — ledger: {(l.Success == true ? "success" : l.Success == false ? "FAILED" : "unknown")}");
                if (l.AppliedAt is { } at)
                {
                    text.Append(CultureInfo.InvariantCulture, $", {at.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z");
                }

                if (l.ExecutionMs is { } ms)
                {
                    text.Append(CultureInfo.InvariantCulture, $", {ms} ms");
                }

                if (l.AppliedBy is { } by)
                {
                    text.Append(CultureInfo.InvariantCulture, $", by {by}");
                }

                if (l.Error is { } error)
                {
                    text.Append(CultureInfo.InvariantCulture, $", error: {error}");
                }

                // Every row says where its checksum stands, not only a mismatch: rows without one are the Python app's.
                text.Append(l.ChecksumMatches switch
                {
                    true => ", checksum matches",
                    false => ", checksum differs: SQL CHANGED since applied",
                    null => ", no checksum",
                });
            }
            else if (m.AppliedInHistory)
            {
                text.Append(" — no ledger row");
            }

            text.Append('\n');
        }

        foreach (var hole in report.Holes)
        {
            text.Append(CultureInfo.InvariantCulture, $"🕳 {hole} is not applied although newer migrations are: the next run applies it\n");
        }

        foreach (var unknown in report.UnknownHistory)
        {
            text.Append(CultureInfo.InvariantCulture, $"❓ {unknown} is in EF history but not in this version\n");
        }

        if (report.LegacyHistory is { } legacyHistory)
        {
            text.Append(CultureInfo.InvariantCulture, $"📜 The app's migrations table: {legacyHistory.Count} scripts\n");
            foreach (var legacy in legacyHistory)
            {
                text.Append(CultureInfo.InvariantCulture,
                    $"   {(legacy.Success == true ? "✅" : legacy.Success == false ? "❌" : "❔")} {(legacy.Id is { } id ? $"{id} " : "")}{legacy.ScriptName}{(legacy.AppliedAt is { } at ? " " + at.Replace('T', ' ') : "")}\n");
            }
        }

        text.Append(CultureInfo.InvariantCulture,
            $"🎯 Migration summary: {report.AppliedCount} applied, {report.PendingCount} pending, {report.FailedCount} failed\n");
        return text.ToString();
    }

    /// <summary>One check as one line: a mark, then the message.</summary>
    public static string Render(ValidationCheck check)
    {
        ArgumentNullException.ThrowIfNull(check);
        return check.Severity switch
        {
            CheckSeverity.Ok => "✅ ",
            CheckSeverity.Warning => "⚠️ ",
            _ => "❌ ",
        } + check.Message;
    }

    public static string Render(ValidationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"🔍 Validating database schema of {report.Database} on {report.Server} against {(report.ExpectedShapeSource == ExpectedShapeSource.Shadow ? "a freshly migrated shadow database" : "the embedded schema snapshot")}...\n");
        foreach (var check in report.Checks)
        {
            text.Append(Render(check)).Append('\n');
        }

        text.Append(CultureInfo.InvariantCulture, $"📊 {report.MigrationsTracked} migrations tracked in database\n");
        var warnings = report.WarningCount == 0 ? "" : string.Create(CultureInfo.InvariantCulture,
            $", {report.WarningCount} warning{(report.WarningCount == 1 ? "" : "s")}{(report.Strict ? " (strict: warnings fail)" : "")}");
        text.Append(report.IsClean
            ? string.Create(CultureInfo.InvariantCulture, $"🎉 Database schema validation passed! ({report.PassedCount} checks ok{warnings})\n")
            : string.Create(CultureInfo.InvariantCulture,
                $"💥 Database schema validation failed: {report.ErrorCount} error{(report.ErrorCount == 1 ? "" : "s")}{warnings}, of {report.Checks.Count} checks\n"));
        return text.ToString();
    }

    /// <summary>One line: what was done, planned (with its SQL), failed (with the error) or refused.</summary>
    public static string Render(RepairAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return action.Status switch
        {
            RepairActionStatus.Applied => "🔧 " + action.Message,
            RepairActionStatus.Planned => "📝 " + action.Message + " (dry run): " + string.Join("; ", action.Sql.Select(s => s.ReplaceLineEndings(" "))),
            RepairActionStatus.Failed => "❌ " + action.Message + ": " + action.Error,
            _ => "⚠️ " + action.Message,
        };
    }

    public static string Render(RepairReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"🛠️ Repairing {report.Database} on {report.Server}{(report.DryRun ? " (dry run: nothing is changed)" : "")}...\n");
        var kept = report.Kept;
        if (report.Actions.Count == 0)
        {
            text.Append(kept.Count == 0
                ? "✅ Nothing to repair: the database matches the migrations\n"
                : "✅ Nothing to repair: no errors, and what validate warns about is kept\n");
        }

        foreach (var action in report.Actions)
        {
            text.Append(Render(action)).Append('\n');
        }

        // Validate's warnings, listed so that a clean summary does not hide what was deliberately left as it is.
        foreach (var check in kept)
        {
            text.Append("📌 Kept: ").Append(check.Message).Append('\n');
        }

        var count = (RepairActionStatus status) => report.Actions.Count(a => a.Status == status);
        text.Append(CultureInfo.InvariantCulture,
            $"🎯 Repair summary: {count(RepairActionStatus.Applied)} repaired, {count(RepairActionStatus.Planned)} planned, {count(RepairActionStatus.Failed)} failed, {count(RepairActionStatus.Refused)} left for you, {kept.Count} kept");
        if (report.After is { } after)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"; validation now {(after.IsClean ? "passes" : $"fails ({after.FailedCount} checks)")}");
        }

        return text.Append('\n').ToString();
    }

    public static string Render(MarkAppliedReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        foreach (var check in report.ObjectChecks)
        {
            text.Append(Render(check)).Append('\n');
        }

        var mark = report.Outcome switch
        {
            MarkAppliedOutcome.Applied => "✅",
            MarkAppliedOutcome.Planned => "📝",
            MarkAppliedOutcome.AlreadyApplied => "⏭️",
            _ => "❌",
        };
        return text.Append(mark).Append(' ').Append(report.Message).Append('\n').ToString();
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;

namespace StreamVault.Data.Operations;

/// <summary>What happened to a repair action.</summary>
internal enum RepairActionStatus
{
    /// <summary>Would run (dry run), or had nothing to wait for.</summary>
    Planned,

    /// <summary>Ran successfully.</summary>
    Applied,

    /// <summary>Ran and failed; <see cref="RepairAction.Error"/> says why. Later actions still ran.</summary>
    Failed,

    /// <summary>Not safe to do automatically; <see cref="RepairAction.Message"/> says why and what to do.</summary>
    Refused,
}

/// <summary>
/// One thing repair did, would do, or refuses to do. JSON:
/// <c>{"kind": "index|constraint|ledger|column|table|migration|checksum", "table": "streams"|null, "name": "idx_streams_title",
/// "status": "planned|applied|failed|refused", "message": "...", "sql": ["CREATE INDEX CONCURRENTLY ...", ...], "error": null|"..."}</c>.
/// </summary>
internal sealed record RepairAction(
    string Kind, string? Table, string Name, RepairActionStatus Status, string Message, IReadOnlyList<string> Sql, string? Error);

/// <summary>
/// Result of <see cref="SchemaRepair.RepairAsync"/>. JSON:
/// <c>{"database": "...", "server": "...", "dryRun": false, "succeeded": true, "isClean": true,
/// "actions": [RepairAction, ...], "kept": [ValidationCheck, ...], "before": ValidationReport, "after": ValidationReport|null}</c>;
/// <c>after</c> is the validation once the actions ran (null in a dry run).
/// </summary>
internal sealed record RepairReport(
    string Database, string Server, bool DryRun, IReadOnlyList<RepairAction> Actions, ValidationReport Before, ValidationReport? After)
{
    /// <summary>No action failed (refused ones do not count: they were never attempted).</summary>
    public bool Succeeded => Actions.All(a => a.Status != RepairActionStatus.Failed);

    /// <summary>The database validates clean after the repair (false in a dry run unless it already was).</summary>
    public bool IsClean => (After ?? Before).IsClean && (!DryRun || Actions.Count == 0);

    /// <summary>
    /// What repair deliberately leaves as it is: validate's warnings (extra columns, indexes, constraints and triggers,
    /// wider or release-sized types, release variants) in the validation it ends with, after the actions (or, in a dry
    /// run, before). Repair acts on errors only, so every warning is kept, never dropped or changed.
    /// </summary>
    public IReadOnlyList<ValidationCheck> Kept => [.. (After ?? Before).Warnings];
}

/// <summary>What mark-applied did.</summary>
internal enum MarkAppliedOutcome
{
    /// <summary>EF history and ledger rows written.</summary>
    Applied,

    /// <summary>Dry run: the SQL that would run.</summary>
    Planned,

    /// <summary>The migration already has its EF history row.</summary>
    AlreadyApplied,

    /// <summary>Objects of the migration are missing or differ, and force was not given.</summary>
    Refused,
}

/// <summary>
/// Result of <see cref="SchemaRepair.MarkAppliedAsync"/>. JSON:
/// <c>{"database": "...", "server": "...", "migrationId": "...", "ledgerName": "...", "outcome": "applied|planned|alreadyApplied|refused",
/// "forced": false, "dryRun": false, "objectChecks": [ValidationCheck, ...], "sql": ["...", ...], "message": "..."}</c>;
/// <c>objectChecks</c> covers the objects the migration creates or changes.
/// </summary>
internal sealed record MarkAppliedReport(
    string Database, string Server, string MigrationId, string LedgerName, MarkAppliedOutcome Outcome, bool Forced, bool DryRun,
    IReadOnlyList<ValidationCheck> ObjectChecks, IReadOnlyList<string> Sql, string Message);

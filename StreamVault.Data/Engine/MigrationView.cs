using StreamVault.Data.Ledger;
using StreamVault.Data.Migrations;

namespace StreamVault.Data.Engine;

/// <summary>One row of <c>applied_migrations</c>; columns the Python table lacks read as null.</summary>
internal sealed record LedgerRow(
    string Name, bool? Success, DateTimeOffset? AppliedAt, int? ExecutionMs, string? AppliedBy, string? Error,
    string? Checksum, string? EfMigrationId)
{
    /// <summary>
    /// Whether the SQL recorded as applied is the migration's SQL now; null for rows without a checksum
    /// (written by the Python app), which have nothing to compare with.
    /// </summary>
    public bool? ChecksumMatches(LedgerEntry entry)
        => string.IsNullOrEmpty(Checksum) ? null : string.Equals(Checksum, entry.Checksum, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// One row of the app's <c>migrations</c> table, in whichever shape it has: <c>script_name</c> as primary key
/// (May 2025 on; upgraded databases keep it), or a serial <c>id</c> beside a unique <c>script_name</c> (July 2025
/// on; v1.0.27 alone called that column <c>name</c>). <see cref="AppliedAt"/> is PostgreSQL's own text of the value.
/// </summary>
internal sealed record LegacyRow(int? Id, string ScriptName, string? AppliedAt, bool? Success);

/// <summary>Where one known migration stands: its state, its EF history row (product version) and its ledger row.</summary>
internal sealed record MigrationStanding(LedgerEntry Entry, MigrationStateKind State, string? ProductVersion, LedgerRow? Row)
{
    public string Id => Entry.MigrationId;

    public bool InHistory => State == MigrationStateKind.Applied;
}

/// <summary>
/// The one view of where each migration stands, used by the fast path, status, validate and the health check.
/// A known migration is applied when EF history has it, failed when it does not and a ledger row says
/// <c>success = false</c> (its own row, or the failure row filed under its EF id), and pending otherwise; a pending or failed migration older than an applied one is a
/// hole (EF applies it on the next run). History ids this build does not know are unknown.
/// </summary>
internal sealed class MigrationView
{
    private MigrationView(IReadOnlyList<MigrationStanding> migrations, IReadOnlyList<string> unknownHistory, IReadOnlyList<LedgerRow> unknownFailures)
    {
        Migrations = migrations;
        UnknownHistory = unknownHistory;
        UnknownFailures = unknownFailures;
        Pending = migrations.Where(m => m.State == MigrationStateKind.Pending).ToList();
        Failed = migrations.Where(m => m.State == MigrationStateKind.Failed).ToList();
        Applied = migrations.Where(m => m.State == MigrationStateKind.Applied).ToList();
        var newestApplied = migrations.LastOrDefault(m => m.InHistory)?.Id;
        Holes = newestApplied is null
            ? []
            : migrations.Where(m => !m.InHistory && string.CompareOrdinal(m.Id, newestApplied) < 0).Select(m => m.Id).ToList();
    }

    /// <summary>Every known migration in id order.</summary>
    public IReadOnlyList<MigrationStanding> Migrations { get; }

    public IReadOnlyList<MigrationStanding> Applied { get; }

    /// <summary>Not applied and not failed.</summary>
    public IReadOnlyList<MigrationStanding> Pending { get; }

    /// <summary>Not applied, with a failure recorded in the ledger.</summary>
    public IReadOnlyList<MigrationStanding> Failed { get; }

    /// <summary>Not applied although a newer migration is.</summary>
    public IReadOnlyList<string> Holes { get; }

    /// <summary>EF history ids this version's migrations do not contain (a newer version migrated), in order.</summary>
    public IReadOnlyList<string> UnknownHistory { get; }

    /// <summary>Failed ledger rows of names no known migration records under (the Python app's, or a newer version's).</summary>
    public IReadOnlyList<LedgerRow> UnknownFailures { get; }

    /// <summary>EF history rows (known or not) without a successful ledger row under the name they record under.</summary>
    public long LedgerBehind { get; private init; }

    /// <summary>Whether the ledger has the columns this layer adds.</summary>
    public bool LedgerComplete { get; private init; }

    /// <summary>
    /// The one answer to "is the database up to date?" (the no-op check, the startup runner, status's exit, the health
    /// check): every known migration in EF history (holes included), every history row with a successful ledger row, and
    /// the ledger with its columns. Anything else is work for a run.
    /// </summary>
    public bool IsUpToDate => Pending.Count == 0 && Failed.Count == 0 && LedgerBehind == 0 && LedgerComplete;

    public static MigrationView Of(IReadOnlyList<LedgerEntry> catalog, MigrationState state)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(state);
        var migrations = catalog.Select(entry =>
        {
            string? productVersion = null;
            var applied = state.History?.TryGetValue(entry.MigrationId, out productVersion) == true;
            LedgerRow? row = null;
            state.Ledger?.TryGetValue(entry.LedgerName, out row);
            // A legacy-named migration's failure is filed under its EF id (LedgerSql.RecordFailure), beside any Python row.
            var failure = state.Ledger?.Values.FirstOrDefault(r => r.Success == false && r.EfMigrationId == entry.MigrationId && r.Name == entry.MigrationId)
                          ?? (row is { Success: false } ? row : null);
            var kind = applied ? MigrationStateKind.Applied : failure is not null ? MigrationStateKind.Failed : MigrationStateKind.Pending;
            return new MigrationStanding(entry, kind, productVersion, kind == MigrationStateKind.Failed ? failure : row);
        }).ToList();
        var known = catalog.Select(e => e.MigrationId).ToHashSet(StringComparer.Ordinal);
        var knownNames = catalog.SelectMany(e => new[] { e.LedgerName, e.MigrationId }).ToHashSet(StringComparer.Ordinal);
        var ledgerNames = catalog.ToDictionary(e => e.MigrationId, e => e.LedgerName, StringComparer.Ordinal);
        // As LedgerSql.MissingLedgerRows counts them where the database did (the no-op statement).
        var ledgerBehind = state.MissingLedgerRows ?? (state.History?.Keys ?? []).LongCount(id =>
            state.Ledger?.TryGetValue(ledgerNames.GetValueOrDefault(id, id), out var row) != true || row!.Success != true);
        return new MigrationView(
            migrations,
            (state.History?.Keys ?? []).Where(id => !known.Contains(id)).Order(StringComparer.Ordinal).ToList(),
            (state.Ledger?.Values ?? []).Where(r => r.Success == false && !knownNames.Contains(r.Name)).ToList())
        {
            LedgerBehind = ledgerBehind,
            LedgerComplete = state.LedgerColumns == LedgerSql.ExtraColumns.Count,
        };
    }
}

/// <summary>Where one migration stands.</summary>
internal enum MigrationStateKind
{
    /// <summary>In EF history.</summary>
    Applied,

    /// <summary>Not in EF history and no failure recorded.</summary>
    Pending,

    /// <summary>Not in EF history and its ledger row records a failure.</summary>
    Failed,
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using StreamVault.Data.Engine;
using StreamVault.Data.Ledger;
using StreamVault.Data.Migrations;

namespace StreamVault.Data.Operations;

/// <summary><c>status</c>: where every migration stands, per EF history and per the ledger. Read-only.</summary>
internal static class DatabaseStatus
{
    /// <summary>Reads EF history, <c>applied_migrations</c> and the app's <c>migrations</c> table; writes nothing.</summary>
    public static async Task<StatusReport> ReadAsync(
        string connectionString, OperationOptions? options = null, CancellationToken cancellationToken = default)
    {
        // Status needs the catalog and the history table's names only. For this assembly's migrations they are compiled in
        // (Migrations/KnownMigrations, written at build time and proven equal to EF's by a test), so status starts no EF (issue #13); a custom migrations
        // assembly is asked through EF as before.
        using var operation = options?.Data?.MigrationsAssembly is null ? null
            : Engine.FeatureSwitches.EntityFrameworkEnabled ? OperationContext.Create(connectionString, options)
            : throw new NotSupportedException("a custom migrations assembly is read through EF Core, which this build leaves out");
        var catalog = operation?.Catalog ?? KnownMigrations.Entries;
        var history = HistoryTable.Default;
        var (database, server) = OperationContext.Describe(connectionString);
        await using var connection = await StreamVaultConnections.DataSource(connectionString).OpenConnectionAsync(cancellationToken);
        var state = await MigrationState.ReadAsync(connection, history, cancellationToken);

        var view = MigrationView.Of(catalog, state);
        var migrations = view.Migrations.Select(m => new MigrationStatus(
            m.Id,
            m.Entry.LedgerName,
            m.State,
            m.InHistory,
            m.ProductVersion,
            m.Row is not { } row
                ? null
                : new LedgerStatus(row.Success, row.AppliedAt, row.ExecutionMs, row.AppliedBy, row.Error, row.Checksum, row.ChecksumMatches(m.Entry))))
            .ToList();

        return new StatusReport(
            database,
            server,
            state.History is not null,
            state.Ledger is not null,
            migrations,
            view.UnknownHistory,
            view.Holes,
            state.Legacy?.Select(r => new LegacyMigration(r.Id, r.ScriptName, r.AppliedAt, r.Success)).ToList());
    }
}

/// <summary>
/// Result of <see cref="DatabaseStatus.ReadAsync"/>. JSON:
/// <code>
/// {"database": "streamvault", "server": "db:5432", "historyTableExists": true, "ledgerTableExists": true,
///  "hasPending": false, "appliedCount": 7, "pendingCount": 0, "failedCount": 0,
///  "migrations": [{"id": "20240705000000_BaseSchema", "ledgerName": "20240705000000_BaseSchema",
///                  "state": "applied|pending|failed", "appliedInHistory": true, "productVersion": "10.0.15"|null,
///                  "ledger": null | {"success": true|false|null, "appliedAt": "2025-06-23T09:01:12.118+00:00"|null,
///                             "executionMs": 12|null, "appliedBy": "..."|null, "error": "..."|null,
///                             "checksum": "..."|null, "checksumMatches": true|false|null}}],
///  "pending": ["id", ...], "failed": [{"id": "...", "ledgerName": "...", "error": "..."}],
///  "unknownHistory": ["id in EF history this version does not contain", ...],
///  "holes": ["pending or failed id older than an applied one (the next run applies it)", ...],
///  "legacyHistory": null | [{"id": 4|null, "scriptName": "004_add_database_indexes.py", "appliedAt": "2025-07-24T10:00:01.5+00:00"|null, "success": true|null}]}
/// </code>
/// Migrations are in id order. <c>legacyHistory</c> is the app's own <c>migrations</c> table as it is (never written here),
/// null when it does not exist: <c>id</c> is null in its older shape (script_name as primary key), and <c>appliedAt</c> is
/// PostgreSQL's text of the value (with an offset only where the column has a time zone).
/// </summary>
internal sealed record StatusReport(
    string Database,
    string Server,
    bool HistoryTableExists,
    bool LedgerTableExists,
    IReadOnlyList<MigrationStatus> Migrations,
    IReadOnlyList<string> UnknownHistory,
    IReadOnlyList<string> Holes,
    IReadOnlyList<LegacyMigration>? LegacyHistory)
{
    /// <summary>Some migration is not applied (failed ones included): the exit code of <c>status --fail-on-pending</c>.</summary>
    public bool HasPending => Migrations.Any(m => m.State != MigrationStateKind.Applied);

    /// <summary>Migrations in EF history.</summary>
    public int AppliedCount => Migrations.Count(m => m.State == MigrationStateKind.Applied);

    /// <summary>Migrations neither applied nor failed (the length of <see cref="Pending"/>).</summary>
    public int PendingCount => Migrations.Count(m => m.State == MigrationStateKind.Pending);

    /// <summary>Migrations not applied whose ledger row records a failure (the length of <see cref="Failed"/>).</summary>
    public int FailedCount => Migrations.Count(m => m.State == MigrationStateKind.Failed);

    /// <summary>Migrations not applied and not failed: a failed one is in <see cref="Failed"/> only, so <c>pendingCount == pending.length</c>.</summary>
    public IReadOnlyList<string> Pending => Migrations.Where(m => m.State == MigrationStateKind.Pending).Select(m => m.Id).ToList();

    /// <summary>The failed migrations with their recorded errors.</summary>
    public IReadOnlyList<FailedMigration> Failed => Migrations
        .Where(m => m.State == MigrationStateKind.Failed)
        .Select(m => new FailedMigration(m.Id, m.LedgerName, m.Ledger?.Error))
        .ToList();
}

/// <summary>One migration: its EF id, ledger name, state, EF history row and ledger row.</summary>
internal sealed record MigrationStatus(
    string Id, string LedgerName, MigrationStateKind State, bool AppliedInHistory, string? ProductVersion, LedgerStatus? Ledger);

/// <summary>The migration's <c>applied_migrations</c> row; <see cref="ChecksumMatches"/> is null for rows without a checksum.</summary>
internal sealed record LedgerStatus(
    bool? Success, DateTimeOffset? AppliedAt, int? ExecutionMs, string? AppliedBy, string? Error, string? Checksum, bool? ChecksumMatches);

/// <summary>A migration whose last run failed: its EF id, ledger name and the error its ledger row holds.</summary>
/// <param name="Id">The EF migration id.</param>
/// <param name="LedgerName">Its name in <c>applied_migrations</c>.</param>
/// <param name="Error">The recorded error, null if none was recorded.</param>
internal sealed record FailedMigration(string Id, string LedgerName, string? Error);

/// <summary>A row of the app's own <c>migrations</c> table, as it is (never written here); <see cref="Id"/> is null in its older shape.</summary>
internal sealed record LegacyMigration(int? Id, string ScriptName, string? AppliedAt, bool? Success);

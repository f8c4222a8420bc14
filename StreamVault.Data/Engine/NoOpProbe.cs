using Microsoft.Extensions.Logging;
using Npgsql;
using StreamVault.Data.Ledger;
using StreamVault.Data.Operations;
using StreamVault.Data.Migrations;

namespace StreamVault.Data.Engine;

/// <summary>
/// The one decision "this run has nothing to do": every known migration in EF history (holes included), every
/// history row with a successful ledger row, and the ledger with its extra columns, asked in one statement
/// (<see cref="EngineSql.NoOpCheck"/>) without any lock. The migrator asks it inside EF; the CLI and the startup
/// runner ask it first through <see cref="AppliedIfUpToDateAsync"/>, with the catalog compiled in
/// (<see cref="KnownMigrations"/>), so an up-to-date database costs a connection and a statement, not EF's
/// service provider and model. Anything else goes through the full engine (lock, reconcile, ledger).
/// </summary>
internal static class NoOpProbe
{
    /// <summary>The log category EF's migrator logs under (DbLoggerCategory.Migrations), so filters treat both paths alike.</summary>
    /// <remarks>A constant rather than EF's property: reading that would load EF on the path meant to avoid it. A test pins it.</remarks>
    public const string MigrationsLogCategory = "Microsoft.EntityFrameworkCore.Migrations";

    /// <summary>
    /// Whether the database behind the open <paramref name="connection"/> is up to date for <paramref name="catalog"/>.
    /// A database without a history table or ledger column (42P01/42703) simply is not.
    /// </summary>
    public static async Task<bool> IsUpToDateAsync(
        NpgsqlConnection connection, HistoryTable history, IReadOnlyList<LedgerEntry> catalog, bool async, CancellationToken cancellationToken)
        => await ReadAppliedIfUpToDateAsync(connection, history, catalog, async, cancellationToken) is not null;

    /// <summary>The ids in EF history when the database is up to date, else null.</summary>
    private static async Task<string[]?> ReadAppliedIfUpToDateAsync(
        NpgsqlConnection connection, HistoryTable history, IReadOnlyList<LedgerEntry> catalog, bool async, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        try
        {
            var state = await Sql.NoOpStateAsync(connection, EngineSql.NoOpCheck(history, catalog), async, cancellationToken);
            // Every known migration, not just the newest: an older one missing from history (a hole) is work too.
            var pending = MigrationView.CountUnapplied(catalog, state.Applied.ToHashSet(StringComparer.Ordinal));
            return pending == 0 && state.MissingLedgerRows == 0 && state.LedgerColumns == LedgerSql.ExtraColumns.Count ? state.Applied : null;
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.UndefinedColumn)
        {
            return null;
        }
    }

    /// <summary>
    /// The same question before any EF object exists, on a connection from <see cref="StreamVaultConnections.DataSource"/>,
    /// with the compiled-in catalog: the ids in EF history (ordered) when the database is up to date, else null (the caller
    /// runs the full engine). Null too for a database that does not exist and for a custom migrations assembly, whose
    /// migrations the compiled-in catalog does not describe, and when that catalog no longer matches this assembly
    /// Connection failures propagate as they would from EF.
    /// Logs nothing: the caller reports with <see cref="ReportUpToDate"/>.
    /// </summary>
    public static async Task<IReadOnlyList<string>?> AppliedIfUpToDateAsync(
        string connectionString, StreamVaultDataOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        // A custom migrations assembly is not what the compiled-in list describes.
        if (options.MigrationsAssembly is not null)
        {
            return null;
        }

        try
        {
            await using var connection = await StreamVaultConnections.DataSource(connectionString).OpenConnectionAsync(cancellationToken);
            var applied = await ReadAppliedIfUpToDateAsync(connection, HistoryTable.Default, KnownMigrations.Entries, async: true, cancellationToken);
            return applied?.Order(StringComparer.Ordinal).ToList();
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InvalidCatalogName)
        {
            // No database yet: the full run decides what to do about it, exactly as without this check.
            return null;
        }
    }

    /// <summary>
    /// What the migrator's fast path reports, in its order: the progress hears "nothing to apply", then event
    /// <see cref="MigrationEventIds.UpToDate"/> is logged under EF's migrations category.
    /// </summary>
    public static void ReportUpToDate(StreamVaultDataOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Progress?.NothingToApply();
        if (options.LoggerFactory is { } loggerFactory)
        {
            var logger = loggerFactory.CreateLogger(MigrationsLogCategory);
            EngineLog.UpToDate(logger, KnownMigrations.Entries.Count);
        }
    }
}

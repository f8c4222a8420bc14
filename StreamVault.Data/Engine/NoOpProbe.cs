using Microsoft.Extensions.Logging;
using Npgsql;
using StreamVault.Data.Ledger;
using StreamVault.Data.Migrations;

namespace StreamVault.Data.Engine;

/// <summary>
/// "This run has nothing to do", asked in one statement without any lock (<see cref="MigrationState.ReadForNoOpAsync"/>)
/// and decided by the read model (<see cref="MigrationView.IsUpToDate"/>), as status and the health check decide it. The migrator asks it inside EF; the CLI and the startup
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
        NpgsqlConnection connection, IReadOnlyList<LedgerEntry> catalog, bool async, CancellationToken cancellationToken)
        => await ReadAppliedIfUpToDateAsync(connection, catalog, async, cancellationToken) is not null;

    /// <summary>The ids in EF history when the database is up to date (the read model's decision), else null.</summary>
    private static async Task<string[]?> ReadAppliedIfUpToDateAsync(
        NpgsqlConnection connection, IReadOnlyList<LedgerEntry> catalog, bool async, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var state = await MigrationState.ReadForNoOpAsync(connection, catalog, async, cancellationToken);
        return state is not null && MigrationView.Of(catalog, state).IsUpToDate ? [.. state.History!.Keys] : null;
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
            var applied = await ReadAppliedIfUpToDateAsync(connection, KnownMigrations.Entries, async: true, cancellationToken);
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

using StreamVault.Data.Engine;

namespace StreamVault.Data;

/// <summary>
/// The engine's no-op question asked before EF Core is started: for a host (the CLI, the startup runner) that wants
/// an up-to-date database to cost one connection and one statement instead of EF's service provider and model.
/// </summary>
public static class StreamVaultUpToDateCheck
{
    /// <summary>
    /// True when every migration of this version is in EF history and <c>applied_migrations</c> agrees (the same
    /// decision, in the same single statement without a lock, that <c>Migrate()</c> starts with); it then logs event
    /// <see cref="MigrationEventIds.UpToDate"/> through <see cref="StreamVaultDataOptions.LoggerFactory"/> and reports
    /// <see cref="IMigrationProgress.NothingToApply"/>. False when a run has anything to do, when the database does not
    /// exist, or with a custom <see cref="StreamVaultDataOptions.MigrationsAssembly"/>: then run the migrations as usual.
    /// </summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="options">Engine settings (logger, progress); defaults when null.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>Whether the run can be skipped.</returns>
    /// <exception cref="Npgsql.NpgsqlException">The server cannot be reached or refuses the login.</exception>
    public static async Task<bool> IsUpToDateAsync(
        string connectionString, StreamVaultDataOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        options ??= new StreamVaultDataOptions();
        if (await NoOpProbe.AppliedIfUpToDateAsync(connectionString, options, cancellationToken) is null)
        {
            return false;
        }

        NoOpProbe.ReportUpToDate(options);
        return true;
    }
}

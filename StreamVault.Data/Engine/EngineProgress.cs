using System.Globalization;

namespace StreamVault.Data.Engine;

/// <summary>
/// What the engine tells this repository's hosts beyond the public <see cref="IMigrationProgress"/>: that a migration
/// was adopted rather than run (and when the app had applied it), how many of its statements found their objects
/// present, and how a concurrent index build is getting on. A <see cref="StreamVaultDataOptions.Progress"/> that also
/// implements this interface hears it (the CLI's console progress, the startup runner, plan's rehearsal); the public
/// contract stays as it is.
/// </summary>
internal interface IEngineProgress
{
    /// <summary>
    /// The migration that started last is recorded without running its SQL, its objects being present;
    /// <paramref name="appliedByAppAt"/> is the <c>applied_at</c> of the ledger row the app wrote for it, if any.
    /// </summary>
    void Adopted(string migrationId, DateTimeOffset? appliedByAppAt)
    {
    }

    /// <summary>
    /// Before the migration's statements run: <paramref name="skipped"/> of its <paramref name="statements"/> will find
    /// their objects present and change nothing (decided from the catalog, as <c>plan</c> decides it).
    /// </summary>
    void StatementsSkipped(string migrationId, int skipped, int statements)
    {
    }

    /// <summary>A concurrent index build's progress, about once a second while it runs.</summary>
    void IndexBuild(IndexBuildProgress progress)
    {
    }
}

/// <summary>
/// One reading of <c>pg_stat_progress_create_index</c> for a concurrent index build of a migration: the phase as
/// PostgreSQL names it and, where the phase counts anything, how far it is.
/// </summary>
/// <param name="MigrationId">The migration building the index.</param>
/// <param name="Index">The index being built.</param>
/// <param name="Table">Its table.</param>
/// <param name="Phase">PostgreSQL's phase, e.g. <c>building index: scanning table</c>.</param>
/// <param name="Percent">How far the phase is (blocks, else tuples, else lockers waited for), 0–100; null when it counts nothing.</param>
/// <param name="Elapsed">Time since the build started.</param>
internal sealed record IndexBuildProgress(string MigrationId, string Index, string Table, string Phase, double? Percent, TimeSpan Elapsed)
{
    /// <summary>The phase in a line's words: the <c>building index: </c> prefix goes, validation says so.</summary>
    public string Step => Phase.StartsWith("building index: ", StringComparison.Ordinal)
        ? Phase["building index: ".Length..]
        : Phase.StartsWith("index validation: ", StringComparison.Ordinal)
            ? "validating: " + Phase["index validation: ".Length..]
            : Phase;

    /// <summary><c>building idx_streams_title on streams: scanning table 45%</c>: one line for a terminal, a log or a health check.</summary>
    public string Describe()
        => string.Create(CultureInfo.InvariantCulture,
            $"building {Index} on {Table}: {Step}{(Percent is { } percent ? $" {Math.Floor(percent):0}%" : "")}");

    /// <summary>
    /// The percentage PostgreSQL's counters give: blocks in the scanning phases, tuples in the sorting and loading
    /// ones, lockers in the waiting ones; null when the phase's counters are all zero.
    /// </summary>
    public static double? PercentOf(long blocksDone, long blocksTotal, long tuplesDone, long tuplesTotal, long lockersDone, long lockersTotal)
        => blocksTotal > 0 ? Ratio(blocksDone, blocksTotal)
            : tuplesTotal > 0 ? Ratio(tuplesDone, tuplesTotal)
            : lockersTotal > 0 ? Ratio(lockersDone, lockersTotal)
            : null;

    private static double Ratio(long done, long total) => Math.Clamp(100.0 * done / total, 0, 100);
}

using System.Globalization;

namespace StreamVault.Data;

/// <summary>
/// One reading of PostgreSQL's <c>pg_stat_progress_create_index</c> for a concurrent index build of a migration: the
/// phase as PostgreSQL names it and, where the phase counts anything, how far it is.
/// </summary>
public sealed class IndexBuildProgress
{
    /// <summary>A reading.</summary>
    /// <param name="migrationId">The migration building the index.</param>
    /// <param name="index">The index being built.</param>
    /// <param name="table">Its table.</param>
    /// <param name="phase">PostgreSQL's phase, e.g. <c>building index: scanning table</c>.</param>
    /// <param name="percent">How far the phase is, 0–100; null when the phase counts nothing.</param>
    /// <param name="elapsed">Time since the build started.</param>
    public IndexBuildProgress(string migrationId, string index, string table, string phase, double? percent, TimeSpan elapsed)
    {
        MigrationId = migrationId;
        Index = index;
        Table = table;
        Phase = phase;
        Percent = percent;
        Elapsed = elapsed;
    }

    /// <summary>The migration building the index.</summary>
    public string MigrationId { get; }

    /// <summary>The index being built.</summary>
    public string Index { get; }

    /// <summary>The index's table.</summary>
    public string Table { get; }

    /// <summary>PostgreSQL's phase, e.g. <c>building index: scanning table</c>.</summary>
    public string Phase { get; }

    /// <summary>How far the phase is (blocks, else tuples, else lockers waited for), 0–100; null when it counts nothing.</summary>
    public double? Percent { get; }

    /// <summary>Time since the build started.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>
    /// The reading as one line, e.g. <c>building idx_streams_title on streams: scanning table 45%</c> (the phase without
    /// its <c>building index: </c> prefix; validation phases start with <c>validating: </c>; the percentage rounded down).
    /// </summary>
    public string Describe() => Describe(Index, Table, Phase, Percent);

    /// <inheritdoc cref="Describe()"/>
    public override string ToString() => Describe();

    /// <summary>The line of <see cref="Describe()"/> for any build's reading (the health check's of another session's run).</summary>
    internal static string Describe(string index, string table, string phase, double? percent)
    {
        var step = phase.StartsWith("building index: ", StringComparison.Ordinal)
            ? phase["building index: ".Length..]
            : phase.StartsWith("index validation: ", StringComparison.Ordinal)
                ? "validating: " + phase["index validation: ".Length..]
                : phase;
        return string.Create(CultureInfo.InvariantCulture, $"building {index} on {table}: {step}{(percent is { } p ? $" {Math.Floor(p):0}%" : "")}");
    }

    /// <summary>
    /// The percentage of <paramref name="phase"/> by the counter PostgreSQL keeps for it: lockers waited for in the waiting
    /// phases, blocks in the table scans, tuples in index loading and scanning; null where the phase counts nothing
    /// (initializing, sorting). The phase decides, because a counter keeps its last value after its phase ended.
    /// </summary>
    internal static double? PercentOf(
        string phase, long blocksDone, long blocksTotal, long tuplesDone, long tuplesTotal, long lockersDone, long lockersTotal)
    {
        ArgumentNullException.ThrowIfNull(phase);
        return phase.StartsWith("waiting for ", StringComparison.Ordinal) ? Ratio(lockersDone, lockersTotal)
            : phase.EndsWith("scanning table", StringComparison.Ordinal) ? Ratio(blocksDone, blocksTotal) ?? Ratio(tuplesDone, tuplesTotal)
            : phase.EndsWith("loading tuples in tree", StringComparison.Ordinal) || phase.EndsWith("scanning index", StringComparison.Ordinal)
                ? Ratio(tuplesDone, tuplesTotal)
            : null;
    }

    private static double? Ratio(long done, long total) => total > 0 ? Math.Clamp(100.0 * done / total, 0, 100) : null;
}

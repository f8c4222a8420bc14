using System.Globalization;

namespace StreamVault.Benchmarks;

internal static class Stats
{
    public static double Median(IReadOnlyCollection<double> values) => Percentile(values, 50);

    /// <summary>Nearest-rank percentile: the smallest value at least p% of the samples are at or below.</summary>
    public static double Percentile(IReadOnlyCollection<double> values, double p)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public static string Ms(double value)
        => double.IsNaN(value) ? "n/a"
            : value < 10 ? value.ToString("0.00", CultureInfo.InvariantCulture) + " ms"
            : value < 10_000 ? value.ToString("0", CultureInfo.InvariantCulture) + " ms"
            : (value / 1000).ToString("0.0", CultureInfo.InvariantCulture) + " s";

    /// <summary>"median (min–max of n)" of repeated runs, so the spread caused by a shared machine is visible.</summary>
    public static string MedianWithRange(IReadOnlyCollection<double> values)
        => values.Count == 1
            ? Ms(values.First())
            : $"{Ms(Median(values))} ({Ms(values.Min())}–{Ms(values.Max())}, n={values.Count.ToString(CultureInfo.InvariantCulture)})";
}

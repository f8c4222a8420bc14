namespace StreamVault.Benchmarks;

/// <summary>One line of the results table. <see cref="Met"/> is null where issue #4 sets no target.</summary>
internal sealed record Row(string Benchmark, string Metric, string Ours, string Plain, string Target = "", bool? Met = null);

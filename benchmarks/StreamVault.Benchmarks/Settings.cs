using System.Globalization;

namespace StreamVault.Benchmarks;

/// <summary>Command-line knobs; defaults are the sizes issue #4 asks for.</summary>
internal sealed record Settings
{
    public required string Connection { get; init; }

    /// <summary>Repeated no-op runs measured in benchmark 1.</summary>
    public int Iterations { get; init; } = 200;

    /// <summary>How many times benchmarks 2–5 are repeated per variant; medians are reported.</summary>
    public int Repeats { get; init; } = 3;

    public int JuneStreams { get; init; } = 200_000;

    public int LargeStreams { get; init; } = 1_000_000;

    public int Runners { get; init; } = 8;

    /// <summary>Which benchmarks to run (1–6).</summary>
    public IReadOnlySet<int> Only { get; init; } = new HashSet<int> { 1, 2, 3, 4, 5, 6 };

    public const string Usage = """
        usage: StreamVault.Benchmarks --connection "<admin connection string>" [--iterations 200] [--repeats 3]
                                      [--june-streams 200000] [--large-streams 1000000] [--runners 8] [--only 1,2,3,4,5,6]
        The connection must allow CREATE/DROP DATABASE; STREAMVAULT_BENCH_CONNECTION is used when --connection is absent.
        """;

    public static Settings? Parse(string[] args)
    {
        string? connection = Environment.GetEnvironmentVariable("STREAMVAULT_BENCH_CONNECTION");
        var settings = new Settings { Connection = "" };
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Number() => int.Parse(Value(), NumberStyles.None, CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--connection": connection = Value(); break;
                case "--iterations": settings = settings with { Iterations = Number() }; break;
                case "--repeats": settings = settings with { Repeats = Number() }; break;
                case "--june-streams": settings = settings with { JuneStreams = Number() }; break;
                case "--large-streams": settings = settings with { LargeStreams = Number() }; break;
                case "--runners": settings = settings with { Runners = Number() }; break;
                case "--only":
                    settings = settings with
                    {
                        Only = Value().Split(',').Select(s => int.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture)).ToHashSet(),
                    };
                    break;
                default: throw new ArgumentException($"unknown argument '{args[i]}'");
            }
        }

        return string.IsNullOrWhiteSpace(connection) ? null : settings with { Connection = connection };
    }
}

using System.Globalization;
using System.Reflection;

namespace StreamVault.Benchmarks;

/// <summary>What the results table says about the machine the figures come from.</summary>
internal static class Machine
{
    public static string MemoryGiB()
    {
        var line = ReadProc("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        var kib = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return kib is null ? "unknown" : (long.Parse(kib, CultureInfo.InvariantCulture) / 1024.0 / 1024).ToString("0.0", CultureInfo.InvariantCulture) + " GiB";
    }

    public static string CpuModel()
        => ReadProc("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
           ?? "unknown CPU";

    public static string InformationalVersion(Type type)
        => type.Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "?";

    private static IEnumerable<string> ReadProc(string path) => File.Exists(path) ? File.ReadLines(path) : [];
}

using System.Reflection;

namespace StreamVault.Data.Ledger;

/// <summary>
/// Who applied a migration, as the ledger records it: this engine's version and the host. The entry point
/// (dotnet ef, bundle, app) is deliberately left out, so all of them write identical rows.
/// </summary>
internal static class AppliedBy
{
    /// <summary><c>StreamVault.Data &lt;version&gt; @ &lt;host&gt;</c> for this process.</summary>
    public static string Current { get; } = Describe();

    /// <summary>
    /// The author of a released migration recorded without running, because the app had already created its
    /// objects (see <see cref="Migrations.ReleasedMigrationAdoption"/>).
    /// </summary>
    public static string Adopted { get; } = Current + " (adopted: objects already present)";

    private static string Describe()
    {
        var assembly = typeof(AppliedBy).Assembly;
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                      ?? assembly.GetName().Version?.ToString()
                      ?? "unknown";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return $"StreamVault.Data {(plus < 0 ? version : version[..plus])} @ {Environment.MachineName}";
    }
}

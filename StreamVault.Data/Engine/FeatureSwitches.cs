using System.Diagnostics.CodeAnalysis;

namespace StreamVault.Data.Engine;

/// <summary>
/// Trimming switches. The native front of streamvault-db (StreamVault.Cli.Front) is built with
/// <c>StreamVault.Data.EntityFramework</c> off, so NativeAOT's trimmer drops the paths into EF Core, which it cannot
/// run; everywhere else the switch is on and nothing changes.
/// </summary>
internal static class FeatureSwitches
{
    private const string EntityFramework = "StreamVault.Data.EntityFramework";

    [FeatureSwitchDefinition(EntityFramework)]
    public static bool EntityFrameworkEnabled => !AppContext.TryGetSwitch(EntityFramework, out var enabled) || enabled;
}

using System.Reflection;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace StreamVault.Data.Engine;

/// <summary>
/// Whether the compiled-in catalog (<see cref="KnownMigrations"/>) still names exactly this assembly's migrations. A
/// stale one would call a database missing a new migration up to date; then the pre-EF check steps aside and every
/// run goes through the engine. Reads attributes only: no EF service provider or model is built.
/// </summary>
internal static class CompiledCatalogGuard
{
    private static readonly Lazy<bool> Current = new(() => Matches(MigrationIdsInAssembly()));

    public static bool IsCurrent => Current.Value;

    internal static bool Matches(IEnumerable<string> migrationIds)
        => migrationIds.Order(StringComparer.Ordinal)
            .SequenceEqual(KnownMigrations.Entries.Select(e => e.MigrationId), StringComparer.Ordinal);

    internal static IEnumerable<string> MigrationIdsInAssembly()
        => typeof(StreamVaultDbContext).Assembly.GetTypes()
            .Where(t => t.GetCustomAttribute<DbContextAttribute>()?.ContextType == typeof(StreamVaultDbContext))
            .Select(t => t.GetCustomAttribute<MigrationAttribute>()?.Id)
            .OfType<string>();
}

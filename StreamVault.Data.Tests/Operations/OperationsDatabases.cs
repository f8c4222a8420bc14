using StreamVault.Data.Operations;
using StreamVault.Data.Tests.Infrastructure;

namespace StreamVault.Data.Tests.Operations;

/// <summary>The starting states the operations tests use, named for what each test needs.</summary>
internal static class OperationsDatabases
{
    public static Task<TestDatabase> EmptyAsync() => StartingStates.CreateAsync(StartingStates.Empty);

    public static Task<TestDatabase> MigratedFromEmptyAsync() => StartingStates.CreateMigratedAsync(StartingStates.Empty);

    public static Task<TestDatabase> June2025Async() => StartingStates.CreateAsync(StartingStates.June2025);

    public static Task<TestDatabase> MigratedFromJune2025Async() => StartingStates.CreateMigratedAsync(StartingStates.June2025);

    /// <summary>
    /// The warnings of the migrated June 2025 database before a test changes it (as <see cref="WarningKey"/>): June's own
    /// variants in the tables it shares with the newest release (sized types, its foreign keys without ON DELETE, …).
    /// </summary>
    public static Task<HashSet<string>> MigratedFromJune2025WarningsAsync() => JuneWarnings.Value;

    /// <summary>A warning as <c>kind table.name problem</c>.</summary>
    public static string WarningKey(ValidationCheck check) => $"{check.Kind} {check.Table}.{check.Name} {check.Problem}";

    private static readonly Lazy<Task<HashSet<string>>> JuneWarnings = new(async () =>
    {
        await using var database = await MigratedFromJune2025Async();
        var report = await SchemaValidator.ValidateAsync(database.ConnectionString);
        return report.Warnings.Select(WarningKey).ToHashSet(StringComparer.Ordinal);
    });

    public static Task<TestDatabase> PreJune2025Async() => StartingStates.CreateAsync(StartingStates.PreJune2025);

    public static Task<TestDatabase> MigratedFromPreJune2025Async() => StartingStates.CreateMigratedAsync(StartingStates.PreJune2025);

    public static Task MigrateAsync(string connectionString, string? target = null)
        => Infrastructure.Migrations.MigrateAsync(connectionString, target);
}

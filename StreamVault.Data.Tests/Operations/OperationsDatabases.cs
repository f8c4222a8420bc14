using StreamVault.Data.Tests.Infrastructure;

namespace StreamVault.Data.Tests.Operations;

/// <summary>The starting states the operations tests use, named for what each test needs.</summary>
internal static class OperationsDatabases
{
    public static Task<TestDatabase> EmptyAsync() => StartingStates.CreateAsync(StartingStates.Empty);

    public static Task<TestDatabase> MigratedFromEmptyAsync() => StartingStates.CreateMigratedAsync(StartingStates.Empty);

    public static Task<TestDatabase> June2025Async() => StartingStates.CreateAsync(StartingStates.June2025);

    public static Task<TestDatabase> MigratedFromJune2025Async() => StartingStates.CreateMigratedAsync(StartingStates.June2025);

    public static Task<TestDatabase> PreJune2025Async() => StartingStates.CreateAsync(StartingStates.PreJune2025);

    public static Task<TestDatabase> MigratedFromPreJune2025Async() => StartingStates.CreateMigratedAsync(StartingStates.PreJune2025);

    public static Task MigrateAsync(string connectionString, string? target = null)
        => Infrastructure.Migrations.MigrateAsync(connectionString, target);
}

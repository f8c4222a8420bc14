using Microsoft.EntityFrameworkCore;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Operations;

/// <summary>
/// The databases the operations tests start from, each built once per run as a template: empty, a small
/// June 2025 Python database, an older one, and each of them migrated.
/// </summary>
internal static class OperationsDatabases
{
    public static Task<TestDatabase> EmptyAsync() => TestDatabase.CreateAsync();

    public static async Task<TestDatabase> MigratedFromEmptyAsync()
        => await TestDatabase.CreateAsync(await TemplateDatabases.GetAsync("ops_empty_migrated", db => MigrateAsync(db.ConnectionString)));

    public static async Task<TestDatabase> June2025Async()
        => await TestDatabase.CreateAsync(await TemplateDatabases.GetAsync("ops_june", db => db.ExecuteSqlAsync(LegacySchemas.June2025)));

    public static async Task<TestDatabase> MigratedFromJune2025Async()
        => await TestDatabase.CreateAsync(await TemplateDatabases.GetAsync("ops_june_migrated", async db =>
        {
            await db.ExecuteSqlAsync(LegacySchemas.June2025);
            await MigrateAsync(db.ConnectionString);
        }));

    public static async Task<TestDatabase> PreJune2025Async()
        => await TestDatabase.CreateAsync(await TemplateDatabases.GetAsync("ops_prejune", db => db.ExecuteSqlAsync(LegacySchemas.PreJune2025)));

    public static async Task<TestDatabase> MigratedFromPreJune2025Async()
        => await TestDatabase.CreateAsync(await TemplateDatabases.GetAsync("ops_prejune_migrated", async db =>
        {
            await db.ExecuteSqlAsync(LegacySchemas.PreJune2025);
            await MigrateAsync(db.ConnectionString);
        }));

    public static async Task MigrateAsync(string connectionString, string? target = null)
    {
        await using var context = StreamVaultDatabase.CreateContext(connectionString);
        await context.Database.MigrateAsync(target, TestContext.Current.CancellationToken);
    }
}

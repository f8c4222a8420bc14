using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;

namespace StreamVault.Data.Tests.Infrastructure;

/// <summary>Runs migrations in-process exactly as an application would, through the shared options builder.</summary>
public static class Migrations
{
    public static async Task MigrateAsync(string connectionString, string? target = null, StreamVaultDataOptions? options = null)
    {
        await using var context = StreamVaultDatabase.CreateContext(connectionString, options);
        await context.Database.MigrateAsync(target);
    }

    /// <summary>
    /// The last migration of those that bring every release's database to the newest release's schema (2026-08): a
    /// database of the newest release gets no DDL up to here. Migrations after it add what no release of the app had.
    /// </summary>
    public const string NewestReleaseConverged = "20261203100001_BackfillLastStreamInfo";

    /// <summary>The migrations that come after <paramref name="migrationId"/>, in order.</summary>
    public static IReadOnlyList<string> After(string migrationId) => [.. All().SkipWhile(id => id != migrationId).Skip(1)];

    /// <summary>The migrations up to and including <paramref name="migrationId"/>, in order.</summary>
    public static IReadOnlyList<string> UpTo(string migrationId) => [.. All().TakeWhile(id => id != migrationId), migrationId];

    public static IReadOnlyList<string> All()
    {
        using var context = StreamVaultDatabase.CreateContext("Host=unused");
        return context.Database.GetMigrations().ToList();
    }

    /// <summary>The released migrations the engine adopts where their objects are present, in id order.</summary>
    public static IReadOnlyList<string> Adoptable()
        => [.. typeof(StreamVaultDbContext).Assembly.GetTypes()
            .Where(t => typeof(Data.Migrations.IAdoptableMigration).IsAssignableFrom(t) && !t.IsInterface)
            .Select(t => t.GetCustomAttribute<MigrationAttribute>()!.Id)
            .Order(StringComparer.Ordinal)];

    /// <summary>The shape every starting state must converge to: a new, empty database, fully migrated.</summary>
    public static Task<string> ExpectedFingerprintAsync() => Expected.Value;

    private static readonly Lazy<Task<string>> Expected = new(async () =>
    {
        await using var db = await TestDatabase.CreateAsync();
        await MigrateAsync(db.ConnectionString);
        return await SchemaFingerprint.CaptureAsync(db.ConnectionString, SchemaFingerprint.ModelTables);
    });
}

using Microsoft.EntityFrameworkCore;

namespace StreamVault.Data.Tests.Infrastructure;

/// <summary>Runs migrations in-process exactly as an application would, through the shared options builder.</summary>
public static class Migrations
{
    public static async Task MigrateAsync(string connectionString, string? target = null, StreamVaultDataOptions? options = null)
    {
        await using var context = StreamVaultDatabase.CreateContext(connectionString, options);
        await context.Database.MigrateAsync(target);
    }

    public static IReadOnlyList<string> All()
    {
        using var context = StreamVaultDatabase.CreateContext("Host=unused");
        return context.Database.GetMigrations().ToList();
    }

    /// <summary>The shape every starting state must converge to: a new, empty database, fully migrated.</summary>
    public static Task<string> ExpectedFingerprintAsync() => Expected.Value;

    private static readonly Lazy<Task<string>> Expected = new(async () =>
    {
        await using var db = await TestDatabase.CreateAsync();
        await MigrateAsync(db.ConnectionString);
        return await SchemaFingerprint.CaptureAsync(db.ConnectionString, SchemaFingerprint.ModelTables);
    });
}

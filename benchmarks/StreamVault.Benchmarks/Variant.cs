using Microsoft.EntityFrameworkCore;
using StreamVault.Data;

namespace StreamVault.Benchmarks;

/// <summary>One side of each comparison: how a run's DbContext options are built.</summary>
internal sealed record Variant(string Name, Func<string, DbContextOptionsBuilder<StreamVaultDbContext>> Builder)
{
    /// <summary>Our engine: exactly what apps, the CLI and the bundle get from StreamVaultDatabase.Configure.</summary>
    public static readonly Variant Ours = new("ours", cs =>
    {
        var builder = new DbContextOptionsBuilder<StreamVaultDbContext>();
        StreamVaultDatabase.Configure(builder, cs);
        return builder;
    });

    /// <summary>
    /// The point of comparison: plain EF Core 10 + Npgsql, options built directly with the same naming convention
    /// and the same migrations assembly, so the same migrations run, only without our engine and ledger.
    /// </summary>
    public static readonly Variant Plain = new("plain", cs =>
    {
        var builder = new DbContextOptionsBuilder<StreamVaultDbContext>();
        builder
            .UseNpgsql(cs, npgsql => npgsql.MigrationsAssembly(typeof(StreamVaultDbContext).Assembly.GetName().Name))
            .UseSnakeCaseNamingConvention();
        return builder;
    });

    public static IReadOnlyList<Variant> Both => [Ours, Plain];

    public DbContextOptions<StreamVaultDbContext> Options(string connectionString) => Builder(connectionString).Options;

    public StreamVaultDbContext Context(string connectionString) => new(Options(connectionString));
}

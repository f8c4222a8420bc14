using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace StreamVault.Data.Tests.Design;

/// <summary>
/// StreamVault's context with one <see cref="ModelChange"/> applied on top of the project's model: EF's differ between
/// the project's snapshot and this model gives exactly the operations <c>dotnet ef migrations add</c> would get after that
/// change. Options come from <see cref="StreamVaultDatabase.Configure"/>, so the engine is the real one.
/// </summary>
public sealed class ChangedContext : StreamVaultDbContext
{
    private ChangedContext(DbContextOptions<StreamVaultDbContext> options, ModelChange change)
        : base(options)
        => Change = change;

    public ModelChange Change { get; }

    public static ChangedContext Create(ModelChange change, string connectionString = "Host=unused")
    {
        var builder = new DbContextOptionsBuilder<StreamVaultDbContext>();
        StreamVaultDatabase.Configure(builder, connectionString);
        builder.ReplaceService<IModelCacheKeyFactory, ChangeCacheKeyFactory>();
        return new ChangedContext(builder.Options, change);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        Change.Apply(modelBuilder);
    }

    /// <summary>One cached model per change, not one per context type.</summary>
    private sealed class ChangeCacheKeyFactory : IModelCacheKeyFactory
    {
        public object Create(DbContext context, bool designTime)
            => (context.GetType(), (context as ChangedContext)?.Change.Name, designTime);
    }
}

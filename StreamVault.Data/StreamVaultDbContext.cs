using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Conventions;
using StreamVault.Data.Entities;

namespace StreamVault.Data;

/// <summary>
/// The five StreamVault tables this layer owns, modelled exactly as the Python application created them.
/// Build options with <see cref="StreamVaultDatabase.Configure"/> so every entry point behaves alike.
/// </summary>
public class StreamVaultDbContext(DbContextOptions<StreamVaultDbContext> options) : DbContext(options)
{
    public DbSet<Streamer> Streamers => Set<Streamer>();
    public DbSet<Broadcast> Streams => Set<Broadcast>();
    public DbSet<GlobalSettings> GlobalSettings => Set<GlobalSettings>();
    public DbSet<PushSubscription> PushSubscriptions => Set<PushSubscription>();
    public DbSet<SystemConfigEntry> SystemConfig => Set<SystemConfigEntry>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);

        // SQLAlchemy's String() is an unbounded VARCHAR; only the few Text() columns say "text".
        configurationBuilder.Properties<string>().HaveColumnType("character varying");

        // Legacy databases index foreign keys only where a migration did; indexes are declared explicitly instead.
        configurationBuilder.Conventions.Remove<ForeignKeyIndexConvention>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);

        // Every legacy key is SERIAL (a sequence owned by the column), never an identity column.
        modelBuilder.UseSerialColumns();
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(StreamVaultDbContext).Assembly);
    }
}

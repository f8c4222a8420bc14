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
    /// <summary>The <c>streamers</c> table.</summary>
    public DbSet<Streamer> Streamers => Set<Streamer>();
    /// <summary>The <c>streams</c> table (one row per recorded broadcast).</summary>
    public DbSet<Broadcast> Streams => Set<Broadcast>();
    /// <summary>The <c>global_settings</c> table.</summary>
    public DbSet<GlobalSettings> GlobalSettings => Set<GlobalSettings>();
    /// <summary>The <c>push_subscriptions</c> table.</summary>
    public DbSet<PushSubscription> PushSubscriptions => Set<PushSubscription>();
    /// <summary>The <c>system_config</c> table.</summary>
    public DbSet<SystemConfigEntry> SystemConfig => Set<SystemConfigEntry>();

    /// <inheritdoc />
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);

        // SQLAlchemy's String() is an unbounded VARCHAR; only the few Text() columns say "text".
        configurationBuilder.Properties<string>().HaveColumnType("character varying");

        // Legacy databases index foreign keys only where a migration did; indexes are declared explicitly instead.
        configurationBuilder.Conventions.Remove<ForeignKeyIndexConvention>();
    }

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);

        // Every legacy key is SERIAL (a sequence owned by the column), never an identity column.
        modelBuilder.UseSerialColumns();
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(StreamVaultDbContext).Assembly);
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Conventions;
using StreamVault.Data.Entities;

namespace StreamVault.Data;

/// <summary>
/// The 22 tables of StreamVault's database, modelled exactly as the Python application created them (every column
/// any release had, each as wide and as nullable as the widest release made it).
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
    /// <summary>The <c>users</c> table.</summary>
    public DbSet<User> Users => Set<User>();
    /// <summary>The <c>sessions</c> table.</summary>
    public DbSet<Session> Sessions => Set<Session>();
    /// <summary>The <c>api_keys</c> table.</summary>
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    /// <summary>The <c>notification_state</c> table (one row per user).</summary>
    public DbSet<NotificationState> NotificationStates => Set<NotificationState>();
    /// <summary>The <c>categories</c> table.</summary>
    public DbSet<Category> Categories => Set<Category>();
    /// <summary>The <c>favorite_categories</c> table.</summary>
    public DbSet<FavoriteCategory> FavoriteCategories => Set<FavoriteCategory>();
    /// <summary>The <c>notification_settings</c> table (one row per streamer).</summary>
    public DbSet<NotificationSettings> NotificationSettings => Set<NotificationSettings>();
    /// <summary>The <c>streamer_recording_settings</c> table (one row per streamer).</summary>
    public DbSet<StreamerRecordingSettings> StreamerRecordingSettings => Set<StreamerRecordingSettings>();
    /// <summary>The <c>recording_settings</c> table.</summary>
    public DbSet<RecordingSettings> RecordingSettings => Set<RecordingSettings>();
    /// <summary>The <c>proxy_settings</c> table (one row per proxy).</summary>
    public DbSet<ProxySettings> ProxySettings => Set<ProxySettings>();
    /// <summary>The <c>recordings</c> table.</summary>
    public DbSet<Recording> Recordings => Set<Recording>();
    /// <summary>The <c>active_recordings_state</c> table.</summary>
    public DbSet<ActiveRecordingState> ActiveRecordingStates => Set<ActiveRecordingState>();
    /// <summary>The <c>recording_processing_state</c> table.</summary>
    public DbSet<RecordingProcessingState> RecordingProcessingStates => Set<RecordingProcessingState>();
    /// <summary>The <c>stream_events</c> table.</summary>
    public DbSet<StreamEvent> StreamEvents => Set<StreamEvent>();
    /// <summary>The <c>stream_metadata</c> table (one row per stream).</summary>
    public DbSet<StreamMetadata> StreamMetadata => Set<StreamMetadata>();
    /// <summary>The <c>share_tokens</c> table.</summary>
    public DbSet<ShareToken> ShareTokens => Set<ShareToken>();
    /// <summary>The <c>system_state</c> table (a single row).</summary>
    public DbSet<SystemState> SystemState => Set<SystemState>();

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

using Microsoft.EntityFrameworkCore;
using StreamVault.Data.Entities;

namespace StreamVault.Data.Tests.Design;

/// <summary>
/// The model changes the generator's tests scaffold: one per kind of operation EF's differ emits, the four changes of
/// issue #19 together, and the changes the generator must refuse.
/// </summary>
public static class ModelChanges
{
    public static readonly ModelChange NullableColumn = new("AddStreamerNotes", m => m.Entity<Streamer>().Property<string?>("Notes"));

    public static readonly ModelChange ConstantDefaultColumn = new(
        "AddStreamerPriority", m => m.Entity<Streamer>().Property<int>("Priority").HasDefaultValue(0));

    public static readonly ModelChange NewTable = new("AddStreamChapters", Chapters);

    public static readonly ModelChange IndexOnExistingTable = new(
        "AddCategoryStartIndex", m => m.Entity<Broadcast>().HasIndex(b => new { b.CategoryName, b.StartedAt }));

    public static readonly ModelChange UniqueIndexOnExistingTable = new(
        "AddUniqueRecordingPath",
        m => m.Entity<Broadcast>().HasIndex(b => b.RecordingPath, "ux_streams_recording_path").IsUnique().HasDatabaseName("ux_streams_recording_path"));

    public static readonly ModelChange ForeignKeyOnExistingTable = new("AddLastStreamReference", m =>
    {
        m.Entity<Streamer>().Property<int?>("LastStreamId");
        m.Entity<Streamer>().HasOne<Broadcast>().WithMany().HasForeignKey("LastStreamId")
            .HasConstraintName("streamers_last_stream_id_fkey").OnDelete(DeleteBehavior.SetNull);
    });

    public static readonly ModelChange CheckOnExistingTable = new("AddEpisodeNumberCheck", EpisodeNumberCheck);

    /// <summary>Every AlterColumn PostgreSQL makes in the catalog alone.</summary>
    public static readonly ModelChange SafeColumnChanges = new("WidenAndRelaxColumns", m =>
    {
        m.Entity<GlobalSettings>().Property(s => s.ProxyEncryptionKey).HasColumnType("character varying(500)");
        m.Entity<Broadcast>().Property(b => b.Title).HasColumnType("text");
        m.Entity<Streamer>().Property(s => s.Username).IsRequired(false);
        m.Entity<Streamer>().Property(s => s.Language).HasDefaultValue("en");
        m.Entity<Streamer>().Property(s => s.IsLive).Metadata.RemoveAnnotation("Relational:DefaultValue");
    });

    public static readonly ModelChange ContractDrops = new("ContractDropLegacyObjects", m =>
    {
        m.Entity<Broadcast>().Ignore(b => b.EpisodeNumber);
        var streams = m.Entity<Broadcast>().Metadata;
        streams.RemoveIndex(streams.GetIndexes().Single(i => i.GetDatabaseName() == "idx_streams_title"));
        m.Ignore<SystemConfigEntry>();
    });

    /// <summary>The four changes of issue #19: a column, an index on streams, a table with a foreign key to streams, a check.</summary>
    public static readonly ModelChange Issue19 = new("AddChaptersNotesAndChecks", m =>
    {
        NullableColumn.Apply(m);
        IndexOnExistingTable.Apply(m);
        Chapters(m);
        EpisodeNumberCheck(m);
    });

    public static readonly ModelChange VolatileDefault = new(
        "AddStreamSeenAt", m => m.Entity<Broadcast>().Property<DateTime?>("SeenAt").HasDefaultValueSql("clock_timestamp()"));

    public static readonly ModelChange NowDefault = new(
        "AddStreamerSeenAt", m => m.Entity<Streamer>().Property<DateTime?>("SeenAt").HasDefaultValueSql("now()"));

    public static readonly ModelChange SerialColumn = new(
        "AddStreamSequenceNumber", m => m.Entity<Broadcast>().Property<int>("SequenceNumber").ValueGeneratedOnAdd().Metadata
            .SetValueGenerationStrategy(Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.SerialColumn));

    public static readonly ModelChange NotNullWithoutDefault = new("AddStreamerRank", m => m.Entity<Streamer>().Property<int>("Rank"));

    public static readonly ModelChange Narrowing = new("ShortenStreamTitle", m => m.Entity<Broadcast>().Property(b => b.Title).HasColumnType("character varying(100)"));

    public static readonly ModelChange TextToBoundedVarchar = new(
        "BoundStreamerDescription", m => m.Entity<Streamer>().Property(s => s.Description).HasColumnType("character varying(200)"));

    public static readonly ModelChange Rewrite = new("WidenEpisodeNumber", m => m.Entity<Broadcast>().Property(b => b.EpisodeNumber).HasColumnType("bigint"));

    public static readonly ModelChange SetNotNull = new("RequireStreamTitle", m => m.Entity<Broadcast>().Property(b => b.Title).IsRequired());

    public static readonly ModelChange DropInUp = new("RemoveEpisodeNumber", m => m.Entity<Broadcast>().Ignore(b => b.EpisodeNumber));

    /// <summary>stream_chapters: serial key, a unique constraint, a check, a foreign key to streams, a plain and a unique index.</summary>
    private static void Chapters(ModelBuilder model)
        => model.Entity<Chapter>(chapter =>
        {
            chapter.ToTable("stream_chapters", t => t.HasCheckConstraint("ck_stream_chapters_starts_at_seconds", "starts_at_seconds >= 0"));
            chapter.HasKey(c => c.Id).HasName("stream_chapters_pkey");
            chapter.HasAlternateKey(c => new { c.StreamId, c.Title }).HasName("stream_chapters_stream_id_title_key");
            chapter.HasOne(c => c.Stream).WithMany().HasForeignKey(c => c.StreamId)
                .HasConstraintName("stream_chapters_stream_id_fkey").OnDelete(DeleteBehavior.Cascade);
            chapter.HasIndex(c => c.StreamId, "idx_stream_chapters_stream_id").HasDatabaseName("idx_stream_chapters_stream_id");
            chapter.HasIndex(c => new { c.StreamId, c.StartsAtSeconds }, "ux_stream_chapters_stream_start").IsUnique()
                .HasDatabaseName("ux_stream_chapters_stream_start");
            chapter.Property(c => c.CreatedAt).HasDefaultValueSql("now()");
        });

    private static void EpisodeNumberCheck(ModelBuilder model)
        => model.Entity<Broadcast>().ToTable(t => t.HasCheckConstraint("ck_streams_episode_number_positive", "episode_number IS NULL OR episode_number > 0"));
}

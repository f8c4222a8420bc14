using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StreamVault.Data.Entities;

namespace StreamVault.Data.Configurations;

internal sealed class StreamEventConfiguration : IEntityTypeConfiguration<StreamEvent>
{
    public void Configure(EntityTypeBuilder<StreamEvent> builder)
    {
        builder.HasKey(e => e.Id).HasName("stream_events_pkey");
        builder.HasOne(e => e.Stream)
            .WithMany(s => s.Events)
            .HasForeignKey(e => e.StreamId)
            .HasConstraintName("stream_events_stream_id_fkey")
            .OnDelete(DeleteBehavior.Cascade);

        builder.HasIndex(e => e.EventType, "idx_stream_events_event_type").HasDatabaseName("idx_stream_events_event_type");
        builder.HasIndex(e => e.StreamId, "idx_stream_events_stream_id").HasDatabaseName("idx_stream_events_stream_id");
        builder.HasIndex(e => new { e.StreamId, e.Timestamp }, "idx_stream_events_stream_time").HasDatabaseName("idx_stream_events_stream_time");
        builder.HasIndex(e => new { e.StreamId, e.EventType }, "idx_stream_events_stream_type").HasDatabaseName("idx_stream_events_stream_type");
        builder.HasIndex(e => e.Timestamp, "idx_stream_events_timestamp").HasDatabaseName("idx_stream_events_timestamp");
        builder.HasIndex(e => new { e.EventType, e.Timestamp }, "idx_stream_events_type_time").HasDatabaseName("idx_stream_events_type_time");

        builder.Property(e => e.Timestamp).HasDefaultValueSql("CURRENT_TIMESTAMP");
    }
}

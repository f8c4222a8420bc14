using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StreamVault.Data.Entities;

namespace StreamVault.Data.Configurations;

internal sealed class RecordingConfiguration : IEntityTypeConfiguration<Recording>
{
    public void Configure(EntityTypeBuilder<Recording> builder)
    {
        builder.HasKey(r => r.Id).HasName("recordings_pkey");
        builder.HasOne(r => r.Stream)
            .WithMany(s => s.Recordings)
            .HasForeignKey(r => r.StreamId)
            .HasConstraintName("recordings_stream_id_fkey")
            .OnDelete(DeleteBehavior.Cascade);

        builder.HasIndex(r => r.StartTime, "idx_recordings_start_time").HasDatabaseName("idx_recordings_start_time");
        builder.HasIndex(r => r.Status, "idx_recordings_status").HasDatabaseName("idx_recordings_status");
        builder.HasIndex(r => new { r.Status, r.StartTime }, "idx_recordings_status_time").HasDatabaseName("idx_recordings_status_time");
        builder.HasIndex(r => r.StreamId, "idx_recordings_stream_id").HasDatabaseName("idx_recordings_stream_id");
        builder.HasIndex(r => new { r.StreamId, r.Status }, "idx_recordings_stream_status").HasDatabaseName("idx_recordings_stream_status");

        builder.Property(r => r.Status).HasColumnType("character varying(50)");
        builder.Property(r => r.Path).HasColumnType("character varying(1024)");
        builder.Property(r => r.CreatedAt).HasDefaultValueSql("CURRENT_TIMESTAMP");
        builder.Property(r => r.ErrorMessage).HasColumnType("text");
        builder.Property(r => r.FailureReason).HasColumnType("character varying(255)");
    }
}

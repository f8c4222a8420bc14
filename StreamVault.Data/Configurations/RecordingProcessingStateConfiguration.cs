using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StreamVault.Data.Entities;

namespace StreamVault.Data.Configurations;

internal sealed class RecordingProcessingStateConfiguration : IEntityTypeConfiguration<RecordingProcessingState>
{
    public void Configure(EntityTypeBuilder<RecordingProcessingState> builder)
    {
        builder.ToTable("recording_processing_state", t => t.HasTrigger("update_recording_processing_state_updated_at"));
        builder.HasKey(r => r.Id).HasName("recording_processing_state_pkey");

        // A unique index in the app's database (its migration 022), not a constraint.
        builder.HasIndex(r => r.RecordingId, "ix_rps_recording_id").IsUnique().HasDatabaseName("ix_rps_recording_id");
        builder.HasIndex(r => r.StreamId, "ix_rps_stream_id").HasDatabaseName("ix_rps_stream_id");
        builder.HasIndex(r => r.UpdatedAt, "ix_rps_updated_at").HasDatabaseName("ix_rps_updated_at");

        foreach (var status in new[] { "MetadataStatus", "ChaptersStatus", "ThumbnailStatus", "CleanupStatus" })
        {
            builder.Property<string>(status).HasColumnType("character varying(20)").HasDefaultValue("pending");
        }

        // The naming convention would write mp4remux_status (no break after a digit).
        builder.Property(r => r.Mp4RemuxStatus).HasColumnName("mp4_remux_status").HasColumnType("character varying(20)").HasDefaultValue("pending");
        builder.Property(r => r.Mp4ValidationStatus).HasColumnName("mp4_validation_status").HasColumnType("character varying(20)").HasDefaultValue("pending");
        builder.Property(r => r.LastError).HasColumnType("text");
        builder.Property(r => r.TaskIdsJson).HasColumnType("text");
        builder.Property(r => r.CreatedAt).HasDefaultValueSql("now()");
        builder.Property(r => r.UpdatedAt).HasDefaultValueSql("now()");
    }
}

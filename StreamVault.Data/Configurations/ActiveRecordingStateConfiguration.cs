using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StreamVault.Data.Entities;

namespace StreamVault.Data.Configurations;

internal sealed class ActiveRecordingStateConfiguration : IEntityTypeConfiguration<ActiveRecordingState>
{
    public void Configure(EntityTypeBuilder<ActiveRecordingState> builder)
    {
        builder.ToTable("active_recordings_state");
        builder.HasKey(a => a.Id).HasName("active_recordings_state_pkey");
        builder.HasOne(a => a.Stream)
            .WithOne(s => s.ActiveRecordingState)
            .HasForeignKey<ActiveRecordingState>(a => a.StreamId)
            .HasConstraintName("active_recordings_state_stream_id_fkey")
            .OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(a => a.Recording)
            .WithMany(r => r.ActiveStates)
            .HasForeignKey(a => a.RecordingId)
            .HasConstraintName("active_recordings_state_recording_id_fkey")
            .OnDelete(DeleteBehavior.Cascade);

        // The app's UNIQUE (stream_id): a unique index to EF, so the column stays updatable.
        builder.HasIndex(a => a.StreamId, "active_recordings_state_stream_id_key").IsUnique().HasDatabaseName("active_recordings_state_stream_id_key");
        builder.HasIndex(a => a.LastHeartbeat, "idx_active_recordings_heartbeat").HasDatabaseName("idx_active_recordings_heartbeat");
        builder.HasIndex(a => a.ProcessId, "idx_active_recordings_process_id").HasDatabaseName("idx_active_recordings_process_id");
        builder.HasIndex(a => a.Status, "idx_active_recordings_status").HasDatabaseName("idx_active_recordings_status");

        builder.Property(a => a.ProcessIdentifier).HasColumnType("character varying(100)");
        builder.Property(a => a.StreamerName).HasColumnType("character varying(100)");
        builder.Property(a => a.TsOutputPath).HasColumnType("character varying(500)");
        builder.Property(a => a.ForceMode).HasDefaultValue(false);
        builder.Property(a => a.Quality).HasColumnType("character varying(50)").HasDefaultValue("best");
        builder.Property(a => a.Status).HasColumnType("character varying(50)").HasDefaultValue("recording");
        builder.Property(a => a.LastHeartbeat).HasDefaultValueSql("CURRENT_TIMESTAMP");
        builder.Property(a => a.ConfigJson).HasColumnType("text");
        builder.Property(a => a.CreatedAt).HasDefaultValueSql("CURRENT_TIMESTAMP");
        builder.Property(a => a.UpdatedAt).HasDefaultValueSql("CURRENT_TIMESTAMP");
    }
}

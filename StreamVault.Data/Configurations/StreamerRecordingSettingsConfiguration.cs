using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StreamVault.Data.Entities;

namespace StreamVault.Data.Configurations;

internal sealed class StreamerRecordingSettingsConfiguration : IEntityTypeConfiguration<StreamerRecordingSettings>
{
    public void Configure(EntityTypeBuilder<StreamerRecordingSettings> builder)
    {
        builder.HasKey(r => r.Id).HasName("streamer_recording_settings_pkey");
        builder.HasOne(r => r.Streamer)
            .WithOne(s => s.RecordingSettings)
            .HasForeignKey<StreamerRecordingSettings>(r => r.StreamerId)
            .HasConstraintName("streamer_recording_settings_streamer_id_fkey")
            .OnDelete(DeleteBehavior.Cascade);

        builder.HasIndex(r => r.StreamerId, "streamer_recording_settings_streamer_id_key").IsUnique()
            .HasDatabaseName("streamer_recording_settings_streamer_id_key");
        builder.HasIndex(r => r.StreamerId, "idx_streamer_recording_settings_streamer_id").HasDatabaseName("idx_streamer_recording_settings_streamer_id");

        builder.Property(r => r.Enabled).HasDefaultValue(true);
        builder.Property(r => r.Quality).HasDefaultValue("best");
        builder.Property(r => r.CleanupPolicy).HasColumnType("text");
        builder.Property(r => r.CreatedAt).HasDefaultValueSql("CURRENT_TIMESTAMP");
        builder.Property(r => r.UpdatedAt).HasDefaultValueSql("CURRENT_TIMESTAMP");

        // The CLR default is the server default, so EF sends false and leaves true to the server.
        builder.Property(r => r.UseGlobalCleanupPolicy).HasDefaultValue(true).HasSentinel(true);
        builder.Property(r => r.SupportedCodecs).HasColumnType("character varying(255)");
    }
}

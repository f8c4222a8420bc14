using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StreamVault.Data.Entities;

namespace StreamVault.Data.Configurations;

internal sealed class RecordingSettingsConfiguration : IEntityTypeConfiguration<RecordingSettings>
{
    public void Configure(EntityTypeBuilder<RecordingSettings> builder)
    {
        builder.HasKey(r => r.Id).HasName("recording_settings_pkey");
        builder.Property(r => r.Enabled).HasDefaultValue(true);
        builder.Property(r => r.OutputDirectory).HasDefaultValue("/recordings");
        builder.Property(r => r.FilenameTemplate).HasDefaultValue("{streamer}/{date}_{title}_{id}");
        builder.Property(r => r.DefaultQuality).HasDefaultValue("best");
        builder.Property(r => r.UseChapters).HasDefaultValue(true);
        builder.Property(r => r.FilenamePreset).HasDefaultValue("default");
        builder.Property(r => r.UseCategoryAsChapterTitle).HasDefaultValue(false);
        builder.Property(r => r.MaxStreamsPerStreamer).HasDefaultValue(0);
        builder.Property(r => r.CleanupPolicy).HasColumnType("text").HasDefaultValue("keep_all");

        // Where the CLR default is not the server default, the server default is the sentinel: EF sends every other value.
        builder.Property(r => r.EnableProxy).HasDefaultValue(true).HasSentinel(true);
        builder.Property(r => r.ProxyHealthCheckEnabled).HasDefaultValue(true).HasSentinel(true);
        builder.Property(r => r.ProxyHealthCheckIntervalSeconds).HasDefaultValue(300).HasSentinel(300);
        builder.Property(r => r.ProxyMaxConsecutiveFailures).HasDefaultValue(3).HasSentinel(3);
        builder.Property(r => r.FallbackToDirectConnection).HasDefaultValue(true).HasSentinel(true);
    }
}

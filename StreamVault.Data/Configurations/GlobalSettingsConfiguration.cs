using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using StreamVault.Data.Entities;

namespace StreamVault.Data.Configurations;

internal sealed class GlobalSettingsConfiguration : IEntityTypeConfiguration<GlobalSettings>
{
    public void Configure(EntityTypeBuilder<GlobalSettings> builder)
    {
        builder.HasKey(s => s.Id).HasName("global_settings_pkey");

        builder.Property(s => s.NotificationsEnabled).HasDefaultValue(false);
        builder.Property(s => s.NotifyOnlineGlobal).HasDefaultValue(true);
        builder.Property(s => s.NotifyOfflineGlobal).HasDefaultValue(true);
        builder.Property(s => s.NotifyUpdateGlobal).HasDefaultValue(true);
        builder.Property(s => s.NotifyFavoriteCategoryGlobal).HasDefaultValue(true);
        builder.Property(s => s.SupportedCodecs).HasDefaultValue("h264,h265");

        // The CLR default is the server default, so EF sends false and leaves true to the server.
        builder.Property(s => s.PreferHigherQuality).HasDefaultValue(true).HasSentinel(true);
        builder.Property(s => s.NotifyRecordingStarted).HasDefaultValue(false);
        builder.Property(s => s.NotifyRecordingFailed).HasDefaultValue(true);
        builder.Property(s => s.NotifyRecordingCompleted).HasDefaultValue(false);
        builder.Property(s => s.ProxyEncryptionKey).HasColumnType("character varying(255)");
        builder.Property(s => s.TwitchRefreshToken).HasColumnType("text");
        builder.Property(s => s.TwitchAccessToken).HasColumnType("text");

        // The app created it without time zone and stores UTC in it; Npgsql only writes Unspecified there.
        builder.Property(s => s.TwitchTokenExpiresAt)
            .HasColumnType("timestamp without time zone")
            .HasConversion(UtcWithoutTimeZone);
    }

    private static readonly ValueConverter<DateTime, DateTime> UtcWithoutTimeZone = new(
        v => DateTime.SpecifyKind(v.Kind == DateTimeKind.Local ? v.ToUniversalTime() : v, DateTimeKind.Unspecified),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StreamVault.Data.Entities;

namespace StreamVault.Data.Configurations;

internal sealed class NotificationSettingsConfiguration : IEntityTypeConfiguration<NotificationSettings>
{
    public void Configure(EntityTypeBuilder<NotificationSettings> builder)
    {
        builder.HasKey(n => n.Id).HasName("notification_settings_pkey");
        builder.HasOne(n => n.Streamer)
            .WithOne(s => s.NotificationSettings)
            .HasForeignKey<NotificationSettings>(n => n.StreamerId)
            .HasConstraintName("notification_settings_streamer_id_fkey")
            .OnDelete(DeleteBehavior.Cascade);

        builder.HasIndex(n => n.StreamerId, "notification_settings_streamer_id_key").IsUnique().HasDatabaseName("notification_settings_streamer_id_key");
        builder.HasIndex(n => n.StreamerId, "idx_notification_settings_streamer_id").HasDatabaseName("idx_notification_settings_streamer_id");

        builder.Property(n => n.NotifyOnline).HasDefaultValue(true);
        builder.Property(n => n.NotifyOffline).HasDefaultValue(true);
        builder.Property(n => n.NotifyUpdate).HasDefaultValue(true);
        builder.Property(n => n.NotifyFavoriteCategory).HasDefaultValue(true);
        builder.Property(n => n.CreatedAt).HasDefaultValueSql("CURRENT_TIMESTAMP");
    }
}

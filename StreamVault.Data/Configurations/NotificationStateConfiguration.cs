using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StreamVault.Data.Entities;

namespace StreamVault.Data.Configurations;

internal sealed class NotificationStateConfiguration : IEntityTypeConfiguration<NotificationState>
{
    public void Configure(EntityTypeBuilder<NotificationState> builder)
    {
        builder.ToTable("notification_state");
        builder.HasKey(n => n.Id).HasName("notification_state_pkey");
        builder.HasOne(n => n.User)
            .WithOne(u => u.NotificationState)
            .HasForeignKey<NotificationState>(n => n.UserId)
            .HasConstraintName("notification_state_user_id_fkey")
            .OnDelete(DeleteBehavior.Cascade);

        builder.HasIndex(n => n.UserId, "notification_state_user_id_key").IsUnique().HasDatabaseName("notification_state_user_id_key");
        builder.HasIndex(n => n.UserId, "idx_notification_state_user_id").HasDatabaseName("idx_notification_state_user_id");

        builder.Property(n => n.CreatedAt).HasDefaultValueSql("CURRENT_TIMESTAMP");
        builder.Property(n => n.UpdatedAt).HasDefaultValueSql("CURRENT_TIMESTAMP");
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StreamVault.Data.Entities;

namespace StreamVault.Data.Configurations;

internal sealed class PushSubscriptionConfiguration : IEntityTypeConfiguration<PushSubscription>
{
    public void Configure(EntityTypeBuilder<PushSubscription> builder)
    {
        // The app keeps updated_at current with this trigger (update_updated_at_column()) from its 2025-07 releases on.
        builder.ToTable(t => t.HasTrigger("update_push_subscriptions_updated_at"));
        builder.HasKey(s => s.Id).HasName("push_subscriptions_pkey");
        builder.HasIndex(s => s.Endpoint, "push_subscriptions_endpoint_key").IsUnique().HasDatabaseName("push_subscriptions_endpoint_key");
        builder.Property(s => s.SubscriptionData).HasColumnType("text");

        // The CLR default is the server default, so EF sends false and leaves true to the server.
        builder.Property(s => s.IsActive).HasDefaultValue(true).HasSentinel(true);
        builder.Property(s => s.CreatedAt).HasDefaultValueSql("now()");
        builder.Property(s => s.UpdatedAt).HasDefaultValueSql("now()");
        builder.Property(s => s.P256dhKey).HasColumnName("p256dh_key").HasColumnType("text");
        builder.Property(s => s.AuthKey).HasColumnType("text");
        builder.Property(s => s.LastUsed).HasDefaultValueSql("CURRENT_TIMESTAMP");

        // Both exist in every database the Python app touched (the endpoint one duplicates the unique constraint).
        builder.HasIndex(s => s.Endpoint, "ix_push_subscriptions_endpoint").HasDatabaseName("ix_push_subscriptions_endpoint");
        builder.HasIndex(s => s.IsActive, "ix_push_subscriptions_is_active").HasDatabaseName("ix_push_subscriptions_is_active");
    }
}

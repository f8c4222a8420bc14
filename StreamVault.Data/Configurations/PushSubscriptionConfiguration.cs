using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StreamVault.Data.Entities;

namespace StreamVault.Data.Configurations;

internal sealed class PushSubscriptionConfiguration : IEntityTypeConfiguration<PushSubscription>
{
    public void Configure(EntityTypeBuilder<PushSubscription> builder)
    {
        builder.HasKey(s => s.Id).HasName("push_subscriptions_pkey");
        builder.HasAlternateKey(s => s.Endpoint).HasName("push_subscriptions_endpoint_key");
        builder.Property(s => s.SubscriptionData).HasColumnType("text");
        builder.Property(s => s.CreatedAt).HasDefaultValueSql("now()");
        builder.Property(s => s.UpdatedAt).HasDefaultValueSql("now()");

        // Both exist in every database the Python app touched (the endpoint one duplicates the unique constraint).
        builder.HasIndex(s => s.Endpoint).HasDatabaseName("ix_push_subscriptions_endpoint");
        builder.HasIndex(s => s.IsActive).HasDatabaseName("ix_push_subscriptions_is_active");
    }
}

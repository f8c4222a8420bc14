using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StreamVault.Data.Entities;

namespace StreamVault.Data.Configurations;

internal sealed class ProxySettingsConfiguration : IEntityTypeConfiguration<ProxySettings>
{
    public void Configure(EntityTypeBuilder<ProxySettings> builder)
    {
        builder.HasKey(p => p.Id).HasName("proxy_settings_pkey");
        builder.HasIndex(p => p.Enabled, "idx_proxy_enabled").HasDatabaseName("idx_proxy_enabled");
        builder.HasIndex(p => p.HealthStatus, "idx_proxy_health").HasDatabaseName("idx_proxy_health");
        builder.HasIndex(p => p.Priority, "idx_proxy_priority").HasDatabaseName("idx_proxy_priority");

        builder.Property(p => p.Priority).HasDefaultValue(0);

        // Where the CLR default is not the server default, the server default is the sentinel: EF sends every other value.
        builder.Property(p => p.Enabled).HasDefaultValue(true).HasSentinel(true);
        builder.Property(p => p.HealthStatus).HasDefaultValue("unknown");
        builder.Property(p => p.ConsecutiveFailures).HasDefaultValue(0);
        builder.Property(p => p.TotalRecordings).HasDefaultValue(0);
        builder.Property(p => p.FailedRecordings).HasDefaultValue(0);
        builder.Property(p => p.CreatedAt).HasDefaultValueSql("now()");
        builder.Property(p => p.UpdatedAt).HasDefaultValueSql("now()");
    }
}

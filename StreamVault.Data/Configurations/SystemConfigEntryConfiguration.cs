using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StreamVault.Data.Entities;

namespace StreamVault.Data.Configurations;

internal sealed class SystemConfigEntryConfiguration : IEntityTypeConfiguration<SystemConfigEntry>
{
    public void Configure(EntityTypeBuilder<SystemConfigEntry> builder)
    {
        builder.HasKey(s => s.Id).HasName("system_config_pkey");
        builder.HasIndex(s => s.Key, "system_config_key_key").IsUnique().HasDatabaseName("system_config_key_key");
        builder.Property(s => s.Value).HasColumnType("text");
        builder.Property(s => s.CreatedAt).HasDefaultValueSql("now()");
        builder.Property(s => s.UpdatedAt).HasDefaultValueSql("now()");

        // Made by the June 2025 system_config migration beside the unique constraint; newer releases lack it.
        builder.HasIndex(s => s.Key, "idx_system_config_key").HasDatabaseName("idx_system_config_key");
    }
}

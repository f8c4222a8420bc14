using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StreamVault.Data.Entities;

namespace StreamVault.Data.Configurations;

internal sealed class SystemConfigEntryConfiguration : IEntityTypeConfiguration<SystemConfigEntry>
{
    public void Configure(EntityTypeBuilder<SystemConfigEntry> builder)
    {
        builder.HasKey(s => s.Id).HasName("system_config_pkey");
        builder.HasAlternateKey(s => s.Key).HasName("system_config_key_key");
        builder.Property(s => s.Value).HasColumnType("text");
        builder.Property(s => s.CreatedAt).HasDefaultValueSql("now()");
        builder.Property(s => s.UpdatedAt).HasDefaultValueSql("now()");

        // Created by the Python system_config migration; duplicates the unique constraint but is kept as found.
        builder.HasIndex(s => s.Key).HasDatabaseName("idx_system_config_key");
    }
}

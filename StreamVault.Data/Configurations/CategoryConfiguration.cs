using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StreamVault.Data.Entities;

namespace StreamVault.Data.Configurations;

internal sealed class CategoryConfiguration : IEntityTypeConfiguration<Category>
{
    public void Configure(EntityTypeBuilder<Category> builder)
    {
        builder.HasKey(c => c.Id).HasName("categories_pkey");
        builder.HasIndex(c => c.TwitchId, "categories_twitch_id_key").IsUnique().HasDatabaseName("categories_twitch_id_key");
        builder.Property(c => c.BoxArtUrl).HasColumnType("text");
        builder.Property(c => c.FirstSeen).HasDefaultValueSql("CURRENT_TIMESTAMP");
        builder.Property(c => c.LastSeen).HasDefaultValueSql("CURRENT_TIMESTAMP");
    }
}

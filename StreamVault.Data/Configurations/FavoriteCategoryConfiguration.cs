using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StreamVault.Data.Entities;

namespace StreamVault.Data.Configurations;

internal sealed class FavoriteCategoryConfiguration : IEntityTypeConfiguration<FavoriteCategory>
{
    public void Configure(EntityTypeBuilder<FavoriteCategory> builder)
    {
        builder.HasKey(f => f.Id).HasName("favorite_categories_pkey");

        // The June 2025 release created both without ON DELETE; those are kept where they exist (docs/releases.md).
        builder.HasOne(f => f.User)
            .WithMany(u => u.FavoriteCategories)
            .HasForeignKey(f => f.UserId)
            .HasConstraintName("favorite_categories_user_id_fkey")
            .OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(f => f.Category)
            .WithMany(c => c.Favorites)
            .HasForeignKey(f => f.CategoryId)
            .HasConstraintName("favorite_categories_category_id_fkey")
            .OnDelete(DeleteBehavior.Cascade);

        // June 2025 named it uq_user_category; where that exists it stands in for this one.
        builder.HasIndex(f => new { f.UserId, f.CategoryId }, "favorite_categories_user_id_category_id_key")
            .IsUnique().HasDatabaseName("favorite_categories_user_id_category_id_key");
        builder.Property(f => f.CreatedAt).HasDefaultValueSql("CURRENT_TIMESTAMP");
    }
}

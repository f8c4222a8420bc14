using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StreamVault.Data.Entities;

namespace StreamVault.Data.Configurations;

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.HasKey(k => k.Id).HasName("api_keys_pkey");
        builder.HasOne(k => k.User)
            .WithMany(u => u.ApiKeys)
            .HasForeignKey(k => k.UserId)
            .HasConstraintName("api_keys_user_id_fkey")
            .OnDelete(DeleteBehavior.Cascade);

        builder.HasIndex(k => k.KeyHash, "api_keys_key_hash_key").IsUnique().HasDatabaseName("api_keys_key_hash_key");

        // Both exist in the app's database (its migration 037); the key_hash one duplicates the unique constraint.
        builder.HasIndex(k => k.KeyHash, "ix_api_keys_key_hash").HasDatabaseName("ix_api_keys_key_hash");
        builder.HasIndex(k => k.UserId, "ix_api_keys_user_id").HasDatabaseName("ix_api_keys_user_id");

        builder.Property(k => k.KeyPrefix).HasColumnType("character varying(12)");
        builder.Property(k => k.CreatedAt).HasDefaultValueSql("now()");
    }
}

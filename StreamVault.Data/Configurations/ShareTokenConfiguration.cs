using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StreamVault.Data.Entities;

namespace StreamVault.Data.Configurations;

internal sealed class ShareTokenConfiguration : IEntityTypeConfiguration<ShareToken>
{
    public void Configure(EntityTypeBuilder<ShareToken> builder)
    {
        builder.HasKey(t => t.Id).HasName("share_tokens_pkey");
        builder.HasIndex(t => t.Token, "share_tokens_token_key").IsUnique().HasDatabaseName("share_tokens_token_key");
        builder.HasIndex(t => t.ExpiresAt, "idx_share_tokens_expires").HasDatabaseName("idx_share_tokens_expires");
        builder.HasIndex(t => t.StreamId, "idx_share_tokens_stream_id").HasDatabaseName("idx_share_tokens_stream_id");
        builder.HasIndex(t => t.Token, "idx_share_tokens_token").HasDatabaseName("idx_share_tokens_token");
        builder.Property(t => t.Token).HasColumnType("character varying(255)");
        builder.Property(t => t.CreatedAt).HasDefaultValueSql("CURRENT_TIMESTAMP");
    }
}

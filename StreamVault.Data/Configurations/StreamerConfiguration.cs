using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StreamVault.Data.Entities;

namespace StreamVault.Data.Configurations;

internal sealed class StreamerConfiguration : IEntityTypeConfiguration<Streamer>
{
    public void Configure(EntityTypeBuilder<Streamer> builder)
    {
        builder.HasKey(s => s.Id).HasName("streamers_pkey");
        builder.HasAlternateKey(s => s.TwitchId).HasName("streamers_twitch_id_key");
        builder.Property(s => s.CreatedAt).HasDefaultValueSql("now()");

        // SQLAlchemy's index=True on the primary key: redundant, but present in every legacy database.
        builder.HasIndex(s => s.Id).HasDatabaseName("ix_streamers_id");
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StreamVault.Data.Entities;

namespace StreamVault.Data.Configurations;

internal sealed class StreamerConfiguration : IEntityTypeConfiguration<Streamer>
{
    public void Configure(EntityTypeBuilder<Streamer> builder)
    {
        builder.HasKey(s => s.Id).HasName("streamers_pkey");

        // create_all's UNIQUE (twitch_id): a unique index to EF, so TwitchId stays updatable.
        builder.HasIndex(s => s.TwitchId, "streamers_twitch_id_key").IsUnique().HasDatabaseName("streamers_twitch_id_key");

        // SQLAlchemy's index=True on the primary key: present where create_all of 2024–2025 made the table.
        builder.HasIndex(s => s.Id, "ix_streamers_id").HasDatabaseName("ix_streamers_id");

        // The app's own lookups (its migration 004 and later), under its names so neither side builds a second one.
        builder.HasIndex(s => s.AutoRecord, "idx_streamers_auto_record").HasDatabaseName("idx_streamers_auto_record");
        builder.HasIndex(s => s.CategoryName, "idx_streamers_category_name").HasDatabaseName("idx_streamers_category_name");
        builder.HasIndex(s => s.IsFavorite, "idx_streamers_is_favorite").HasDatabaseName("idx_streamers_is_favorite");
        builder.HasIndex(s => s.IsLive, "idx_streamers_is_live").HasDatabaseName("idx_streamers_is_live");
        builder.HasIndex(s => s.IsTestData, "idx_streamers_test_data").HasDatabaseName("idx_streamers_test_data");
        builder.HasIndex(s => s.TwitchId, "idx_streamers_twitch_id").HasDatabaseName("idx_streamers_twitch_id");
        builder.HasIndex(s => s.Username, "idx_streamers_username").HasDatabaseName("idx_streamers_username");

        builder.Property(s => s.IsLive).HasDefaultValue(false);
        builder.Property(s => s.IsFavorite).HasDefaultValue(false);
        builder.Property(s => s.AutoRecord).HasDefaultValue(false);
        builder.Property(s => s.IsTestData).HasDefaultValue(false);
        builder.Property(s => s.CreatedAt).HasDefaultValueSql("now()");
        builder.Property(s => s.Description).HasColumnType("text");
    }
}

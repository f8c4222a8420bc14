using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StreamVault.Data.Entities;

namespace StreamVault.Data.Configurations;

internal sealed class BroadcastConfiguration : IEntityTypeConfiguration<Broadcast>
{
    public void Configure(EntityTypeBuilder<Broadcast> builder)
    {
        builder.HasKey(s => s.Id).HasName("streams_pkey");
        builder.HasOne(s => s.Streamer)
            .WithMany(s => s.Streams)
            .HasForeignKey(s => s.StreamerId)
            .HasConstraintName("streams_streamer_id_fkey")
            .OnDelete(DeleteBehavior.Cascade);

        builder.HasIndex(s => s.StreamerId, "idx_streams_streamer_id").HasDatabaseName("idx_streams_streamer_id");
        builder.HasIndex(s => s.StartedAt, "idx_streams_started_at").HasDatabaseName("idx_streams_started_at");
        builder.HasIndex(s => s.Title, "idx_streams_title").HasDatabaseName("idx_streams_title");

        // The app's own lookups (its migration 004 and later), under its names so neither side builds a second one.
        builder.HasIndex(s => s.CategoryName, "idx_streams_category_name").HasDatabaseName("idx_streams_category_name");
        builder.HasIndex(s => new { s.CategoryName, s.StartedAt }, "idx_streams_category_recent").HasDatabaseName("idx_streams_category_recent");
        builder.HasIndex(s => s.EndedAt, "idx_streams_ended_at").HasDatabaseName("idx_streams_ended_at");
        builder.HasIndex(s => new { s.StreamerId, s.EndedAt }, "idx_streams_streamer_active").HasDatabaseName("idx_streams_streamer_active");
        builder.HasIndex(s => new { s.StreamerId, s.StartedAt }, "idx_streams_streamer_recent").HasDatabaseName("idx_streams_streamer_recent");
        builder.HasIndex(s => new { s.StartedAt, s.EndedAt }, "idx_streams_time_range").HasDatabaseName("idx_streams_time_range");

        // One recording per Twitch stream: the app's migration 039 made it unique (NULLs stay allowed).
        builder.HasIndex(s => s.TwitchStreamId, "ix_streams_twitch_stream_id").IsUnique().HasDatabaseName("ix_streams_twitch_stream_id");

        builder.Property(s => s.CreatedAt).HasDefaultValueSql("now()");
    }
}

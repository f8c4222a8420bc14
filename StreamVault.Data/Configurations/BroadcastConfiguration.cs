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

        builder.HasIndex(s => s.StreamerId).HasDatabaseName("idx_streams_streamer_id");
        builder.HasIndex(s => s.StartedAt).HasDatabaseName("idx_streams_started_at");
        builder.HasIndex(s => s.Title).HasDatabaseName("idx_streams_title");
    }
}

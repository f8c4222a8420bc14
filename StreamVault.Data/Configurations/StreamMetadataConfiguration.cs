using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StreamVault.Data.Entities;

namespace StreamVault.Data.Configurations;

internal sealed class StreamMetadataConfiguration : IEntityTypeConfiguration<StreamMetadata>
{
    public void Configure(EntityTypeBuilder<StreamMetadata> builder)
    {
        builder.HasKey(m => m.Id).HasName("stream_metadata_pkey");
        builder.HasOne(m => m.Stream)
            .WithOne(s => s.Metadata)
            .HasForeignKey<StreamMetadata>(m => m.StreamId)
            .HasConstraintName("stream_metadata_stream_id_fkey")
            .OnDelete(DeleteBehavior.Cascade);

        builder.HasIndex(m => m.StreamId, "stream_metadata_stream_id_key").IsUnique().HasDatabaseName("stream_metadata_stream_id_key");
        builder.HasIndex(m => m.StreamId, "idx_stream_metadata_stream_id").HasDatabaseName("idx_stream_metadata_stream_id");

        builder.Property(m => m.Tags).HasColumnType("text");
        builder.Property(m => m.Mature).HasDefaultValue(false);
        builder.Property(m => m.OriginalLanguage).HasColumnType("character varying(10)");
        builder.Property(m => m.OriginalTitle).HasColumnType("character varying(500)");
        builder.Property(m => m.OriginalCategory).HasColumnType("character varying(100)");
        builder.Property(m => m.CreatedAt).HasDefaultValueSql("CURRENT_TIMESTAMP");
        builder.Property(m => m.UpdatedAt).HasDefaultValueSql("CURRENT_TIMESTAMP");
        builder.Property(m => m.ChaptersXmlPath).HasColumnType("text");
        builder.Property(m => m.TvshowNfoPath).HasColumnType("text");
        builder.Property(m => m.SeasonNfoPath).HasColumnType("text");
        builder.Property(m => m.SegmentsDirPath).HasColumnType("character varying(500)");
        builder.Property(m => m.SegmentsRemoved).HasDefaultValue(false);
    }
}

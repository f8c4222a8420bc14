using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StreamVault.Data.Entities;

namespace StreamVault.Data.Configurations;

internal sealed class SessionConfiguration : IEntityTypeConfiguration<Session>
{
    public void Configure(EntityTypeBuilder<Session> builder)
    {
        builder.HasKey(s => s.Id).HasName("sessions_pkey");
        builder.HasOne(s => s.User)
            .WithMany(u => u.Sessions)
            .HasForeignKey(s => s.UserId)
            .HasConstraintName("sessions_user_id_fkey")
            .OnDelete(DeleteBehavior.Cascade);

        builder.HasIndex(s => s.Token, "sessions_token_key").IsUnique().HasDatabaseName("sessions_token_key");
        builder.HasIndex(s => s.CreatedAt, "idx_sessions_created_at").HasDatabaseName("idx_sessions_created_at");
        builder.HasIndex(s => s.ExpiresAt, "idx_sessions_expires_at").HasDatabaseName("idx_sessions_expires_at");
        builder.HasIndex(s => s.Token, "idx_sessions_token").HasDatabaseName("idx_sessions_token");
        builder.HasIndex(s => s.UserId, "idx_sessions_user_id").HasDatabaseName("idx_sessions_user_id");

        builder.Property(s => s.ExpiresAt).HasDefaultValueSql("(CURRENT_TIMESTAMP + '24:00:00'::interval)");
        builder.Property(s => s.CreatedAt).HasDefaultValueSql("CURRENT_TIMESTAMP");
    }
}

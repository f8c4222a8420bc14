using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StreamVault.Data.Entities;

namespace StreamVault.Data.Configurations;

internal sealed class SystemStateConfiguration : IEntityTypeConfiguration<SystemState>
{
    public void Configure(EntityTypeBuilder<SystemState> builder)
    {
        builder.ToTable(t => t.HasCheckConstraint("system_state_singleton", "id = 1"));
        builder.HasKey(s => s.Id).HasName("system_state_pkey");

        // A singleton: the key is always 1 (the server default), never a sequence.
        builder.Property(s => s.Id).ValueGeneratedNever().HasDefaultValue(1);
        builder.Property(s => s.WelcomeCompleted).HasDefaultValue(false);
        builder.Property(s => s.UpdatedAt).HasDefaultValueSql("now()");
    }
}

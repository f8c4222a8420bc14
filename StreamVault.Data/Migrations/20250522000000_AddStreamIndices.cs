using Microsoft.EntityFrameworkCore.Migrations;

namespace StreamVault.Data.Migrations;

/// <summary>The Python migration 20250522_add_stream_indices: lookups by streamer, date and title.</summary>
public partial class AddStreamIndices : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);

        // Databases that ran the Python migration already have them; IF NOT EXISTS keeps those.
        migrationBuilder.Sql("""
            CREATE INDEX IF NOT EXISTS idx_streams_streamer_id ON streams (streamer_id);
            CREATE INDEX IF NOT EXISTS idx_streams_started_at ON streams (started_at);
            CREATE INDEX IF NOT EXISTS idx_streams_title ON streams (title);
            """);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);

        // Indexes hold no data of their own, so they may go whatever the tables contain.
        migrationBuilder.Sql("""
            DROP INDEX IF EXISTS idx_streams_title;
            DROP INDEX IF EXISTS idx_streams_started_at;
            DROP INDEX IF EXISTS idx_streams_streamer_id;
            """);
    }
}

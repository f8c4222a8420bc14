using Microsoft.EntityFrameworkCore.Migrations;

namespace StreamVault.Data.Migrations;

/// <summary>The Python migration 20250609_add_recording_path: where each recording lives on disk.</summary>
internal partial class AddRecordingPathToStreams : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);

        // A nullable column without default is a catalog-only change, even on a large streams table. The check
        // comes first because ALTER TABLE takes its exclusive lock even when IF NOT EXISTS then does nothing.
        migrationBuilder.Sql("""
            DO $add$
            BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_attribute
                               WHERE attrelid = 'streams'::regclass AND attname = 'recording_path' AND NOT attisdropped) THEN
                    ALTER TABLE streams ADD COLUMN IF NOT EXISTS recording_path VARCHAR;
                END IF;
            END
            $add$;
            """);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);

        // Recording paths are how files are found again: refuse while any row has one.
        migrationBuilder.Sql(RevertGuard.RefuseIfColumnsHoldValues(nameof(AddRecordingPathToStreams), "streams", "recording_path"));
        migrationBuilder.Sql("""
            ALTER TABLE streams DROP COLUMN IF EXISTS recording_path;
            """);
    }
}

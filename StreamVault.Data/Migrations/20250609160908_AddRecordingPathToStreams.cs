using Microsoft.EntityFrameworkCore.Migrations;

namespace StreamVault.Data.Migrations;

/// <summary>The Python migration 20250609_add_recording_path: where each recording lives on disk.</summary>
[LedgerName("20250609_add_recording_path")]
internal partial class AddRecordingPathToStreams : Migration, IAdoptableMigration
{
    /// <summary>Everything this migration creates that holds data or serves queries (see <see cref="ReleasedMigrationAdoption"/>).</summary>
    public string PresenceCheck => ReleasedMigrationAdoption.Columns("streams", "recording_path");

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
        migrationBuilder.Sql("""
            DO $guard$
            DECLARE
                c text;
                has_values boolean;
            BEGIN
                FOREACH c IN ARRAY ARRAY['recording_path'] LOOP
                    CONTINUE WHEN NOT EXISTS (
                        SELECT 1 FROM information_schema.columns
                        WHERE table_schema = current_schema() AND table_name = 'streams' AND column_name = c);
                    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE %I IS NOT NULL)', 'streams', c) INTO has_values;
                    IF has_values THEN
                        RAISE EXCEPTION 'refusing to revert AddRecordingPathToStreams: column streams.% holds values; back it up and clear it first', c;
                    END IF;
                END LOOP;
            END
            $guard$;
            """);
        migrationBuilder.Sql("""
            ALTER TABLE streams DROP COLUMN IF EXISTS recording_path;
            """);
    }
}

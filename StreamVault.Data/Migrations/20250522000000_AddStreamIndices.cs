using Microsoft.EntityFrameworkCore.Migrations;

namespace StreamVault.Data.Migrations;

/// <summary>The Python migration 20250522_add_stream_indices: lookups by streamer, date and title.</summary>
[LedgerName("20250522_add_stream_indices")]
internal partial class AddStreamIndices : Migration, IAdoptableMigration
{
    /// <summary>Everything this migration creates that holds data or serves queries (see <see cref="ReleasedMigrationAdoption"/>).</summary>
    public string PresenceCheck => ReleasedMigrationAdoption.All(
        ReleasedMigrationAdoption.Index("streams", "idx_streams_streamer_id", "streamer_id"),
        ReleasedMigrationAdoption.Index("streams", "idx_streams_started_at", "started_at"),
        ReleasedMigrationAdoption.Index("streams", "idx_streams_title", "title"));

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);

        // IF NOT EXISTS would keep an INVALID index left by a failed concurrent build, so such a leftover is
        // dropped first; an index of the same name with another definition is somebody else's: stop.
        migrationBuilder.Sql("""
            DO $indices$
            DECLARE
                wanted record;
                existing record;
            BEGIN
                FOR wanted IN
                    SELECT * FROM (VALUES
                        ('idx_streams_streamer_id', 'btree (streamer_id)'),
                        ('idx_streams_started_at', 'btree (started_at)'),
                        ('idx_streams_title', 'btree (title)')) AS w (name, method)
                LOOP
                    SELECT i.indisvalid, i.indrelid, i.indisunique, pg_get_indexdef(i.indexrelid) AS definition
                    INTO existing
                    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                    WHERE c.relname = wanted.name AND c.relnamespace = current_schema()::regnamespace;
                    CONTINUE WHEN NOT FOUND;
                    IF NOT existing.indisvalid THEN
                        EXECUTE format('DROP INDEX %I', wanted.name);
                    ELSIF existing.indrelid <> 'streams'::regclass OR existing.indisunique
                          OR existing.definition NOT LIKE ('% USING ' || wanted.method) THEN
                        RAISE EXCEPTION 'index % exists with another definition: found "%", expected "CREATE INDEX % ON streams USING %"',
                            wanted.name, existing.definition, wanted.name, wanted.method;
                    END IF;
                END LOOP;
            END
            $indices$;
            """);

        // Built concurrently, outside any transaction: streams can be large and the app keeps writing to it.
        migrationBuilder.Sql("CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_streams_streamer_id ON streams (streamer_id);", suppressTransaction: true);
        migrationBuilder.Sql("CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_streams_started_at ON streams (started_at);", suppressTransaction: true);
        migrationBuilder.Sql("CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_streams_title ON streams (title);", suppressTransaction: true);
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

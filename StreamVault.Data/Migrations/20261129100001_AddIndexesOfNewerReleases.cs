using Microsoft.EntityFrameworkCore.Migrations;

namespace StreamVault.Data.Migrations;

/// <summary>
/// The lookups the app's migration 004 (and later releases) index on <c>streamers</c> and <c>streams</c>, under
/// the app's names: whichever side runs first builds them, the other finds them. Built concurrently, so the app
/// keeps reading and writing while they build; an index that already exists takes no lock at all (the engine
/// does not even send its build).
/// </summary>
internal partial class AddIndexesOfNewerReleases : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);

        // A failed earlier build leaves an INVALID index that IF NOT EXISTS would keep; someone else's index of the
        // same name stops the migration instead of being replaced.
        migrationBuilder.Sql("""
            DO $prepare$
            DECLARE
                wanted record;
                existing record;
            BEGIN
                FOR wanted IN
                    SELECT * FROM (VALUES
                        ('idx_streamers_auto_record', 'streamers', false, 'btree (auto_record)'),
                            ('idx_streamers_category_name', 'streamers', false, 'btree (category_name)'),
                            ('idx_streamers_is_favorite', 'streamers', false, 'btree (is_favorite)'),
                            ('idx_streamers_is_live', 'streamers', false, 'btree (is_live)'),
                            ('idx_streamers_test_data', 'streamers', false, 'btree (is_test_data)'),
                            ('idx_streamers_twitch_id', 'streamers', false, 'btree (twitch_id)'),
                            ('idx_streamers_username', 'streamers', false, 'btree (username)'),
                            ('idx_streams_category_name', 'streams', false, 'btree (category_name)'),
                            ('idx_streams_category_recent', 'streams', false, 'btree (category_name, started_at)'),
                            ('idx_streams_ended_at', 'streams', false, 'btree (ended_at)'),
                            ('idx_streams_streamer_active', 'streams', false, 'btree (streamer_id, ended_at)'),
                            ('idx_streams_streamer_recent', 'streams', false, 'btree (streamer_id, started_at)'),
                            ('idx_streams_time_range', 'streams', false, 'btree (started_at, ended_at)')
                    ) AS w (name, table_name, is_unique, method)
                LOOP
                    SELECT i.indisvalid, i.indrelid, i.indisunique, pg_get_indexdef(i.indexrelid) AS definition
                    INTO existing
                    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                    WHERE c.relname = wanted.name AND c.relnamespace = current_schema()::regnamespace;
                    CONTINUE WHEN NOT FOUND;
                    IF NOT existing.indisvalid THEN
                        EXECUTE format('DROP INDEX %I', wanted.name);
                    ELSIF existing.indrelid <> to_regclass(wanted.table_name) OR existing.indisunique <> wanted.is_unique
                          OR existing.definition NOT LIKE ('% USING ' || wanted.method) THEN
                        RAISE EXCEPTION 'AddIndexesOfNewerReleases: index % exists with another definition: found "%", expected "CREATE %INDEX % ON % USING %"; StreamVault.Data does not replace indexes it did not create: drop or rename it, then run migrate again',
                            wanted.name, existing.definition, CASE WHEN wanted.is_unique THEN 'UNIQUE ' ELSE '' END,
                            wanted.name, wanted.table_name, wanted.method;
                    END IF;
                END LOOP;
            END
            $prepare$;
            """);

        // Concurrent builds, outside any transaction: both tables are written while the app records.
        migrationBuilder.Sql("CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_streamers_auto_record ON streamers (auto_record);", suppressTransaction: true);
        migrationBuilder.Sql("CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_streamers_category_name ON streamers (category_name);", suppressTransaction: true);
        migrationBuilder.Sql("CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_streamers_is_favorite ON streamers (is_favorite);", suppressTransaction: true);
        migrationBuilder.Sql("CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_streamers_is_live ON streamers (is_live);", suppressTransaction: true);
        migrationBuilder.Sql("CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_streamers_test_data ON streamers (is_test_data);", suppressTransaction: true);
        migrationBuilder.Sql("CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_streamers_twitch_id ON streamers (twitch_id);", suppressTransaction: true);
        migrationBuilder.Sql("CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_streamers_username ON streamers (username);", suppressTransaction: true);
        migrationBuilder.Sql("CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_streams_category_name ON streams (category_name);", suppressTransaction: true);
        migrationBuilder.Sql("CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_streams_category_recent ON streams (category_name, started_at);", suppressTransaction: true);
        migrationBuilder.Sql("CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_streams_ended_at ON streams (ended_at);", suppressTransaction: true);
        migrationBuilder.Sql("CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_streams_streamer_active ON streams (streamer_id, ended_at);", suppressTransaction: true);
        migrationBuilder.Sql("CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_streams_streamer_recent ON streams (streamer_id, started_at);", suppressTransaction: true);
        migrationBuilder.Sql("CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_streams_time_range ON streams (started_at, ended_at);", suppressTransaction: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        // Nothing to undo: the app's releases create these same indexes and query with them; reverting leaves them.
    }
}

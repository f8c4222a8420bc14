using Microsoft.EntityFrameworkCore.Migrations;

namespace StreamVault.Data.Migrations;

/// <summary>
/// The backfill of the app's migration 023 (<c>023_add_last_stream_info.py</c>), where 023 never ran. On a release
/// older than 023 (before 2025-11), <c>AddColumnsOfNewerReleases</c> adds <c>streamers.last_stream_title</c>,
/// <c>last_stream_category_name</c>, <c>last_stream_viewer_count</c> and <c>last_stream_ended_at</c>; the app's 023 then
/// finds all four and skips its backfill, so they would stay NULL. This fills them as 023 does.
/// <para>
/// Rows touched: only where the app's <c>migrations</c> ledger (any of its shapes: <c>script_name</c> or <c>name</c>, with
/// or without <c>success</c>) has no successful row for <c>023_add_last_stream_info.py</c>, or there is no such ledger;
/// there, only streamers whose four columns are all NULL and that have a stream with <c>ended_at</c> set. Each gets the
/// title, category name and end time of its stream with the greatest <c>ended_at</c> (NULL title or category copied as
/// NULL; on equal <c>ended_at</c> the higher stream id, where 023 has no tie-breaker); <c>last_stream_viewer_count</c>
/// stays NULL, as 023 leaves it. Every other row, and every database where 023 ran, is left as it is.
/// </para>
/// </summary>
internal partial class BackfillLastStreamInfo : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);

        // Where the app's ledger says 023 ran, it did its own backfill (or found the app's values): nothing to do. Otherwise
        // only streamers whose four columns are all NULL are filled, so a value the running app wrote is never replaced. One
        // indexed lookup per streamer (idx_streams_streamer_active); checked first, so a database with nothing to fill takes
        // no lock.
        migrationBuilder.Sql("""
            DO $backfill$
            DECLARE
                ledger_column text;
                ran boolean := false;
            BEGIN
                IF to_regclass('migrations') IS NOT NULL THEN
                    SELECT attname INTO ledger_column
                    FROM pg_attribute
                    WHERE attrelid = to_regclass('migrations') AND attname IN ('script_name', 'name') AND NOT attisdropped
                    ORDER BY attname = 'script_name' DESC
                    LIMIT 1;
                    IF ledger_column IS NOT NULL THEN
                        EXECUTE format('SELECT EXISTS (SELECT 1 FROM migrations WHERE %I = %L%s)', ledger_column, '023_add_last_stream_info.py',
                                       CASE WHEN EXISTS (SELECT 1 FROM pg_attribute
                                                         WHERE attrelid = to_regclass('migrations') AND attname = 'success' AND NOT attisdropped)
                                            THEN ' AND success IS TRUE' ELSE '' END)
                            INTO ran;
                    END IF;
                END IF;

                IF ran THEN
                    RETURN;
                END IF;

                IF EXISTS (SELECT 1 FROM streamers s
                           WHERE s.last_stream_title IS NULL AND s.last_stream_category_name IS NULL
                             AND s.last_stream_viewer_count IS NULL AND s.last_stream_ended_at IS NULL
                             AND EXISTS (SELECT 1 FROM streams t WHERE t.streamer_id = s.id AND t.ended_at IS NOT NULL)) THEN
                    UPDATE streamers s
                    SET last_stream_title = latest.title,
                        last_stream_category_name = latest.category_name,
                        last_stream_ended_at = latest.ended_at
                    FROM streamers c
                    CROSS JOIN LATERAL (SELECT t.title, t.category_name, t.ended_at
                                        FROM streams t
                                        WHERE t.streamer_id = c.id AND t.ended_at IS NOT NULL
                                        ORDER BY t.ended_at DESC, t.id DESC
                                        LIMIT 1) AS latest
                    WHERE s.id = c.id
                      AND s.last_stream_title IS NULL AND s.last_stream_category_name IS NULL
                      AND s.last_stream_viewer_count IS NULL AND s.last_stream_ended_at IS NULL;
                END IF;
            END
            $backfill$;
            """);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        // Nothing to undo: the values are the ones the app's own 023 would have written, and the app keeps them current.
    }
}

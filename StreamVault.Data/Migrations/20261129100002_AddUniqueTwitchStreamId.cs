using Microsoft.EntityFrameworkCore.Migrations;

namespace StreamVault.Data.Migrations;

/// <summary>
/// <c>ix_streams_twitch_stream_id</c> UNIQUE, as the app's migration 039 made it, so one Twitch stream is recorded
/// once. Rows are never deleted or merged here: where duplicates exist this migration stops, naming them, and
/// succeeds on the next run once they are gone. Earlier migrations stay applied either way.
/// </summary>
internal partial class AddUniqueTwitchStreamId : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);

        // A leftover INVALID build is dropped; a non-unique index of this name (older create_all) is the app's to replace.
        migrationBuilder.Sql("""
            DO $prepare$
            DECLARE
                wanted record;
                existing record;
            BEGIN
                FOR wanted IN
                    SELECT * FROM (VALUES
                        ('ix_streams_twitch_stream_id', 'streams', true, 'btree (twitch_stream_id)')
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
                        RAISE EXCEPTION 'AddUniqueTwitchStreamId: index % exists with another definition: found "%", expected "CREATE %INDEX % ON % USING %"; StreamVault.Data does not replace indexes it did not create: drop or rename it, then run migrate again',
                            wanted.name, existing.definition, CASE WHEN wanted.is_unique THEN 'UNIQUE ' ELSE '' END,
                            wanted.name, wanted.table_name, wanted.method;
                    END IF;
                END LOOP;
            END
            $prepare$;
            """);

        // Which rows to keep is the operator's decision (the app's 039 merges them into one): name the duplicates and
        // stop before the build, instead of leaving an INVALID index behind. Skipped when the index already exists.
        migrationBuilder.Sql("""
            DO $duplicates$
            DECLARE
                duplicated_values bigint;
                listed text;
            BEGIN
                IF to_regclass('ix_streams_twitch_stream_id') IS NOT NULL THEN
                    RETURN;
                END IF;

                SELECT count(*), string_agg(format('%L (streams %s)', twitch_stream_id, ids), '; ' ORDER BY twitch_stream_id)
                       FILTER (WHERE position <= 10)
                INTO duplicated_values, listed
                FROM (
                    SELECT twitch_stream_id, string_agg(id::text, ', ' ORDER BY id) AS ids,
                           row_number() OVER (ORDER BY twitch_stream_id) AS position
                    FROM streams
                    WHERE twitch_stream_id IS NOT NULL
                    GROUP BY twitch_stream_id
                    HAVING count(*) > 1
                ) AS duplicates;

                IF duplicated_values > 0 THEN
                    RAISE EXCEPTION 'cannot make streams.twitch_stream_id unique: % value(s) belong to more than one stream: %; keep one stream per value (merge or delete the others, or set their twitch_stream_id to NULL), then run migrate again',
                        duplicated_values, listed || CASE WHEN duplicated_values > 10 THEN format(' and %s more', duplicated_values - 10) ELSE '' END;
                END IF;
            END
            $duplicates$;
            """);

        // Built concurrently, outside any transaction: streams is written while the app records.
        migrationBuilder.Sql(
            "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ix_streams_twitch_stream_id ON streams (twitch_stream_id);",
            suppressTransaction: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        // Nothing to undo: the newest app relies on this index to record each stream once; reverting leaves it.
    }
}

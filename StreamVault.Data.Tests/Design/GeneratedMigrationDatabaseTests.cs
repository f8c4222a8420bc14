using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Npgsql;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Design;

/// <summary>
/// The generated SQL of issue #19's four changes (a column, an index on streams, a table with a foreign key to streams, a
/// check constraint) against real databases: it applies to a migrated June 2025 database without changing a row, a second
/// run is a no-op (no DDL at all), a database that already has the objects is adopted without DDL, and a table that exists
/// with parts missing is completed.
/// </summary>
public sealed class GeneratedMigrationDatabaseTests
{
    private static readonly ModelChange Change = ModelChanges.Issue19;

    /// <summary>What a newer release (or a hand) might have made already: the same objects, under the same names.</summary>
    internal const string ObjectsMadeByHand = """
        ALTER TABLE streamers ADD COLUMN notes character varying;
        CREATE INDEX ix_streams_category_name_started_at ON streams (category_name, started_at);
        ALTER TABLE streams ADD CONSTRAINT ck_streams_episode_number_positive CHECK (episode_number IS NULL OR episode_number > 0);
        CREATE TABLE stream_chapters (
            id serial NOT NULL,
            stream_id integer NOT NULL,
            title character varying NOT NULL,
            starts_at_seconds integer NOT NULL,
            created_at timestamp with time zone DEFAULT now(),
            CONSTRAINT stream_chapters_pkey PRIMARY KEY (id),
            CONSTRAINT stream_chapters_stream_id_title_key UNIQUE (stream_id, title),
            CONSTRAINT ck_stream_chapters_starts_at_seconds CHECK (starts_at_seconds >= 0),
            CONSTRAINT stream_chapters_stream_id_fkey FOREIGN KEY (stream_id) REFERENCES streams (id) ON DELETE CASCADE
        );
        CREATE INDEX idx_stream_chapters_stream_id ON stream_chapters (stream_id);
        CREATE UNIQUE INDEX ux_stream_chapters_stream_start ON stream_chapters (stream_id, starts_at_seconds);
        INSERT INTO stream_chapters (stream_id, title, starts_at_seconds) SELECT id, 'Intro', 0 FROM streams;
        """;

    [Fact]
    public async Task The_changes_apply_to_a_migrated_june_2025_database_without_changing_a_row_and_a_second_run_issues_no_ddl()
    {
        var migration = CompiledMigration.Compile(GeneratorHarness.Generate(Change.Name, Change));
        await using var db = await StartingStates.CreateMigratedAsync(StartingStates.June2025);
        var columnsBefore = await TableDigest.ColumnsAsync(db.ConnectionString, await TableDigest.ListTablesAsync(db.ConnectionString));
        var rowsBefore = await TableDigest.CaptureAsync(db.ConnectionString, columnsBefore);

        await GeneratedMigrationRunner.RunAsync(db.ConnectionString, Change, migration, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(rowsBefore, await TableDigest.CaptureAsync(db.ConnectionString, columnsBefore));
        Assert.Equal(
            [
                "ck_stream_chapters_starts_at_seconds valid", "ck_streams_episode_number_positive valid", "idx_stream_chapters_stream_id valid",
                "ix_streams_category_name_started_at valid", "stream_chapters_pkey valid", "stream_chapters_stream_id_fkey valid",
                "stream_chapters_stream_id_title_key valid", "streamers.notes character varying", "ux_stream_chapters_stream_start valid",
            ],
            await ObjectsAsync(db.ConnectionString));

        var everything = await DigestAsync(db.ConnectionString);
        await using (var ddl = await DdlRecorder.StartAsync(db.ConnectionString))
        {
            await GeneratedMigrationRunner.RunAsync(db.ConnectionString, Change, migration, cancellationToken: TestContext.Current.CancellationToken);

            Assert.Empty(await ddl.CommandsAsync());
        }

        Assert.Equal(everything, await DigestAsync(db.ConnectionString));
    }

    [Fact]
    public async Task A_database_that_already_has_the_objects_is_adopted_without_ddl_or_changed_rows()
    {
        var migration = CompiledMigration.Compile(GeneratorHarness.Generate(Change.Name, Change));
        await using var db = await StartingStates.CreateMigratedAsync(StartingStates.June2025);
        await db.ExecuteSqlAsync(ObjectsMadeByHand);
        var before = await DigestAsync(db.ConnectionString);
        var objects = await ObjectsAsync(db.ConnectionString);

        await using (var ddl = await DdlRecorder.StartAsync(db.ConnectionString))
        {
            await GeneratedMigrationRunner.RunAsync(db.ConnectionString, Change, migration, cancellationToken: TestContext.Current.CancellationToken);

            Assert.Empty(await ddl.CommandsAsync());
        }

        Assert.Equal(before, await DigestAsync(db.ConnectionString));
        Assert.Equal(objects, await ObjectsAsync(db.ConnectionString));
    }

    [Fact]
    public async Task A_table_that_exists_with_parts_missing_is_completed_and_its_rows_are_kept()
    {
        var migration = CompiledMigration.Compile(GeneratorHarness.Generate(Change.Name, Change));
        await using var db = await StartingStates.CreateMigratedAsync(StartingStates.June2025);
        await db.ExecuteSqlAsync("""
            CREATE TABLE stream_chapters (
                id serial NOT NULL,
                stream_id integer NOT NULL,
                title character varying NOT NULL,
                starts_at_seconds integer NOT NULL,
                CONSTRAINT stream_chapters_pkey PRIMARY KEY (id),
                CONSTRAINT stream_chapters_stream_id_title_key UNIQUE (stream_id, title)
            );
            INSERT INTO stream_chapters (stream_id, title, starts_at_seconds) SELECT id, 'Intro', 0 FROM streams;
            """);
        var columnsBefore = await TableDigest.ColumnsAsync(db.ConnectionString, await TableDigest.ListTablesAsync(db.ConnectionString));
        var rowsBefore = await TableDigest.CaptureAsync(db.ConnectionString, columnsBefore);

        await GeneratedMigrationRunner.RunAsync(db.ConnectionString, Change, migration, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(rowsBefore, await TableDigest.CaptureAsync(db.ConnectionString, columnsBefore));
        Assert.Contains("ck_stream_chapters_starts_at_seconds valid", await ObjectsAsync(db.ConnectionString));
        Assert.Contains("stream_chapters_stream_id_fkey valid", await ObjectsAsync(db.ConnectionString));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(created_at) FROM stream_chapters"));
        Assert.Equal("now()", await db.ScalarAsync<string>(
            "SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum "
            + "WHERE d.adrelid = 'stream_chapters'::regclass AND a.attname = 'created_at'"));
    }

    [Fact]
    public async Task A_table_that_exists_with_rows_but_without_its_primary_key_stops_the_run_with_what_to_do()
    {
        var migration = CompiledMigration.Compile(GeneratorHarness.Generate(Change.Name, Change));
        await using var db = await StartingStates.CreateMigratedAsync(StartingStates.June2025);
        await db.ExecuteSqlAsync("""
            CREATE TABLE stream_chapters (id serial NOT NULL, stream_id integer NOT NULL, title character varying NOT NULL, starts_at_seconds integer NOT NULL);
            INSERT INTO stream_chapters (stream_id, title, starts_at_seconds) SELECT id, 'Intro', 0 FROM streams;
            """);

        var failure = await Assert.ThrowsAsync<PostgresException>(() => GeneratedMigrationRunner.RunAsync(db.ConnectionString, Change, migration, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(
            "AddChaptersNotesAndChecks: table stream_chapters exists without stream_chapters_pkey, whose index cannot be built while the table "
            + "holds rows without locking out writers; build it by hand (CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT … USING INDEX), "
            + "then run migrate again",
            failure.MessageText);
        Assert.Null(await db.ScalarAsync<string>("SELECT attname::text FROM pg_attribute WHERE attrelid = 'streamers'::regclass AND attname = 'notes'"));
    }

    [Fact]
    public async Task Down_refuses_while_the_new_table_holds_rows_and_reverts_every_object_once_it_is_empty()
    {
        var migration = CompiledMigration.Compile(GeneratorHarness.Generate(Change.Name, Change));
        await using var db = await StartingStates.CreateMigratedAsync(StartingStates.June2025);
        var columnsBefore = await TableDigest.ColumnsAsync(db.ConnectionString, await TableDigest.ListTablesAsync(db.ConnectionString));
        var rowsBefore = await TableDigest.CaptureAsync(db.ConnectionString, columnsBefore);
        await GeneratedMigrationRunner.RunAsync(db.ConnectionString, Change, migration, cancellationToken: TestContext.Current.CancellationToken);
        await db.ExecuteSqlAsync("INSERT INTO stream_chapters (stream_id, title, starts_at_seconds) SELECT min(id), 'Intro', 0 FROM streams");

        var refused = await Assert.ThrowsAsync<PostgresException>(() => GeneratedMigrationRunner.RunAsync(db.ConnectionString, Change, migration, up: false, TestContext.Current.CancellationToken));
        Assert.Equal("refusing to revert AddChaptersNotesAndChecks: table stream_chapters holds rows; back it up and empty it first", refused.MessageText);

        await db.ExecuteSqlAsync("DELETE FROM stream_chapters");
        await GeneratedMigrationRunner.RunAsync(db.ConnectionString, Change, migration, up: false, TestContext.Current.CancellationToken);

        Assert.Empty(await ObjectsAsync(db.ConnectionString));

        // The engine filed the refused revert as a failure in the ledger, as it does for every failed migration; the data is as it was.
        var rowsAfter = await TableDigest.CaptureAsync(db.ConnectionString, columnsBefore);
        Assert.Equal(rowsBefore.Where(t => t.Key != "applied_migrations"), rowsAfter.Where(t => t.Key != "applied_migrations"));
    }

    [Fact]
    public async Task An_index_of_the_same_columns_under_another_name_is_named_in_a_notice_when_the_migration_runs()
    {
        var ct = TestContext.Current.CancellationToken;
        var migration = CompiledMigration.Compile(GeneratorHarness.Generate(Change.Name, Change));
        var check = migration.UpOperations.OfType<SqlOperation>().Single(o => o.Sql.Contains("$duplicate$", StringComparison.Ordinal));
        await using var db = await StartingStates.CreateMigratedAsync(StartingStates.June2025);
        var notices = new List<string>();
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        connection.Notice += (_, e) => notices.Add(e.Notice.MessageText);
        await connection.OpenAsync(ct);

        await using (var command = new NpgsqlCommand(check.Sql, connection))
        {
            await command.ExecuteNonQueryAsync(ct);
        }

        Assert.Equal(
            [
                "AddChaptersNotesAndChecks: index ix_streams_category_name_started_at on streams (category_name, started_at) duplicates "
                + "idx_streams_category_recent, an index of the same columns; keep one of them",
            ],
            notices);
    }

    /// <summary>Every table's rows, over all its columns (the DDL recorder's own table left out).</summary>
    private static async Task<IReadOnlyDictionary<string, string>> DigestAsync(string connectionString)
        => await TableDigest.CaptureAsync(
            connectionString, (await TableDigest.ListTablesAsync(connectionString)).Where(t => t != DdlRecorder.LogTable));

    /// <summary>The objects the four changes make, as present: constraints and indexes with their validity, the column with its type.</summary>
    private static async Task<List<string>> ObjectsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(
            """
            SELECT o FROM (
            SELECT conname || CASE WHEN convalidated THEN ' valid' ELSE ' not valid' END FROM pg_constraint
            WHERE conname IN ('ck_stream_chapters_starts_at_seconds', 'ck_streams_episode_number_positive', 'stream_chapters_pkey',
                              'stream_chapters_stream_id_fkey', 'stream_chapters_stream_id_title_key')
            UNION ALL
            SELECT c.relname || CASE WHEN i.indisvalid THEN ' valid' ELSE ' invalid' END FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
            WHERE c.relname IN ('ix_streams_category_name_started_at', 'idx_stream_chapters_stream_id', 'ux_stream_chapters_stream_start')
            UNION ALL
            SELECT 'streamers.notes ' || format_type(atttypid, atttypmod) FROM pg_attribute
            WHERE attrelid = 'streamers'::regclass AND attname = 'notes' AND NOT attisdropped
            ) AS objects (o)
            ORDER BY o COLLATE "C"
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var objects = new List<string>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            objects.Add(reader.GetString(0));
        }

        return objects;
    }
}

using StreamVault.Data.Migrations;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Migrations;

/// <summary>
/// The migrations adopt every database the Python app left behind, with every row untouched and every table
/// outside the model left alone (what each release's objects become: <see cref="ReleaseAdoptionTests"/>).
/// </summary>
public sealed class MigrationTests
{
    public static TheoryData<string> LegacyStates => new(StartingStates.Legacy);

    private static readonly string[] Ledgers = ["__EFMigrationsHistory", "applied_migrations"];

    [Fact]
    public async Task Empty_database_gets_all_migrations_and_a_second_run_changes_nothing()
    {
        await using var db = await StartingStates.CreateAsync(StartingStates.Empty);

        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString);
        var history = await LedgerReader.HistoryAsync(db.ConnectionString);
        var ledger = await LedgerReader.RowsAsync(db.ConnectionString);
        var shape = await SchemaFingerprint.CaptureAsync(db.ConnectionString, SchemaFingerprint.ModelTables);
        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString);

        Assert.Equal(Infrastructure.Migrations.All(), history);
        Assert.Equal(history, await LedgerReader.HistoryAsync(db.ConnectionString));
        Assert.Equal(ledger, await LedgerReader.RowsAsync(db.ConnectionString));
        Assert.Equal(shape, await SchemaFingerprint.CaptureAsync(db.ConnectionString, SchemaFingerprint.ModelTables));
        Assert.DoesNotContain("(absent)", shape, StringComparison.Ordinal);
        // The model's tables and the two ledgers, nothing else.
        Assert.Equal(
            Ledgers.Concat(SchemaFingerprint.ModelTables).Order(StringComparer.Ordinal),
            (await TableDigest.ListTablesAsync(db.ConnectionString)).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("  column id integer not null default nextval('streamers_id_seq'::regclass)")]
    [InlineData("  column twitch_id character varying not null")]
    [InlineData("  constraint streamers_pkey p PRIMARY KEY (id)")]
    [InlineData("  constraint streamers_twitch_id_key u UNIQUE (twitch_id)")]
    [InlineData("  index ix_streamers_id CREATE INDEX ix_streamers_id ON streamers USING btree (id)")]
    [InlineData("  column recording_path character varying null")]
    [InlineData("  constraint streams_streamer_id_fkey f FOREIGN KEY (streamer_id) REFERENCES streamers(id) ON DELETE CASCADE")]
    [InlineData("  index idx_streams_title CREATE INDEX idx_streams_title ON streams USING btree (title)")]
    [InlineData("  column https_proxy character varying null")]
    [InlineData("  column is_active boolean not null default true")]
    [InlineData("  column is_test_data boolean not null default false")]
    [InlineData("  column is_live boolean null default false")]
    [InlineData("  column twitch_token_expires_at timestamp without time zone null")]
    [InlineData("  column supported_codecs character varying not null default 'h264,h265'::character varying")]
    [InlineData("  column last_used timestamp with time zone null default CURRENT_TIMESTAMP")]
    [InlineData("  column created_at timestamp with time zone null default now()")]
    [InlineData("  index ix_streams_twitch_stream_id CREATE UNIQUE INDEX ix_streams_twitch_stream_id ON streams USING btree (twitch_stream_id)")]
    [InlineData("  index idx_streams_streamer_recent CREATE INDEX idx_streams_streamer_recent ON streams USING btree (streamer_id, started_at)")]
    [InlineData("  column subscription_data text not null")]
    [InlineData("  constraint push_subscriptions_endpoint_key u UNIQUE (endpoint)")]
    [InlineData("  index ix_push_subscriptions_is_active CREATE INDEX ix_push_subscriptions_is_active ON push_subscriptions USING btree (is_active)")]
    [InlineData("  column value text null")]
    [InlineData("  index idx_system_config_key CREATE INDEX idx_system_config_key ON system_config USING btree (key)")]
    [InlineData("  sequence system_config_id_seq integer")]
    public async Task Empty_database_gets_the_legacy_names_types_and_serial_keys(string line)
    {
        var shape = (await Infrastructure.Migrations.ExpectedFingerprintAsync()).Split('\n').Select(l => l.TrimEnd('\r'));

        Assert.Contains(line, shape);
    }

    [Theory]
    [MemberData(nameof(LegacyStates))]
    public async Task Adopting_a_legacy_database_keeps_every_row_byte_for_byte(string state)
    {
        await using var db = await StartingStates.CreateAsync(state);
        var columnsBefore = await TableDigest.ColumnsAsync(db.ConnectionString, await TableDigest.ListModelTablesAsync(db.ConnectionString));
        var before = await TableDigest.CaptureAsync(db.ConnectionString, columnsBefore);

        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString);

        Assert.Equal(before, await TableDigest.CaptureAsync(db.ConnectionString, columnsBefore));
        Assert.Contains(before.Values, digest => !digest.StartsWith("0 rows", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(LegacyStates))]
    public async Task Adopting_a_legacy_database_leaves_tables_outside_the_model_untouched(string state)
    {
        await using var db = await StartingStates.CreateAsync(state);
        // An operator's own table, with rows, an index and a key to a model table, beside whatever the app left outside the
        // model (its migrations ledger).
        await db.ExecuteSqlAsync("""
            CREATE TABLE operator_notes (id serial PRIMARY KEY, streamer_id integer REFERENCES streamers (id), note varchar(40) NOT NULL);
            CREATE INDEX operator_notes_note ON operator_notes (note);
            INSERT INTO operator_notes (note) VALUES ('backup taken'), ('keep me');
            """);
        var outside = (await TableDigest.ListTablesOutsideModelAsync(db.ConnectionString))
            .Where(t => t != "applied_migrations")
            .ToList();
        var rowsBefore = await TableDigest.CaptureAsync(db.ConnectionString, outside);
        var shapeBefore = await SchemaFingerprint.CaptureAsync(db.ConnectionString, outside);

        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString);

        Assert.Contains("operator_notes", outside);
        Assert.Equal(rowsBefore, await TableDigest.CaptureAsync(db.ConnectionString, outside));
        Assert.Equal(shapeBefore, await SchemaFingerprint.CaptureAsync(db.ConnectionString, outside));
    }

    [Fact]
    public async Task Reverting_everything_on_a_fresh_database_removes_our_tables_and_reapplying_restores_them()
    {
        await using var db = await StartingStates.CreateAsync(StartingStates.Empty);
        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString);

        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString, "0");

        Assert.Equal(
            ["__EFMigrationsHistory", "applied_migrations"],
            (await TableDigest.ListTablesAsync(db.ConnectionString)).Order(StringComparer.Ordinal));
        Assert.Empty(await LedgerReader.HistoryAsync(db.ConnectionString));
        Assert.Empty(await LedgerReader.RowsAsync(db.ConnectionString));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname LIKE 'idx_%' OR relname LIKE 'ix_%'"));

        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString);

        Assert.Equal(
            await Infrastructure.Migrations.ExpectedFingerprintAsync(),
            await SchemaFingerprint.CaptureAsync(db.ConnectionString, SchemaFingerprint.ModelTables));
    }

    [Fact]
    public async Task Reverting_an_adopted_database_with_rows_refuses_and_leaves_it_intact()
    {
        await using var db = await StartingStates.CreateAsync(StartingStates.June2025);
        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString);
        var tables = await TableDigest.ListTablesAsync(db.ConnectionString);
        var data = tables.Where(t => t is not ("__EFMigrationsHistory" or "applied_migrations")).ToList();
        var rowsBefore = await TableDigest.CaptureAsync(db.ConnectionString, data);
        var shapeBefore = await SchemaFingerprint.CaptureAsync(db.ConnectionString, tables);

        var refusal = await Assert.ThrowsAsync<RevertRefusedException>(() => Infrastructure.Migrations.MigrateAsync(db.ConnectionString, "0"));

        // Every blocker, exactly, is PlannedRevertTests' concern; here, that the refusal leaves everything as it was.
        Assert.StartsWith("revert to 0 refused, nothing reverted: table ", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("; table system_config holds 4 rows (AddSystemConfig); ", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(rowsBefore, await TableDigest.CaptureAsync(db.ConnectionString, data));
        Assert.Equal(shapeBefore, await SchemaFingerprint.CaptureAsync(db.ConnectionString, tables));
    }

    [Fact]
    public async Task Reverting_a_column_that_holds_values_refuses()
    {
        await using var db = await StartingStates.CreateAsync(StartingStates.Empty);
        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString, "20250609160908_AddRecordingPathToStreams");
        await db.ExecuteSqlAsync("""
            INSERT INTO streamers (twitch_id, username) VALUES ('42', 'kept');
            INSERT INTO streams (streamer_id, recording_path) SELECT id, '/recordings/kept.mp4' FROM streamers;
            """);

        var refusal = await Assert.ThrowsAsync<RevertRefusedException>(
            () => Infrastructure.Migrations.MigrateAsync(db.ConnectionString, "20250522000000_AddStreamIndices"));

        Assert.Equal(
            "revert to 20250522000000_AddStreamIndices refused, nothing reverted: column streams.recording_path holds values in 1 row (AddRecordingPathToStreams)",
            refusal.Message);
        Assert.Equal("/recordings/kept.mp4", await db.ScalarAsync<string>("SELECT recording_path FROM streams"));
    }
}

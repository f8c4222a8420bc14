using Npgsql;
using StreamVault.Data.Operations;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Migrations;

/// <summary>
/// Every starting state, each release's database among them, ends a run with the newest release's 22 tables (issue #20):
/// every table's catalog equals the newest release's and a database we create from empty, up to the documented
/// widenings (<see cref="CatalogComparison"/>); rows are byte-identical over the columns they had; the second run issues
/// no DDL; validate finds no error. Where the newest schema needs what a release's rows cannot give, the run stops with
/// one line, the operator's fix is applied as docs/releases.md says, and the rerun converges.
/// </summary>
public sealed class WholeDatabaseTests
{
    public static TheoryData<string> EveryState => new(StartingStates.Everything);

    private static readonly string[] Ledgers = ["__EFMigrationsHistory", "applied_migrations"];

    /// <summary>The released <c>AddUniqueTwitchStreamId</c>'s refusal on every release fixture before 2026-07 (the app's 039 dedups).</summary>
    private const string DuplicateTwitchStreamIds =
        "cannot make streams.twitch_stream_id unique: 4 value(s) belong to more than one stream: '' (streams 15, 217); '42000000001' "
        + "(streams 210, 211); '42000000002' (streams 212, 213, 214); '42000000003' (streams 215, 216); keep one stream per value "
        + "(merge or delete the others, or set their twitch_stream_id to NULL), then run migrate again";

    /// <summary>The operator keeps each value on its lowest stream id and clears it on the others, as that refusal suggests.</summary>
    private const string KeepOneStreamPerTwitchId = """
        UPDATE streams s SET twitch_stream_id = NULL
        WHERE EXISTS (SELECT 1 FROM streams o WHERE o.twitch_stream_id = s.twitch_stream_id AND o.id < s.id);
        """;

    /// <summary>June 2025 made these per-streamer and per-stream rows without UNIQUE; the 2025-06 fixture has a second row each.</summary>
    private const string DuplicateSettingsRows =
        "cannot make notification_settings.streamer_id unique (notification_settings_streamer_id_key): 1 value(s) belong to more than one "
        + "row: 1 (rows 1, 9); keep one row per value (delete the others); cannot make streamer_recording_settings.streamer_id unique "
        + "(streamer_recording_settings_streamer_id_key): 1 value(s) belong to more than one row: 1 (rows 1, 7); keep one row per value "
        + "(delete the others); cannot make stream_metadata.stream_id unique (stream_metadata_stream_id_key): 1 value(s) belong to more "
        + "than one row: 1 (rows 1, 60); keep one row per value (delete the others), then run migrate again";

    private const string KeepFirstSettingsRow = """
        DELETE FROM notification_settings a USING notification_settings b WHERE a.streamer_id = b.streamer_id AND a.id > b.id;
        DELETE FROM streamer_recording_settings a USING streamer_recording_settings b WHERE a.streamer_id = b.streamer_id AND a.id > b.id;
        DELETE FROM stream_metadata a USING stream_metadata b WHERE a.stream_id = b.stream_id AND a.id > b.id;
        """;

    /// <summary>
    /// v1.0.42/43's push_subscriptions (p256dh and auth, no subscription_data or is_active) stops the released
    /// AddPushSubscriptions, which cannot change; its index on is_active is where PostgreSQL notices.
    /// </summary>
    private const string V1042PushSubscriptions = "column \"is_active\" does not exist";

    private const string CompleteV1042PushSubscriptions = """
        ALTER TABLE push_subscriptions ADD COLUMN subscription_data text, ADD COLUMN is_active boolean NOT NULL DEFAULT true,
            ADD COLUMN updated_at timestamptz DEFAULT now();
        UPDATE push_subscriptions
        SET subscription_data = json_build_object('endpoint', endpoint, 'keys', json_build_object('p256dh', p256dh, 'auth', auth))::text;
        ALTER TABLE push_subscriptions ALTER COLUMN subscription_data SET NOT NULL;
        """;

    private const string V1042RowsWithoutNewestColumns =
        "cannot add users.password (NOT NULL, no default): users holds 2 row(s) that would have no value (rows 1, 3) (v1.0.42/43 keeps "
        + "the hash in password_hash: add the column and copy it); add the column with their values yourself, or delete those rows; "
        + "cannot add sessions.token (NOT NULL, no default): sessions holds 2 row(s) that would have no value (rows 1, 2) (v1.0.42/43 "
        + "keeps it in session_token; they are logins: deleting them signs their users out); add the column with their values "
        + "yourself, or delete those rows; cannot add categories.twitch_id (NOT NULL, no default): categories holds 4 row(s) that would "
        + "have no value (rows 1, 2, 4, 5) (v1.0.42/43 categories have no Twitch id; the app adds categories again as it sees them); "
        + "add the column with their values yourself, or delete those rows, then run migrate again";

    private const string CompleteV1042Rows = """
        ALTER TABLE users ADD COLUMN password character varying;
        UPDATE users SET password = password_hash;
        ALTER TABLE users ALTER COLUMN password SET NOT NULL;
        DELETE FROM sessions;
        DELETE FROM categories;
        """;

    /// <summary>Each refusal a state's first runs meet, in order, with the fix an operator applies before running again.</summary>
    private static (string Refusal, string Fix)[] OperatorSteps(string state)
    {
        if (state == StartingStates.ReleaseV1042)
        {
            return [(V1042PushSubscriptions, CompleteV1042PushSubscriptions), (DuplicateTwitchStreamIds, KeepOneStreamPerTwitchId),
                    (V1042RowsWithoutNewestColumns, CompleteV1042Rows)];
        }

        if (state == StartingStates.Release("2025-06"))
        {
            return [(DuplicateTwitchStreamIds, KeepOneStreamPerTwitchId), (DuplicateSettingsRows, KeepFirstSettingsRow)];
        }

        // Every release before 2026-07 allowed duplicate Twitch stream ids; 2026-07's migration 039 made them unique.
        return StartingStates.Releases.Contains(state) && string.CompareOrdinal(state, StartingStates.Release("2026-07")) < 0
            ? [(DuplicateTwitchStreamIds, KeepOneStreamPerTwitchId)]
            : [];
    }

    private static readonly Lazy<Task<string>> NewestRelease = new(async () =>
    {
        await using var newest = await StartingStates.CreateAsync(StartingStates.Release("2026-08"));
        return await SchemaFingerprint.CaptureAsync(newest.ConnectionString, SchemaFingerprint.ModelTables);
    });

    [Theory]
    [MemberData(nameof(EveryState))]
    public async Task Every_state_ends_with_the_newest_release_s_tables_and_its_rows_unchanged(string state)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await StartingStates.CreateAsync(state);
        var cs = db.ConnectionString;
        var before = await SchemaFingerprint.CaptureAsync(cs, SchemaFingerprint.ModelTables);
        var columns = await TableDigest.ColumnsAsync(cs, (await TableDigest.ListTablesAsync(cs)).Except(Ledgers, StringComparer.Ordinal));
        var outside = await TableDigest.ListTablesOutsideModelAsync(cs);
        var outsideShape = await SchemaFingerprint.CaptureAsync(cs, [.. outside.Except(Ledgers, StringComparer.Ordinal)]);
        var rows = await TableDigest.CaptureAsync(cs, columns);

        foreach (var (refusal, fix) in OperatorSteps(state))
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => Infrastructure.Migrations.MigrateAsync(cs));
            Assert.Equal(refusal, refused.MessageText);
            Assert.Equal(rows, await TableDigest.CaptureAsync(cs, columns));
            await db.ExecuteSqlAsync(fix);
            rows = await TableDigest.CaptureAsync(cs, columns);
        }

        await Infrastructure.Migrations.MigrateAsync(cs);

        Assert.Equal(Infrastructure.Migrations.All(), await LedgerReader.HistoryAsync(cs));
        Assert.Equal(rows, await TableDigest.CaptureAsync(cs, columns));
        Assert.Equal(outsideShape, await SchemaFingerprint.CaptureAsync(cs, [.. outside.Except(Ledgers, StringComparer.Ordinal)]));
        var after = await SchemaFingerprint.CaptureAsync(cs, SchemaFingerprint.ModelTables);
        var model = await Infrastructure.Migrations.ExpectedFingerprintAsync();
        var differences = CatalogComparison.Differences(await NewestRelease.Value, after, before, model)
            .Select(d => "newest release: " + d)
            .Concat(CatalogComparison.Differences(model, after, before, model).Select(d => "migrated from empty: " + d))
            .ToList();
        Assert.True(differences.Count == 0, string.Join('\n', differences));

        await using (var recorder = await DdlRecorder.StartAsync(cs))
        {
            await Infrastructure.Migrations.MigrateAsync(cs);
            Assert.Empty(await recorder.CommandsAsync());
        }

        var report = await SchemaValidator.ValidateAsync(cs, cancellationToken: ct);
        Assert.Empty(report.Errors.Select(e => e.Message));
        Assert.Equal(Infrastructure.Migrations.All().Count, report.MigrationsTracked);
    }

    [Fact]
    public async Task A_foreign_key_over_orphans_stops_the_run_in_one_line_until_they_are_gone()
    {
        await using var db = await StartingStates.CreateAsync(StartingStates.Release("2026-08"));
        var cs = db.ConnectionString;
        // A hand-migrated variant: the key dropped, rows left pointing at streams that are gone.
        await db.ExecuteSqlAsync("""
            ALTER TABLE stream_metadata DROP CONSTRAINT stream_metadata_stream_id_fkey;
            INSERT INTO stream_metadata (id, stream_id, thumbnail_path) VALUES (9001, 999001, '/orphan/1.jpg'), (9002, 999002, '/orphan/2.jpg');
            """);
        var columns = await TableDigest.ColumnsAsync(cs, SchemaFingerprint.ModelTables);
        var rows = await TableDigest.CaptureAsync(cs, columns);

        var refused = await Assert.ThrowsAsync<PostgresException>(() => Infrastructure.Migrations.MigrateAsync(cs));

        Assert.Equal(
            "cannot add foreign key stream_metadata_stream_id_fkey: 2 row(s) of stream_metadata reference no streams row (rows 9001, 9002); "
            + "delete them or set their stream_id to an existing streams id or NULL, then run migrate again",
            refused.MessageText);
        Assert.Equal(rows, await TableDigest.CaptureAsync(cs, columns));
        Assert.Null(await db.ScalarAsync<string>("SELECT conname::text FROM pg_constraint WHERE conname = 'stream_metadata_stream_id_fkey'"));

        await db.ExecuteSqlAsync("DELETE FROM stream_metadata WHERE id IN (9001, 9002)");
        await Infrastructure.Migrations.MigrateAsync(cs);

        Assert.Equal(
            "FOREIGN KEY (stream_id) REFERENCES streams(id) ON DELETE CASCADE",
            await db.ScalarAsync<string>("""
                SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'stream_metadata_stream_id_fkey' AND convalidated
                """));
        Assert.Equal(Infrastructure.Migrations.All(), await LedgerReader.HistoryAsync(cs));
    }

    [Fact]
    public async Task A_june_2025_database_takes_the_upgrade_the_app_itself_cannot_do()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await StartingStates.CreateAsync(StartingStates.June2025);
        var cs = db.ConnectionString;
        var sessions = await db.ScalarAsync<long>("SELECT count(*) FROM sessions");

        await Infrastructure.Migrations.MigrateAsync(cs);

        // Where the newest app's own startup stops (its migration 002: column "expires_at" does not exist) and what its ORM
        // then misses on a June database: all there now, June's sessions kept (without an expiry, which the app never reads).
        Assert.Equal(sessions, await db.ScalarAsync<long>("SELECT count(*) FROM sessions WHERE expires_at IS NULL"));
        Assert.Equal("(CURRENT_TIMESTAMP + '24:00:00'::interval)", await db.ScalarAsync<string>("""
            SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
            WHERE a.attrelid = 'sessions'::regclass AND a.attname = 'expires_at'
            """));
        Assert.NotNull(await db.ScalarAsync<string>("SELECT to_regclass('idx_sessions_expires_at')::text"));
        Assert.NotNull(await db.ScalarAsync<string>("SELECT to_regclass('active_recordings_state')::text"));
        Assert.True(await db.ScalarAsync<bool>("""
            SELECT bool_and(use_global_cleanup_policy) AND count(*) = (SELECT count(*) FROM streamer_recording_settings)
            FROM streamer_recording_settings
            """));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(tvshow_nfo_path) FROM stream_metadata"));
        Assert.Equal(
            [.. SchemaFingerprint.ModelTables],
            (await TableDigest.ListTablesAsync(cs)).Intersect(SchemaFingerprint.ModelTables, StringComparer.Ordinal).Order(StringComparer.Ordinal));

        // A session the newest app creates gets its expiry from the server default, as on a fresh install.
        await db.ExecuteSqlAsync("INSERT INTO sessions (user_id, token) VALUES (1, 'tok_after_upgrade')");
        Assert.True(await db.ScalarAsync<bool>("""
            SELECT expires_at - created_at = interval '24 hours' FROM sessions WHERE token = 'tok_after_upgrade'
            """));

        var report = await SchemaValidator.ValidateAsync(cs, cancellationToken: ct);
        Assert.Empty(report.Errors.Select(e => e.Message));
    }
}

using StreamVault.Data.Operations;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Operations;

public sealed class ValidateTests
{
    public static TheoryData<string, string, string, string, string, string> ManualChanges => new()
    {
        // case, SQL, kind, table, name, problem
        { "dropped index", "DROP INDEX idx_streams_started_at", "index", "streams", "idx_streams_started_at", "missing" },
        { "narrowed column type", "ALTER TABLE streamers ALTER COLUMN language TYPE varchar(12)", "column", "streamers", "language", "type" },
        { "tightened nullability", "ALTER TABLE system_config ALTER COLUMN value SET NOT NULL", "column", "system_config", "value", "nullability" },
        { "changed default", "ALTER TABLE streamers ALTER COLUMN is_live SET DEFAULT true", "column", "streamers", "is_live", "default" },
        { "dropped default", "ALTER TABLE push_subscriptions ALTER COLUMN is_active DROP DEFAULT", "column", "push_subscriptions", "is_active", "default" },
        { "dropped unique constraint", "ALTER TABLE streamers DROP CONSTRAINT streamers_twitch_id_key", "constraint", "streamers", "streamers_twitch_id_key", "missing" },
        { "index marked invalid", "UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'idx_streams_title'::regclass", "index", "streams", "idx_streams_title", "invalid" },
        { "ledger row deleted", "DELETE FROM applied_migrations WHERE migration_name = '20250620_add_system_config'", "ledger", "", "20250620000001_AddSystemConfig", "unrecorded" },
        // Simulates editing an applied migration: the ledger keeps the checksum of the SQL that ran, so a
        // different stored checksum is exactly what an edited migration looks like to validate.
        { "applied migration SQL changed", "UPDATE applied_migrations SET checksum = repeat('x', 64) WHERE migration_name = '20250609_add_recording_path'", "checksum", "", "20250609160908_AddRecordingPathToStreams", "changed" },
    };

    public static TheoryData<string, string, string, string, string, string> KnownVariants => new()
    {
        // case, SQL, kind, table, name, problem
        { "extra column", "ALTER TABLE streams ADD COLUMN notes text", "column", "streams", "notes", "extra" },
        { "wider type", "ALTER TABLE streams ALTER COLUMN title TYPE text", "column", "streams", "title", "type" },
        { "a release's varchar(255)", "ALTER TABLE streamers ALTER COLUMN username TYPE varchar(255)", "column", "streamers", "username", "type" },
        { "CURRENT_TIMESTAMP for now()", "ALTER TABLE streamers ALTER COLUMN created_at SET DEFAULT CURRENT_TIMESTAMP", "column", "streamers", "created_at", "default" },
        { "extra server default", "ALTER TABLE streams ALTER COLUMN language SET DEFAULT 'en'", "column", "streams", "language", "default" },
        { "nullable where NOT NULL", "ALTER TABLE push_subscriptions ALTER COLUMN is_active DROP NOT NULL", "column", "push_subscriptions", "is_active", "nullability" },
        { "extra index", "CREATE INDEX ix_streams_language ON streams (language)", "index", "streams", "ix_streams_language", "extra" },
        { "redundant index absent, primary key covers it", "DROP INDEX ix_streamers_id", "index", "streamers", "ix_streamers_id", "covered" },
    };

    [Fact]
    public async Task Validate_passes_on_database_migrated_from_empty()
    {
        await using var database = await OperationsDatabases.MigratedFromEmptyAsync();

        var report = await SchemaValidator.ValidateAsync(database.ConnectionString, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Empty(report.Failures);
        Assert.True(report.IsClean);
        Assert.Equal(ExpectedShapeSource.Shadow, report.ExpectedShapeSource);
        Assert.Equal(Infrastructure.Migrations.All().Count, report.MigrationsTracked);
        Assert.Contains("🎉 Database schema validation passed!", report.ToText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_passes_on_migrated_june_2025_database()
    {
        await using var database = await OperationsDatabases.MigratedFromJune2025Async();

        var report = await SchemaValidator.ValidateAsync(database.ConnectionString, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Empty(report.Failures);
        Assert.Equal(Infrastructure.Migrations.All().Count, report.MigrationsTracked);
    }

    [Fact]
    public async Task Validate_passes_on_migrated_pre_june_2025_database()
    {
        await using var database = await OperationsDatabases.MigratedFromPreJune2025Async();

        var report = await SchemaValidator.ValidateAsync(database.ConnectionString, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Empty(report.Failures);
        Assert.Equal(Infrastructure.Migrations.All().Count, report.MigrationsTracked);
    }

    [Fact]
    public async Task Validate_leaves_no_shadow_database_behind()
    {
        await using var database = await OperationsDatabases.MigratedFromEmptyAsync();

        await SchemaValidator.ValidateAsync(database.ConnectionString, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(0L, await database.ScalarAsync<long>($"SELECT count(*) FROM pg_database WHERE datname LIKE '{database.Name}_shadow_%'"));
    }

    [Theory]
    [MemberData(nameof(ManualChanges))]
    public async Task Validate_fails_after_a_manual_change_and_names_the_object(
        string change, string sql, string kind, string table, string name, string problem)
    {
        await using var database = await OperationsDatabases.MigratedFromJune2025Async();
        await database.ExecuteSqlAsync(sql);

        var report = await SchemaValidator.ValidateAsync(database.ConnectionString, cancellationToken: TestContext.Current.CancellationToken);

        Assert.False(report.IsClean, change);
        var failure = Assert.Single(report.Failures);
        Assert.Equal((kind, table, name, problem), (failure.Kind, failure.Table ?? "", failure.Name, failure.Problem));
        Assert.Contains("❌ " + failure.Message, report.ToText(), StringComparison.Ordinal);
        Assert.Contains(name, failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(KnownVariants))]
    public async Task A_release_variant_or_an_unknown_object_is_a_warning_and_strict_makes_it_fail(
        string change, string sql, string kind, string table, string name, string problem)
    {
        await using var database = await OperationsDatabases.MigratedFromJune2025Async();
        await database.ExecuteSqlAsync(sql);

        var report = await SchemaValidator.ValidateAsync(database.ConnectionString, cancellationToken: TestContext.Current.CancellationToken);
        var strict = await SchemaValidator.ValidateAsync(database.ConnectionString, strict: true, cancellationToken: TestContext.Current.CancellationToken);

        var june = await OperationsDatabases.MigratedFromJune2025WarningsAsync();
        Assert.True(report.IsClean, change);
        Assert.Equal(0, report.ErrorCount);
        var warning = Assert.Single(Planted(report, june));
        Assert.Equal((kind, table, name, problem, CheckSeverity.Warning), (warning.Kind, warning.Table ?? "", warning.Name, warning.Problem, warning.Severity));
        Assert.Contains("⚠️ " + warning.Message, report.ToText(), StringComparison.Ordinal);
        Assert.Contains($"{june.Count + 1} warnings", report.ToText(), StringComparison.Ordinal);
        Assert.False(strict.IsClean, change);
        Assert.Equal(june.Count + 1, strict.FailedCount);
        Assert.Contains("\"severity\": \"warning\"", strict.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Newest_release_validates_with_warnings_only_and_strict_fails_on_them()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await StartingStates.CreateMigratedAsync(StartingStates.Newest2026);

        var report = await SchemaValidator.ValidateAsync(database.ConnectionString, cancellationToken: ct);
        var strict = await SchemaValidator.ValidateAsync(database.ConnectionString, strict: true, cancellationToken: ct);

        Assert.Equal(0, report.ErrorCount);
        Assert.True(report.IsClean);
        Assert.Equal(NewestReleaseWarnings, report.Warnings.Select(w => $"{w.Kind} {w.Table}.{w.Name} {w.Problem}").ToList());
        Assert.False(strict.IsClean);
        Assert.Equal(NewestReleaseWarnings.Length, strict.FailedCount);
        using var json = System.Text.Json.JsonDocument.Parse(strict.ToJson());
        Assert.Equal(
            NewestReleaseWarnings.Length,
            json.RootElement.GetProperty("checks").EnumerateArray().Count(c => c.GetProperty("severity").GetString() == "warning"));
        Assert.Equal("error", JsonSeverityOf(await SchemaValidator.ValidateAsync(
            (await DropIndexAsync(database, "idx_streams_title")).ConnectionString, cancellationToken: ct), "idx_streams_title"));
    }

    /// <summary>What the newest app made differently from a database these migrations create, all known to work (docs/releases.md).</summary>
    private static readonly string[] NewestReleaseWarnings =
    [
        "column categories.name type",
        "column categories.twitch_id type",
        "column favorite_categories.category_id nullability",
        "column favorite_categories.user_id nullability",
        "column global_settings.http_proxy type",
        "column global_settings.https_proxy type",
        "column global_settings.notification_url type",
        "column global_settings.proxy_encryption_key default",
        "column push_subscriptions.created_at default",
        "column push_subscriptions.endpoint type",
        "column push_subscriptions.updated_at default",
        "column push_subscriptions.user_agent type",
        "column recording_settings.default_quality type",
        "column recording_settings.filename_preset type",
        "column recording_settings.filename_template type",
        "column recording_settings.output_directory type",
        "column sessions.expires_at nullability",
        "column sessions.token type",
        "column sessions.user_id nullability",
        "column stream_events.category_name type",
        "column stream_events.event_type type",
        "column stream_events.language type",
        "column stream_events.title type",
        "column stream_metadata.chapters_ffmpeg_path type",
        "column stream_metadata.chapters_srt_path type",
        "column stream_metadata.chapters_vtt_path type",
        "column stream_metadata.json_path type",
        "column stream_metadata.nfo_path type",
        "column stream_metadata.stream_id nullability",
        "column stream_metadata.thumbnail_path type",
        "column stream_metadata.thumbnail_url type",
        "column streamer_recording_settings.custom_filename type",
        "column streamer_recording_settings.quality type",
        "column streamer_recording_settings.supported_codecs default",
        "column streamers.category_name type",
        "column streamers.language type",
        "column streamers.original_profile_image_url type",
        "column streamers.profile_image_url type",
        "column streamers.title type",
        "column streamers.twitch_id type",
        "column streamers.username type",
        "index streamers.ix_streamers_id covered",
        "column streams.category_name type",
        "column streams.language type",
        "column streams.recording_path type",
        "column streams.title type",
        "column streams.twitch_stream_id type",
        "column system_config.created_at default",
        "column system_config.description type",
        "column system_config.key type",
        "column system_config.updated_at default",
        "index system_config.idx_system_config_key covered",
        "column users.password type",
        "column users.username type",

    ];

    private static async Task<TestDatabase> DropIndexAsync(TestDatabase database, string index)
    {
        await database.ExecuteSqlAsync($"DROP INDEX {index}");
        return database;
    }

    private static string? JsonSeverityOf(ValidationReport report, string name)
    {
        using var json = System.Text.Json.JsonDocument.Parse(report.ToJson());
        return json.RootElement.GetProperty("checks").EnumerateArray()
            .Single(c => c.GetProperty("name").GetString() == name).GetProperty("severity").GetString();
    }

    [Fact]
    public async Task A_unique_index_instead_of_the_unique_constraint_as_releases_1_0_27_to_41_made_it_is_two_warnings()
    {
        await using var database = await OperationsDatabases.MigratedFromJune2025Async();
        await database.ExecuteSqlAsync("""
            ALTER TABLE streamers DROP CONSTRAINT streamers_twitch_id_key;
            CREATE UNIQUE INDEX ix_streamers_twitch_id ON streamers (twitch_id);
            """);

        var report = await SchemaValidator.ValidateAsync(database.ConnectionString, cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(report.IsClean);
        Assert.Equal(
            [("index", "ix_streamers_twitch_id", "extra"), ("constraint", "streamers_twitch_id_key", "covered")],
            Planted(report, await OperationsDatabases.MigratedFromJune2025WarningsAsync()).Select(w => (w.Kind, w.Name, w.Problem!)));
        Assert.Contains(
            "⚠️ Constraint 'streamers_twitch_id_key' is absent, but unique index 'ix_streamers_twitch_id' enforces the same (UNIQUE (twitch_id))",
            report.ToText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_app_trigger_and_its_function_are_warnings()
    {
        await using var database = await OperationsDatabases.MigratedFromJune2025Async();
        await database.ExecuteSqlAsync("""
            CREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at = CURRENT_TIMESTAMP; RETURN NEW; END $$;
            CREATE TRIGGER touch_push_subscriptions BEFORE UPDATE ON push_subscriptions FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
            """);

        var report = await SchemaValidator.ValidateAsync(database.ConnectionString, cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(report.IsClean);
        Assert.Equal(
            [("trigger", "touch_push_subscriptions"), ("function", "touch_updated_at()")],
            Planted(report, await OperationsDatabases.MigratedFromJune2025WarningsAsync()).Select(w => (w.Kind, w.Name)));
    }

    /// <summary>The warnings a test's change added to June 2025's own.</summary>
    private static List<ValidationCheck> Planted(ValidationReport report, HashSet<string> june)
        => [.. report.Warnings.Where(w => !june.Contains(OperationsDatabases.WarningKey(w)))];

    [Fact]
    public async Task Validate_of_empty_database_reports_missing_tables_and_pending_migrations()
    {
        await using var database = await OperationsDatabases.EmptyAsync();

        var report = await SchemaValidator.ValidateAsync(database.ConnectionString, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(SchemaFingerprint.ModelTables, report.Failures.Where(f => f.Kind == "table").Select(f => f.Name));
        Assert.Equal(Infrastructure.Migrations.All().Count, report.Failures.Count(f => f is { Kind: "migration", Problem: "pending" }));
        Assert.Equal(SchemaFingerprint.ModelTables.Length + Infrastructure.Migrations.All().Count, report.FailedCount);
        Assert.Equal(report.FailedCount, report.ErrorCount);
    }

    [Fact]
    public async Task Validate_falls_back_to_the_embedded_snapshot_when_the_role_cannot_create_databases()
    {
        await using var database = await OperationsDatabases.MigratedFromEmptyAsync();
        var role = "sv_nocreatedb_" + database.Name[^8..];
        var admin = (await PostgresServer.GetAsync()).AdminConnectionString;
        await Sql.ExecuteAsync(admin, $"CREATE ROLE {role} LOGIN NOCREATEDB PASSWORD 'not-a-secret'");
        await database.ExecuteSqlAsync($"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}");
        try
        {
            var asRole = new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString)
            {
                Username = role,
                Password = "not-a-secret",
                Pooling = false,
            }.ConnectionString;

            var report = await SchemaValidator.ValidateAsync(asRole, cancellationToken: TestContext.Current.CancellationToken);

            Assert.Equal(ExpectedShapeSource.Snapshot, report.ExpectedShapeSource);
            Assert.Empty(report.Failures);
        }
        finally
        {
            await database.ExecuteSqlAsync($"DROP OWNED BY {role}");
            await Sql.ExecuteAsync(admin, $"DROP ROLE IF EXISTS {role}");
        }
    }

    [Fact]
    public async Task Validation_report_json_has_the_documented_shape()
    {
        await using var database = await OperationsDatabases.MigratedFromJune2025Async();
        await database.ExecuteSqlAsync("DROP INDEX idx_streams_title");

        var report = await SchemaValidator.ValidateAsync(database.ConnectionString, cancellationToken: TestContext.Current.CancellationToken);
        using var json = System.Text.Json.JsonDocument.Parse(report.ToJson());

        var root = json.RootElement;
        Assert.Equal(database.Name, root.GetProperty("database").GetString());
        Assert.Equal("shadow", root.GetProperty("expectedShapeSource").GetString());
        Assert.False(root.GetProperty("isClean").GetBoolean());
        Assert.Equal(1, root.GetProperty("failedCount").GetInt32());
        var failed = root.GetProperty("checks").EnumerateArray()
            .Single(c => !c.GetProperty("passed").GetBoolean() && c.GetProperty("severity").GetString() == "error");
        Assert.Equal("index", failed.GetProperty("kind").GetString());
        Assert.Equal("streams", failed.GetProperty("table").GetString());
        Assert.Equal("idx_streams_title", failed.GetProperty("name").GetString());
        Assert.Equal("missing", failed.GetProperty("problem").GetString());
        Assert.Equal("CREATE INDEX idx_streams_title ON streams USING btree (title)", failed.GetProperty("expected").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, failed.GetProperty("actual").ValueKind);
    }
}

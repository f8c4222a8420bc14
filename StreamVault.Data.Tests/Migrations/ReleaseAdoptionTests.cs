using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
using StreamVault.Data.Entities;
using StreamVault.Data.Migrations;
using StreamVault.Data.Operations;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Migrations;

/// <summary>
/// Every release's database, from before June 2025 to the newest app (August 2026): after migrate the five tables
/// have every model column, the app's own objects are as it left them, a second run issues no DDL, validate passes
/// and the model reads and writes every table.
/// </summary>
public sealed class ReleaseAdoptionTests
{
    public static TheoryData<string> AllStates => new(StartingStates.All);

    public static TheoryData<string> LegacyStates => new(StartingStates.Legacy);

    private static readonly string[] LedgerTables = ["__EFMigrationsHistory", "applied_migrations"];

    [Fact]
    public async Task Adopting_newest_release_changes_no_existing_object()
    {
        await using var db = await StartingStates.CreateAsync(StartingStates.Newest2026);
        var before = await SchemaFingerprint.CaptureAsync(db.ConnectionString, SchemaFingerprint.ModelTables);
        var outside = await TableDigest.ListTablesOutsideModelAsync(db.ConnectionString);
        var outsideRows = await TableDigest.CaptureAsync(db.ConnectionString, outside);
        var outsideShape = await SchemaFingerprint.CaptureAsync(db.ConnectionString, outside);
        IReadOnlyList<string> ddl;
        await using (var recorder = await DdlRecorder.StartAsync(db.ConnectionString))
        {
            // Up to the migrations that bring every release to the newest one; a later migration adds what no release had.
            await Infrastructure.Migrations.MigrateAsync(db.ConnectionString, Infrastructure.Migrations.NewestReleaseConverged);
            ddl = await recorder.CommandsAsync();
        }

        Assert.Equal(before, await SchemaFingerprint.CaptureAsync(db.ConnectionString, SchemaFingerprint.ModelTables));
        Assert.Equal(outsideRows, await TableDigest.CaptureAsync(db.ConnectionString, outside));
        Assert.Equal(outsideShape, await SchemaFingerprint.CaptureAsync(db.ConnectionString, outside));

        // The only DDL of the adopting run creates the two ledger tables; nothing touches an object that existed.
        Assert.Equal(
            [
                "start CREATE TABLE",
                "end CREATE TABLE table public.\"__EFMigrationsHistory\"",
                "end CREATE INDEX index public.pk___ef_migrations_history",
                "start CREATE TABLE",
                "end CREATE SEQUENCE sequence public.applied_migrations_id_seq",
                "end CREATE TABLE table public.applied_migrations",
                "end CREATE INDEX index public.applied_migrations_pkey",
                "end CREATE INDEX index public.applied_migrations_migration_name_key",
                "end ALTER SEQUENCE sequence public.applied_migrations_id_seq",
                "start ALTER TABLE",
                "end ALTER TABLE table public.applied_migrations",
            ],
            ddl);

        Assert.Equal(Infrastructure.Migrations.UpTo(Infrastructure.Migrations.NewestReleaseConverged), await LedgerReader.HistoryAsync(db.ConnectionString));
        var ledger = await LedgerReader.RowsAsync(db.ConnectionString);
        Assert.Equal(
            Infrastructure.Migrations.Adoptable(),
            ledger.Where(r => r.AppliedBy!.EndsWith("(adopted: objects already present)", StringComparison.Ordinal))
                .Select(r => r.EfMigrationId!).Order(StringComparer.Ordinal));
        Assert.All(ledger, r => Assert.True(r.Success));
    }

    [Theory]
    [MemberData(nameof(AllStates))]
    public async Task After_migrating_the_five_tables_have_every_model_column_and_a_second_run_issues_no_ddl(string state)
    {
        await using var db = await StartingStates.CreateAsync(state);
        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString);

        var columns = await TableDigest.ColumnsAsync(db.ConnectionString, SchemaFingerprint.ModelTables);
        var missing = ModelColumns().Where(c => !columns.TryGetValue(c.Table, out var present) || !present.Contains(c.Column)).ToList();
        Assert.Empty(missing);

        await using var recorder = await DdlRecorder.StartAsync(db.ConnectionString);
        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString);
        Assert.Empty(await recorder.CommandsAsync());
    }

    [Theory]
    [MemberData(nameof(LegacyStates))]
    public async Task Adopting_keeps_every_existing_object_and_only_adds_or_widens(string state)
    {
        await using var db = await StartingStates.CreateAsync(state);
        var before = Catalog.Parse(await SchemaFingerprint.CaptureAsync(db.ConnectionString, SchemaFingerprint.ModelTables));

        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString);

        var after = Catalog.Parse(await SchemaFingerprint.CaptureAsync(db.ConnectionString, SchemaFingerprint.ModelTables));
        var changed = new List<string>();
        foreach (var (key, line) in before)
        {
            if (!after.TryGetValue(key, out var now))
            {
                changed.Add($"dropped: {line}");
            }
            else if (now != line && !(key.StartsWith("column ", StringComparison.Ordinal) && Catalog.OnlyWidened(line, now)))
            {
                changed.Add($"changed: {line} -> {now}");
            }
        }

        Assert.Empty(changed);
    }

    [Theory]
    [MemberData(nameof(AllStates))]
    public async Task Validate_passes_after_migrating_every_release(string state)
    {
        await using var db = await StartingStates.CreateAsync(state);
        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString);

        var report = await SchemaValidator.ValidateAsync(db.ConnectionString, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Empty(report.Errors.Select(e => e.Message));
        Assert.True(report.IsClean);
        Assert.Equal(Infrastructure.Migrations.All().Count, report.MigrationsTracked);
    }

    [Theory]
    [MemberData(nameof(AllStates))]
    public async Task The_model_reads_every_row_and_writes_every_table(string state)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await StartingStates.CreateAsync(state);
        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString);

        await using (var read = StreamVaultDatabase.CreateContext(db.ConnectionString))
        {
            Assert.Equal(await db.ScalarAsync<long>("SELECT count(*) FROM streamers"), (await read.Streamers.AsNoTracking().ToListAsync(ct)).Count);
            Assert.Equal(await db.ScalarAsync<long>("SELECT count(*) FROM streams"), (await read.Streams.AsNoTracking().ToListAsync(ct)).Count);
            Assert.Equal(await db.ScalarAsync<long>("SELECT count(*) FROM global_settings"), (await read.GlobalSettings.AsNoTracking().ToListAsync(ct)).Count);
            Assert.Equal(await db.ScalarAsync<long>("SELECT count(*) FROM push_subscriptions"), (await read.PushSubscriptions.AsNoTracking().ToListAsync(ct)).Count);
            Assert.Equal(await db.ScalarAsync<long>("SELECT count(*) FROM system_config"), (await read.SystemConfig.AsNoTracking().ToListAsync(ct)).Count);
        }

        var expires = new DateTime(2026, 12, 1, 8, 30, 0, DateTimeKind.Utc);
        await using (var write = StreamVaultDatabase.CreateContext(db.ConnectionString))
        {
            var streamer = new Streamer { TwitchId = "crud-1", Username = "crud", IsTestData = true, Description = "written by .NET" };
            streamer.Streams.Add(new Broadcast { Title = "crud stream", TwitchStreamId = "crud-stream-1", EpisodeNumber = 7 });
            write.Streamers.Add(streamer);
            write.PushSubscriptions.Add(new PushSubscription { Endpoint = "https://push.example/crud", SubscriptionData = "{}", IsActive = false });
            write.SystemConfig.Add(new SystemConfigEntry { Key = "crud_key", Value = null });
            var settings = await write.GlobalSettings.OrderBy(s => s.Id).FirstOrDefaultAsync(ct);
            if (settings is null)
            {
                write.GlobalSettings.Add(new GlobalSettings { TwitchTokenExpiresAt = expires, PreferHigherQuality = false });
            }
            else
            {
                settings.TwitchTokenExpiresAt = expires;
                settings.PreferHigherQuality = false;
            }

            await write.SaveChangesAsync(ct);

            // The unique column is an index to EF, not a key: it can change.
            streamer.TwitchId = "crud-1-renamed";
            await write.SaveChangesAsync(ct);
        }

        await using (var change = StreamVaultDatabase.CreateContext(db.ConnectionString))
        {
            var streamer = await change.Streamers.Include(s => s.Streams).SingleAsync(s => s.Username == "crud", ct);
            Assert.Equal("crud-1-renamed", streamer.TwitchId);
            Assert.True(streamer.IsTestData);
            Assert.False(streamer.IsFavorite);
            Assert.Equal(7, Assert.Single(streamer.Streams).EpisodeNumber);
            var subscription = await change.PushSubscriptions.SingleAsync(p => p.Endpoint == "https://push.example/crud", ct);
            Assert.False(subscription.IsActive);
            var config = await change.SystemConfig.SingleAsync(c => c.Key == "crud_key", ct);
            Assert.Null(config.Value);
            var settings = await change.GlobalSettings.OrderBy(s => s.Id).FirstAsync(ct);
            Assert.Equal(expires, settings.TwitchTokenExpiresAt);
            Assert.Equal(DateTimeKind.Utc, settings.TwitchTokenExpiresAt!.Value.Kind);
            Assert.False(settings.PreferHigherQuality);

            subscription.IsActive = true;
            config.Value = "set";
            change.Streamers.Remove(streamer);
            await change.SaveChangesAsync(ct);
            change.PushSubscriptions.Remove(subscription);
            change.SystemConfig.Remove(config);
            await change.SaveChangesAsync(ct);
        }

        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM streams WHERE twitch_stream_id = 'crud-stream-1'"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM push_subscriptions WHERE endpoint = 'https://push.example/crud'"));
        Assert.Equal("2026-12-01 08:30:00", await db.ScalarAsync<string>("SELECT min(twitch_token_expires_at)::text FROM global_settings"));
    }

    [Fact]
    public async Task Database_our_migrations_created_has_every_column_index_and_default_of_the_newest_release()
    {
        await using var newest = await StartingStates.CreateAsync(StartingStates.Newest2026);
        await using var ours = await StartingStates.CreateMigratedAsync(StartingStates.Empty);
        var theirs = await ReadCatalogAsync(newest.ConnectionString);
        var mine = await ReadCatalogAsync(ours.ConnectionString);

        var problems = new List<string>();
        foreach (var (key, column) in theirs.Columns)
        {
            if (!mine.Columns.TryGetValue(key, out var have))
            {
                problems.Add($"missing column {key}");
                continue;
            }

            // Ours may be wider: unbounded text where the app has any text type.
            if (have.Type != column.Type
                && !(ReleaseVariants.IsUnboundedText(have.Type)
                     && (ReleaseVariants.IsUnboundedText(column.Type) || ReleaseVariants.VarcharLength(column.Type) is not null)))
            {
                problems.Add($"column {key}: {have.Type}, the app has {column.Type}");
            }

            if (have.NotNull && !column.NotNull)
            {
                problems.Add($"column {key}: NOT NULL, the app allows NULL");
            }

            if (ReleaseVariants.Normalize(have.Default) != ReleaseVariants.Normalize(column.Default))
            {
                problems.Add($"column {key}: default {have.Default ?? "(none)"}, the app has {column.Default ?? "(none)"}");
            }
        }

        foreach (var (name, definition) in theirs.Indexes)
        {
            if (!mine.Indexes.TryGetValue(name, out var have) || have != definition)
            {
                problems.Add($"index {name}: {(have ?? "missing")}, the app has {definition}");
            }
        }

        Assert.Empty(problems);
        Assert.Equal(theirs.Columns.Count, mine.Columns.Keys.Count(theirs.Columns.ContainsKey));
    }

    [Fact]
    public async Task Duplicate_twitch_stream_ids_stop_only_the_unique_index_migration_until_they_are_gone()
    {
        await using var db = await StartingStates.CreateAsync(StartingStates.HalfWay2025);
        await db.ExecuteSqlAsync("""
            UPDATE streams SET twitch_stream_id = '40000000137' WHERE id IN (2, 3);
            UPDATE streams SET twitch_stream_id = '40000000548' WHERE id = 5;
            """);
        var columns = await TableDigest.ColumnsAsync(db.ConnectionString, await TableDigest.ListModelTablesAsync(db.ConnectionString));
        var rows = await TableDigest.CaptureAsync(db.ConnectionString, columns);

        var refusal = await Assert.ThrowsAsync<PostgresException>(() => Infrastructure.Migrations.MigrateAsync(db.ConnectionString));

        Assert.Equal(
            "cannot make streams.twitch_stream_id unique: 2 value(s) belong to more than one stream: '40000000137' (streams 1, 2, 3); "
            + "'40000000548' (streams 4, 5); keep one stream per value (merge or delete the others, or set their twitch_stream_id to NULL), "
            + "then run migrate again",
            refusal.MessageText);
        Assert.Equal(rows, await TableDigest.CaptureAsync(db.ConnectionString, columns));
        // EF stops at the refusing migration: what came before it is applied, it and what follows are not.
        Assert.Equal(Infrastructure.Migrations.All().TakeWhile(id => id != "20261129100002_AddUniqueTwitchStreamId"), await LedgerReader.HistoryAsync(db.ConnectionString));
        var failed = Assert.Single(await LedgerReader.RowsAsync(db.ConnectionString), r => r.EfMigrationId == "20261129100002_AddUniqueTwitchStreamId");
        Assert.False(failed.Success);
        Assert.Contains("cannot make streams.twitch_stream_id unique", failed.Error, StringComparison.Ordinal);
        Assert.Null(await db.ScalarAsync<string>("SELECT to_regclass('ix_streams_twitch_stream_id')::text"));

        await db.ExecuteSqlAsync("UPDATE streams SET twitch_stream_id = NULL WHERE id IN (2, 3, 5)");
        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString);

        Assert.Equal(Infrastructure.Migrations.All(), await LedgerReader.HistoryAsync(db.ConnectionString));
        Assert.True(await db.ScalarAsync<bool>("""
            SELECT indisunique AND indisvalid FROM pg_index WHERE indexrelid = 'ix_streams_twitch_stream_id'::regclass
            """));
        Assert.True((await LedgerReader.RowsAsync(db.ConnectionString)).Single(r => r.EfMigrationId == "20261129100002_AddUniqueTwitchStreamId").Success);
    }

    [Fact]
    public async Task A_non_unique_index_of_the_unique_index_name_stops_the_migration_naming_both_definitions()
    {
        await using var db = await StartingStates.CreateAsync(StartingStates.HalfWay2025);
        await db.ExecuteSqlAsync("CREATE INDEX ix_streams_twitch_stream_id ON streams (twitch_stream_id)");

        var refusal = await Assert.ThrowsAsync<PostgresException>(() => Infrastructure.Migrations.MigrateAsync(db.ConnectionString));

        Assert.Equal(
            "AddUniqueTwitchStreamId: index ix_streams_twitch_stream_id exists with another definition: "
            + "found \"CREATE INDEX ix_streams_twitch_stream_id ON public.streams USING btree (twitch_stream_id)\", "
            + "expected \"CREATE UNIQUE INDEX ix_streams_twitch_stream_id ON streams USING btree (twitch_stream_id)\"; "
            + "StreamVault.Data does not replace indexes it did not create: drop or rename it, then run migrate again",
            refusal.MessageText);
        Assert.False(await db.ScalarAsync<bool>("SELECT indisunique FROM pg_index WHERE indexrelid = 'ix_streams_twitch_stream_id'::regclass"));
    }

    /// <summary>(table, column) of every property the model maps.</summary>
    private static List<(string Table, string Column)> ModelColumns()
    {
        using var context = StreamVaultDatabase.CreateContext("Host=unused");
        return context.Model.GetEntityTypes()
            .SelectMany(e =>
            {
                var table = StoreObjectIdentifier.Table(e.GetTableName()!, e.GetSchema());
                return e.GetProperties().Select(p => (table.Name, p.GetColumnName(table)!));
            })
            .ToList();
    }

    private sealed record ColumnInfo(string Type, bool NotNull, string? Default);

    private sealed record CatalogInfo(Dictionary<string, ColumnInfo> Columns, Dictionary<string, string> Indexes);

    private static async Task<CatalogInfo> ReadCatalogAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var columns = new Dictionary<string, ColumnInfo>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand("""
            SELECT c.relname || '.' || a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, d.adrelid)
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE c.relnamespace = 'public'::regnamespace AND c.relname = ANY(@tables) AND a.attnum > 0 AND NOT a.attisdropped
            """, connection))
        {
            command.Parameters.AddWithValue("tables", SchemaFingerprint.ModelTables);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                columns[reader.GetString(0)] = new ColumnInfo(reader.GetString(1), reader.GetBoolean(2), reader.IsDBNull(3) ? null : reader.GetString(3));
            }
        }

        var indexes = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand("""
            SELECT ic.relname, replace(pg_get_indexdef(i.indexrelid), ' ON public.', ' ON ')
            FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
            WHERE t.relnamespace = 'public'::regnamespace AND t.relname = ANY(@tables)
            """, connection))
        {
            command.Parameters.AddWithValue("tables", SchemaFingerprint.ModelTables);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                indexes[reader.GetString(0)] = reader.GetString(1);
            }
        }

        return new CatalogInfo(columns, indexes);
    }

    /// <summary>A fingerprint's lines keyed by object (<c>column streams.title</c>), to compare object by object.</summary>
    private static class Catalog
    {
        public static Dictionary<string, string> Parse(string fingerprint)
        {
            var objects = new Dictionary<string, string>(StringComparer.Ordinal);
            var table = "";
            foreach (var line in fingerprint.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')))
            {
                if (line.EndsWith(" (absent)", StringComparison.Ordinal))
                {
                    table = "";
                    continue;
                }

                if (line.StartsWith("table ", StringComparison.Ordinal))
                {
                    table = line[6..];
                    objects["table " + table] = line;
                    continue;
                }

                var parts = line.Trim().Split(' ', 3);
                objects[$"{parts[0]} {table}.{parts[1]}"] = line;
            }

            return objects;
        }

        /// <summary>
        /// The same column, with only a default added where it had none or NOT NULL dropped: the two widenings the
        /// migrations make. Its type, and any default it had, are unchanged.
        /// </summary>
        public static bool OnlyWidened(string before, string after)
        {
            var (beforeType, beforeNotNull, beforeDefault) = Split(before);
            var (afterType, afterNotNull, afterDefault) = Split(after);
            return beforeType == afterType
                   && (beforeNotNull || !afterNotNull)
                   && (beforeDefault is null || beforeDefault == afterDefault);
        }

        private static (string Type, bool NotNull, string? Default) Split(string line)
        {
            var at = line.IndexOf(" default ", StringComparison.Ordinal);
            var head = at < 0 ? line : line[..at];
            var notNull = head.EndsWith(" not null", StringComparison.Ordinal);
            var type = notNull ? head[..^9] : head.EndsWith(" null", StringComparison.Ordinal) ? head[..^5] : head;
            return (type, notNull, at < 0 ? null : line[(at + 9)..]);
        }
    }
}

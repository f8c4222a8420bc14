using System.Data;
using System.Diagnostics;
using Npgsql;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Design;

/// <summary>
/// The generated SQL never stops the running app's writes: an index on streams is built while the app keeps inserting
/// streams, and a foreign key is validated holding only SHARE UPDATE EXCLUSIVE on its table and ROW SHARE on the
/// referenced one through the whole scan, never SHARE ROW EXCLUSIVE (what adding it validated would hold).
/// </summary>
public sealed class GeneratedMigrationLockTests
{
    /// <summary>The modes a foreign key's validation may hold: the scan's own ACCESS SHARE, and what VALIDATE CONSTRAINT takes.</summary>
    private static readonly string[] ValidationModes = ["AccessShareLock", "RowShareLock", "ShareUpdateExclusiveLock"];

    [Fact]
    public async Task The_index_on_streams_is_built_while_the_app_keeps_inserting_streams()
    {
        var ct = TestContext.Current.CancellationToken;
        var change = ModelChanges.IndexOnExistingTable;
        var migration = CompiledMigration.Compile(GeneratorHarness.Generate(change.Name, change));
        await using var db = await StartingStates.CreateMigratedAsync(StartingStates.June2025);

        // A transaction elsewhere in the database with an older snapshot: a concurrent build waits for it before it can
        // finish, which keeps the build in progress for as long as the app's inserts take, whatever the machine's speed.
        await using var older = new NpgsqlConnection(db.ConnectionString);
        await older.OpenAsync(ct);
        await using var snapshot = await older.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        await using (var read = new NpgsqlCommand("SELECT count(*) FROM streamers", older, snapshot))
        {
            await read.ExecuteScalarAsync(ct);
        }

        var build = Task.Run(() => GeneratedMigrationRunner.RunAsync(db.ConnectionString, change, migration, cancellationToken: ct), ct);
        await WaitForAsync(db, """
            SELECT EXISTS (SELECT 1 FROM pg_stat_activity
                           WHERE datname = current_database() AND state = 'active' AND wait_event_type = 'Lock'
                             AND query LIKE 'CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_streams_category_name_started_at ON streams%')
            """, build, ct);

        // The app's writes: each its own transaction, as the recorder inserts a stream.
        await using (var app = new NpgsqlConnection(db.ConnectionString))
        {
            await app.OpenAsync(ct);
            for (var i = 0; i < 50; i++)
            {
                await using var insert = new NpgsqlCommand(
                    "INSERT INTO streams (streamer_id, title, category_name, started_at) SELECT min(id), 'during the build', 'Just Chatting', now() FROM streamers",
                    app) { CommandTimeout = 60 };
                Assert.Equal(1, await insert.ExecuteNonQueryAsync(ct));
            }
        }

        Assert.False(build.IsCompleted, "the build finished before the inserts did, so they proved nothing");
        Assert.False(await db.ScalarAsync<bool>(
            "SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass('ix_streams_category_name_started_at')"), "the index was already valid");

        await snapshot.CommitAsync(ct);
        await build.WaitAsync(TimeSpan.FromMinutes(5), ct);

        Assert.True(await db.ScalarAsync<bool>("SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass('ix_streams_category_name_started_at')"));
    }

    [Fact]
    public async Task The_foreign_key_is_validated_without_share_row_exclusive_through_the_scan()
    {
        var ct = TestContext.Current.CancellationToken;
        var change = ModelChanges.NewTable;
        var migration = CompiledMigration.Compile(GeneratorHarness.Generate(change.Name, change));
        await using var db = await StartingStates.CreateMigratedAsync(StartingStates.June2025);

        // stream_chapters as an app release might already have it, large and without the foreign key: the migration completes
        // it with the key, NOT VALID, then validates it, scanning every row.
        var setup = Stopwatch.StartNew();
        await db.ExecuteSqlAsync("""
            CREATE TABLE stream_chapters (
                id serial NOT NULL, stream_id integer NOT NULL, title character varying NOT NULL, starts_at_seconds integer NOT NULL,
                created_at timestamp with time zone DEFAULT now());
            INSERT INTO stream_chapters (stream_id, title, starts_at_seconds)
            SELECT s.id, 'chapter ' || g, g FROM streams s CROSS JOIN generate_series(1, 400) AS g;
            ALTER TABLE stream_chapters ADD CONSTRAINT stream_chapters_pkey PRIMARY KEY (id),
                ADD CONSTRAINT stream_chapters_stream_id_title_key UNIQUE (stream_id, title),
                ADD CONSTRAINT ck_stream_chapters_starts_at_seconds CHECK (starts_at_seconds >= 0);
            CREATE INDEX idx_stream_chapters_stream_id ON stream_chapters (stream_id);
            CREATE UNIQUE INDEX ux_stream_chapters_stream_start ON stream_chapters (stream_id, starts_at_seconds);
            ANALYZE stream_chapters;
            """);
        TestContext.Current.SendDiagnosticMessage($"{nameof(GeneratedMigrationLockTests)}: {await db.ScalarAsync<long>("SELECT count(*) FROM stream_chapters")} chapters in {setup.Elapsed.TotalSeconds:F1} s");

        // Slows the scan down several times over, so that it is watched for a while even on a fast machine: the check then
        // probes the streams key once per chapter instead of hashing the streams once (new sessions, so the run's, get it).
        await db.ExecuteSqlAsync($"ALTER DATABASE {db.Name} SET enable_hashjoin = off; ALTER DATABASE {db.Name} SET enable_mergejoin = off");

        var validation = Stopwatch.StartNew();
        var run = Task.Run(() => GeneratedMigrationRunner.RunAsync(db.ConnectionString, change, migration, cancellationToken: ct), ct);
        var samples = new List<string>();
        await using (var observer = new NpgsqlConnection(db.ConnectionString))
        {
            await observer.OpenAsync(ct);
            while (!run.IsCompleted)
            {
                // Every session working on the key (adding it, or validating it), with the locks it holds on the two tables.
                await using var locks = new NpgsqlCommand(
                    """
                    SELECT CASE WHEN a.query LIKE '%VALIDATE CONSTRAINT stream_chapters_stream_id_fkey%' THEN 'validate: ' ELSE 'add: ' END
                           || string_agg(l.relation::regclass::text || ' ' || l.mode || CASE WHEN l.granted THEN '' ELSE ' (waiting)' END, ', '
                                         ORDER BY l.relation::regclass::text, l.mode)
                    FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid AND l.locktype = 'relation'
                    WHERE a.datname = current_database() AND a.state = 'active' AND a.pid <> pg_backend_pid()
                      AND a.query LIKE '%stream_chapters_stream_id_fkey%'
                      AND l.relation IN (to_regclass('streams'), to_regclass('stream_chapters'))
                    GROUP BY a.pid, a.query
                    """, observer);
                if (await locks.ExecuteScalarAsync(ct) is string held)
                {
                    samples.Add(held);
                }
            }
        }

        await run;
        TestContext.Current.SendDiagnosticMessage($"{nameof(GeneratedMigrationLockTests)}: validated in {validation.Elapsed.TotalSeconds:F1} s, {samples.Count} samples: {string.Join(" | ", samples.GroupBy(s => s).Select(g => $"{g.Key} ×{g.Count()}"))}");

        var seen = string.Join(" | ", samples.Distinct());
        var scanning = samples.Where(s => s.StartsWith("validate: ", StringComparison.Ordinal)).Select(s => s["validate: ".Length..]).ToList();
        Assert.True(
            scanning.Any(s => s.Contains("stream_chapters ShareUpdateExclusiveLock", StringComparison.Ordinal)
                              && s.Contains("streams RowShareLock", StringComparison.Ordinal) && !s.Contains("waiting", StringComparison.Ordinal)),
            $"the validation was never seen scanning ({samples.Count} samples: {seen})");
        var modes = scanning.SelectMany(s => s.Split(", ")).Select(l => l.Split(' ')[1]).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.True(modes.All(ValidationModes.Contains), $"the validation held {string.Join(", ", modes)}: {seen}");
        Assert.True(await db.ScalarAsync<bool>("SELECT convalidated FROM pg_constraint WHERE conname = 'stream_chapters_stream_id_fkey'"));
    }

    private static async Task WaitForAsync(TestDatabase db, string condition, Task alsoWatching, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (!await db.ScalarAsync<bool>(condition))
        {
            if (alsoWatching.IsCompleted)
            {
                await alsoWatching;
                Assert.Fail("the migration finished before the state this test waits for");
            }

            Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(2), $"waited 2 min for: {condition}");
            await Task.Delay(50, cancellationToken);
        }
    }
}

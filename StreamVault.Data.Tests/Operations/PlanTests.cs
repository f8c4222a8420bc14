using System.Text.Json;
using Npgsql;
using StreamVault.Data.Engine;
using StreamVault.Data.Operations;
using StreamVault.Data.Tests.Infrastructure;
using Sql = StreamVault.Data.Tests.Infrastructure.Sql;
using Xunit;

namespace StreamVault.Data.Tests.Operations;

/// <summary>
/// <c>plan</c> on a June 2025 database with rows (issue #21): what it names, and that it changes nothing, neither the
/// catalog, nor the ledger, nor the tables' statistics.
/// </summary>
public sealed class PlanTests
{
    /// <summary>
    /// The statistics a read-only plan must leave as they were: the planner's estimates and sizes (pg_class), the
    /// column statistics (pg_statistic) and the write counters of pg_stat_user_tables. The scan counters (seq_scan,
    /// idx_scan, tuples read) are left out: the plan reads the two ledger tables, as status does, and a read counts.
    /// </summary>
    private const string StatisticsQuery = """
        SELECT coalesce(string_agg(line, E'\n' ORDER BY line), '') FROM (
            SELECT format('class %s reltuples=%s relpages=%s relallvisible=%s relfilenode=%s',
                          c.relname, c.reltuples, c.relpages, c.relallvisible, c.relfilenode) AS line
            FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'i', 'p')
            UNION ALL
            SELECT format('statistic %s.%s %s', c.relname, a.attname, md5(s::text))
            FROM pg_statistic s JOIN pg_class c ON c.oid = s.starelid
            JOIN pg_attribute a ON a.attrelid = s.starelid AND a.attnum = s.staattnum
            WHERE c.relnamespace = 'public'::regnamespace
            UNION ALL
            SELECT format('counters %s live=%s dead=%s modified=%s inserted=%s updated=%s deleted=%s analyzed=%s autoanalyzed=%s vacuumed=%s',
                          relname, n_live_tup, n_dead_tup, n_mod_since_analyze, n_tup_ins, n_tup_upd, n_tup_del,
                          last_analyze, last_autoanalyze, last_vacuum)
            FROM pg_stat_user_tables WHERE schemaname = 'public') AS lines
        """;

    private static readonly string[] LedgerTables = ["applied_migrations", "__EFMigrationsHistory"];

    [Fact]
    public async Task Plan_json_of_a_June_2025_database_names_each_pending_migration_its_locks_and_tables_and_changes_nothing()
    {
        await using var database = await AnalyzedJune2025Async();
        var pending = (await DatabaseStatus.ReadAsync(database.ConnectionString, cancellationToken: TestContext.Current.CancellationToken)).Pending;
        var before = await StateAsync(database.ConnectionString);

        var result = await InProcessCli.RunAsync(["plan", "--json", "-c", database.ConnectionString]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.StandardError);
        var root = JsonDocument.Parse(result.StandardOutput).RootElement;
        Assert.Equal("up", root.GetProperty("direction").GetString());
        Assert.False(root.GetProperty("upToDate").GetBoolean());
        var migrations = root.GetProperty("migrations").EnumerateArray().ToList();
        Assert.Equal(pending, migrations.Select(m => m.GetProperty("id").GetString()));
        Assert.Contains(migrations, m => m.GetProperty("action").GetString() == "apply");
        Assert.All(migrations.Where(m => m.GetProperty("action").GetString() == "adopt"),
            m => Assert.Empty(m.GetProperty("statements").EnumerateArray()));

        var statements = migrations.SelectMany(m => m.GetProperty("statements").EnumerateArray()).ToList();
        // Each column added to streamers takes ACCESS EXCLUSIVE on it, instantly (a catalog change, no rewrite).
        var addsColumn = Assert.Single(statements, s => Reasons(s).Any(r => r.StartsWith("adds column streamers.", StringComparison.Ordinal)));
        // Its own lock, not only the engine's lock-up-front of the step (which names several tables).
        Assert.Contains(addsColumn.GetProperty("locks").EnumerateArray(), l => l.GetProperty("table").GetString() == "streamers"
            && l.GetProperty("mode").GetString() == LockModes.AccessExclusive && l.GetProperty("why").GetString()!.StartsWith("ADD COLUMN ", StringComparison.Ordinal));
        Assert.Equal("instant", addsColumn.GetProperty("duration").GetString());
        Assert.False(addsColumn.GetProperty("rewrites").GetBoolean());
        // Every concurrent build that runs takes SHARE UPDATE EXCLUSIVE on its table alone, outside a transaction.
        var builds = statements.Where(s => s.GetProperty("summary").GetString()!.StartsWith("CREATE ", StringComparison.Ordinal)
                                           && s.GetProperty("summary").GetString()!.Contains(" CONCURRENTLY ", StringComparison.Ordinal)
                                           && s.GetProperty("verdict").GetString() == "run").ToList();
        Assert.NotEmpty(builds);
        Assert.All(builds, b =>
        {
            Assert.Equal([(b.GetProperty("table").GetString()!, LockModes.ShareUpdateExclusive)], Locks(b));
            Assert.Equal("indexBuild", b.GetProperty("work").GetString());
            Assert.False(b.GetProperty("transactional").GetBoolean());
        });

        // The tables: every one a statement locks, with the catalog's row estimate (reltuples after ANALYZE).
        var estimates = await EstimatesAsync(database.ConnectionString);
        var tables = root.GetProperty("tables").EnumerateArray().ToList();
        Assert.Equal(
            statements.Where(s => s.GetProperty("verdict").GetString() != "skip").SelectMany(Locks).Select(l => l.Table).Distinct().Order(StringComparer.Ordinal),
            tables.Select(t => t.GetProperty("name").GetString()));
        Assert.All(tables, t =>
        {
            var name = t.GetProperty("name").GetString()!;
            if (estimates.TryGetValue(name, out var rows))
            {
                Assert.Equal(rows, t.GetProperty("estimatedRows").GetInt64());
                Assert.Equal("reltuples", t.GetProperty("rowsSource").GetString());
                Assert.True(t.GetProperty("sizeBytes").GetInt64() > 0, name);
            }
            else
            {
                Assert.Equal("created by this run", t.GetProperty("rowsSource").GetString());
            }
        });
        Assert.Contains(tables, t => t.GetProperty("name").GetString() == "streams" && t.GetProperty("estimatedRows").GetInt64() > 0);

        // Its rows hold nothing the run would stop at; what the statistics cannot judge (a key over several columns) is
        // listed apart, never as a refusal.
        Assert.Empty(root.GetProperty("refusals").EnumerateArray());
        var notChecked = root.GetProperty("unchecked").EnumerateArray().ToList();
        Assert.NotEmpty(notChecked);
        Assert.All(notChecked, u =>
        {
            Assert.Equal(MigrationPlan.Unchecked, u.GetProperty("kind").GetString());
            Assert.Contains("): duplicates not estimated", u.GetProperty("message").GetString(), StringComparison.Ordinal);
        });

        Assert.Equal(before, await StateAsync(database.ConnectionString));
    }

    [Fact]
    public async Task Plan_reads_the_live_database_holding_no_lock_stronger_than_access_share()
    {
        await using var database = await AnalyzedJune2025Async();
        var held = new List<(string Relation, string Mode)>();

        var report = await MigrationPlan.ReadAsync(database.ConnectionString, null, whileReading: async pid =>
        {
            await using var connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync();
            await using var locks = new NpgsqlCommand(
                "SELECT coalesce(relation::regclass::text, locktype), mode FROM pg_locks WHERE pid = @pid AND locktype = 'relation'", connection);
            locks.Parameters.AddWithValue("pid", pid);
            await using var reader = await locks.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                held.Add((reader.GetString(0), reader.GetString(1)));
            }
        }, cancellationToken: TestContext.Current.CancellationToken);

        Assert.False(report.UpToDate);
        Assert.Contains(held, l => l.Relation == "applied_migrations");
        Assert.All(held, l => Assert.Equal(("AccessShareLock", l.Relation), (l.Mode, l.Relation)));
    }

    [Fact]
    public async Task Plan_with_check_data_counts_duplicates_under_a_unique_index_to_come()
    {
        await using var database = await AnalyzedJune2025Async();
        await Sql.ExecuteAsync(database.ConnectionString,
            "UPDATE streams SET twitch_stream_id = 'twice' WHERE id IN (SELECT id FROM streams ORDER BY id LIMIT 2)");

        var report = await MigrationPlan.ReadAsync(database.ConnectionString, null, checkData: true, cancellationToken: TestContext.Current.CancellationToken);

        var duplicates = Assert.Single(report.Refusals, r => r.Kind == "duplicates" && r.Message.Contains(" on streams ", StringComparison.Ordinal));
        Assert.True(duplicates.Certain);
        Assert.EndsWith(": 1 value(s) belong to more than one row: twice (2 rows); the run stops before building it", duplicates.Message, StringComparison.Ordinal);
    }

    internal static async Task<TestDatabase> AnalyzedJune2025Async()
    {
        var database = await OperationsDatabases.June2025Async();
        // A copy of a template has no statistics of its own: ANALYZE gives it the estimates a live database has.
        await Sql.ExecuteAsync(database.ConnectionString, "ANALYZE");
        return database;
    }

    private static IEnumerable<string> Reasons(JsonElement statement)
        => statement.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()!);

    private static List<(string Table, string Mode)> Locks(JsonElement statement)
        => [.. statement.GetProperty("locks").EnumerateArray().Select(l => (l.GetProperty("table").GetString()!, l.GetProperty("mode").GetString()!))];

    private static async Task<Dictionary<string, long>> EstimatesAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT relname, reltuples::int8 FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' AND reltuples >= 0", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var estimates = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            estimates[reader.GetString(0)] = reader.GetInt64(1);
        }

        return estimates;
    }

    /// <summary>The catalog (every public table's fingerprint), the ledger rows and the statistics, as one text.</summary>
    private static async Task<string> StateAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' ORDER BY relname COLLATE \"C\"", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var ledger = new List<string>();
        foreach (var table in LedgerTables.Where(tables.Contains))
        {
            await using var rows = new NpgsqlCommand(
                $"SELECT coalesce(string_agg(to_jsonb(t)::text, E'\\n' ORDER BY to_jsonb(t)::text), '') FROM {Sql.Identifier(table)} t", connection);
            var text = (string)(await rows.ExecuteScalarAsync())!;
            ledger.Add(table + ":\n" + text);
        }

        await using var statistics = new NpgsqlCommand(StatisticsQuery, connection);
        return string.Join("\n", [await SchemaFingerprint.CaptureAsync(connectionString, tables), .. ledger, (string)(await statistics.ExecuteScalarAsync())!]);
    }

    [Fact]
    public async Task Plan_of_a_revert_with_check_data_lists_the_tables_whose_rows_refuse_it()
    {
        await using var database = await OperationsDatabases.MigratedFromJune2025Async();

        var report = await MigrationPlan.ReadAsync(database.ConnectionString, "0", checkData: true, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("down", report.Direction);
        Assert.Equal(Infrastructure.Migrations.All().Reverse(), report.Migrations.Select(m => m.Id));
        Assert.All(report.Migrations, m => Assert.Equal(PlannedAction.Revert, m.Action));
        var blockers = report.Refusals.Where(r => r.Kind == "revert").ToList();
        Assert.NotEmpty(blockers);
        Assert.All(blockers, b =>
        {
            Assert.True(b.Certain);
            Assert.StartsWith("the revert to 0 is refused before anything runs: ", b.Message, StringComparison.Ordinal);
        });
        Assert.Contains(blockers, b => b.Message.Contains("table streams holds ", StringComparison.Ordinal));
    }
}

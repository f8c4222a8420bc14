using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;
using StreamVault.Data;

namespace StreamVault.Benchmarks;

/// <summary>The five benchmarks of issue #4. Each compares ours with plain EF Core, each variant on its own database.</summary>
internal sealed partial class Benchmarks(BenchServer server, Settings settings)
{
    private const string BaseSchema = "20240705000000_BaseSchema";
    private const string AddStreamIndices = "20250522000000_AddStreamIndices";
    private const int WarmupRuns = 20;
    private const int CountedRuns = 50;

    private static readonly int AllMigrations = typeof(StreamVaultDbContext).Assembly.GetTypes()
        .Count(t => t.GetCustomAttribute<MigrationAttribute>() is not null);

    /// <summary>1. A run with nothing to do, repeated with new DbContexts on a warm connection pool.</summary>
    public async Task<IEnumerable<Row>> WarmNoOpAsync()
    {
        var databases = new Dictionary<Variant, string>();
        var options = new Dictionary<Variant, DbContextOptions<StreamVaultDbContext>>();
        foreach (var variant in Variant.Both)
        {
            databases[variant] = await server.CreateDatabaseAsync("noop_" + variant.Name);
            options[variant] = variant.Options(server.ConnectionString(databases[variant]));
            await MigrateAsync(options[variant]);
            for (var i = 0; i < WarmupRuns; i++)
            {
                await MigrateAsync(options[variant]);
            }
        }

        // Alternating the variants spreads whatever else the shared machine does evenly over both.
        var times = Variant.Both.ToDictionary(v => v, _ => new List<double>(settings.Iterations));
        for (var i = 0; i < settings.Iterations; i++)
        {
            foreach (var variant in Variant.Both)
            {
                var clock = Stopwatch.StartNew();
                await MigrateAsync(options[variant]);
                times[variant].Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        // Counted in a separate pass: the listener makes Npgsql create activities, which the timed pass should not pay for.
        var statements = new Dictionary<Variant, List<double>>();
        var inSql = new Dictionary<Variant, List<double>>();
        foreach (var variant in Variant.Both)
        {
            using var counter = new StatementCounter(databases[variant]);
            statements[variant] = [];
            inSql[variant] = [];
            for (var i = 0; i < CountedRuns; i++)
            {
                counter.Take();
                counter.TakeDuration();
                await MigrateAsync(options[variant]);
                statements[variant].Add(counter.Take());
                inSql[variant].Add(counter.TakeDuration().TotalMilliseconds);
            }

            await server.DropAsync(databases[variant]);
        }

        var oursMedian = Stats.Median(times[Variant.Ours]);
        var oursStatements = statements[Variant.Ours].Max();
        string Count(Variant v) => statements[v].Min() == statements[v].Max()
            ? Int(statements[v].Max())
            : $"{Int(statements[v].Min())}–{Int(statements[v].Max())}";
        var title = $"1. warm no-op migrate (N={Int(settings.Iterations)})";
        return
        [
            new(title, "median wall time", Stats.Ms(oursMedian), Stats.Ms(Stats.Median(times[Variant.Plain])), "≤ 2 ms", oursMedian <= 2),
            new(title, "p99 wall time", Stats.Ms(Stats.Percentile(times[Variant.Ours], 99)), Stats.Ms(Stats.Percentile(times[Variant.Plain], 99))),
            new(title, "SQL statements per run", Count(Variant.Ours), Count(Variant.Plain), "≤ 3", oursStatements <= 3),
            new(title, $"median time inside those statements (separate pass of {Int(CountedRuns)})",
                Stats.Ms(Stats.Median(inSql[Variant.Ours])), Stats.Ms(Stats.Median(inSql[Variant.Plain]))),
        ];
    }

    /// <summary>2. Every migration on an empty database.</summary>
    public async Task<IEnumerable<Row>> EmptyToAllAsync()
    {
        // One unmeasured run per variant, so neither pays for JIT and model building in the figures.
        foreach (var variant in Variant.Both)
        {
            var scratch = await server.CreateDatabaseAsync("warm_" + variant.Name);
            await MigrateAsync(variant.Options(server.ConnectionString(scratch)));
            await server.DropAsync(scratch);
        }

        var times = await RepeatAsync("empty", template: null, async (variant, cs) =>
        {
            var options = variant.Options(cs);
            var clock = Stopwatch.StartNew();
            await MigrateAsync(options);
            var elapsed = clock.Elapsed.TotalMilliseconds;
            await ExpectHistoryAsync(cs, AllMigrations);
            return elapsed;
        });
        return [new("2. empty database → all migrations", "wall time", Stats.MedianWithRange(times[Variant.Ours]), Stats.MedianWithRange(times[Variant.Plain]))];
    }

    /// <summary>3. Adopting a June 2025 database of the Python app holding 200k streams.</summary>
    public async Task<IEnumerable<Row>> AdoptJune2025Async()
    {
        var template = await server.CreateDatabaseAsync("tpl_june");
        var templateCs = server.ConnectionString(template);
        await BenchServer.ExecuteAsync(templateCs, ReadSql("june-2025.sql"));
        await LoadStreamsAsync(templateCs, settings.JuneStreams);
        BenchServer.ReleasePooledConnections();

        var times = await RepeatAsync("june", template, async (variant, cs) =>
        {
            var options = variant.Options(cs);
            var clock = Stopwatch.StartNew();
            await MigrateAsync(options);
            var elapsed = clock.Elapsed.TotalMilliseconds;
            await ExpectHistoryAsync(cs, AllMigrations);
            return elapsed;
        });
        await server.DropAsync(template);
        return
        [
            new($"3. June 2025 database, {Int(settings.JuneStreams)} streams → adopted", "wall time",
                Stats.MedianWithRange(times[Variant.Ours]), Stats.MedianWithRange(times[Variant.Plain])),
        ];
    }

    /// <summary>
    /// 4. The stream indexes built on a large streams table while an application keeps inserting. Ours runs the
    /// real AddStreamIndices migration (CREATE INDEX CONCURRENTLY); plain runs what EF's default CreateIndex
    /// migration would: the SQL EF's generator makes for the three CreateIndexOperations, in one transaction.
    /// </summary>
    public async Task<IEnumerable<Row>> IndicesUnderLoadAsync()
    {
        var template = await server.CreateDatabaseAsync("tpl_large");
        var templateCs = server.ConnectionString(template);
        await using (var context = Variant.Ours.Context(templateCs))
        {
            await context.Database.MigrateAsync(BaseSchema);
        }

        await LoadStreamsAsync(templateCs, settings.LargeStreams);
        BenchServer.ReleasePooledConnections();
        var plainSql = PlainIndexMigrationSql(templateCs);

        var runs = new Dictionary<Variant, List<IndexRun>> { [Variant.Ours] = [], [Variant.Plain] = [] };
        await RepeatAsync("large", template, async (variant, cs) =>
        {
            var inserter = new Inserter();
            await inserter.StartAsync(cs);
            await Task.Delay(TimeSpan.FromSeconds(1));
            var migrationStart = Stopwatch.GetTimestamp();
            if (variant == Variant.Ours)
            {
                await using var context = Variant.Ours.Context(cs);
                await context.Database.MigrateAsync(AddStreamIndices);
            }
            else
            {
                await RunInOneTransactionAsync(cs, plainSql);
            }

            var migrationEnd = Stopwatch.GetTimestamp();
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            var samples = await inserter.StopAsync();
            await ExpectValidStreamIndicesAsync(cs);
            var run = IndexRun.From(samples, migrationStart, migrationEnd);
            runs[variant].Add(run);
            return run.DurationMs;
        });
        await server.DropAsync(template);

        List<double> Of(Variant v, Func<IndexRun, double> metric) => runs[v].Select(metric).ToList();
        var oursWorstStall = runs[Variant.Ours].Max(r => r.MaxMs);
        var title = $"4. stream indices on {Int(settings.LargeStreams)} rows under inserts";
        return
        [
            new(title, "max insert latency during migration", Stats.MedianWithRange(Of(Variant.Ours, r => r.MaxMs)),
                Stats.MedianWithRange(Of(Variant.Plain, r => r.MaxMs)), "≤ 100 ms (worst run)", oursWorstStall <= 100),
            new(title, "p99 insert latency during migration", Stats.MedianWithRange(Of(Variant.Ours, r => r.P99Ms)),
                Stats.MedianWithRange(Of(Variant.Plain, r => r.P99Ms))),
            new(title, "inserts completed during migration", Ints(Of(Variant.Ours, r => r.Inserts)), Ints(Of(Variant.Plain, r => r.Inserts))),
            new(title, "p99 insert latency before migration (baseline)", Stats.MedianWithRange(Of(Variant.Ours, r => r.BaselineP99Ms)),
                Stats.MedianWithRange(Of(Variant.Plain, r => r.BaselineP99Ms))),
            new(title, "migration duration", Stats.MedianWithRange(Of(Variant.Ours, r => r.DurationMs)),
                Stats.MedianWithRange(Of(Variant.Plain, r => r.DurationMs))),
        ];
    }

    /// <summary>5. Several runners (replicas) migrating one empty database at the same moment.</summary>
    public async Task<IEnumerable<Row>> ConcurrentRunnersAsync()
    {
        var outcomes = new Dictionary<Variant, List<RunnersOutcome>> { [Variant.Ours] = [], [Variant.Plain] = [] };
        await RepeatAsync("runners", template: null, async (variant, cs) =>
        {
            var outcome = await RunTogetherAsync(variant, cs);
            outcome = outcome with { HistoryRows = await HistoryRowsAsync(cs) };
            outcomes[variant].Add(outcome);
            return 0;
        });

        string Summary(Variant v)
        {
            var all = outcomes[v];
            var text = $"{Int(all.Sum(o => o.Succeeded))} succeeded, {Int(all.Sum(o => o.Failed))} failed"
                       + $" (of {Int(all.Count * settings.Runners)}); migrations applied per run: {string.Join("/", all.Select(o => Int(o.Applied)))}"
                       + $" (expected {Int(AllMigrations)}); history rows: {string.Join("/", all.Select(o => o.HistoryRows is { } h ? Int(h) : "none"))}";
            var firstError = all.Select(o => o.FirstError).FirstOrDefault(e => e is not null);
            var kinds = all.SelectMany(o => o.ErrorKinds).GroupBy(k => k).OrderByDescending(g => g.Count())
                .Select(g => $"{Int(g.Count())}× {g.Key}");
            return firstError is null ? text : $"{text}; errors: {string.Join(", ", kinds)}; first error: `{firstError}`";
        }

        var oursClean = outcomes[Variant.Ours].All(o => o.Failed == 0 && o.Applied == AllMigrations && o.HistoryRows == AllMigrations);
        return
        [
            new($"5. {Int(settings.Runners)} concurrent runners, empty database", "outcome", Summary(Variant.Ours), Summary(Variant.Plain),
                "all succeed, each migration once", oursClean),
            new($"5. {Int(settings.Runners)} concurrent runners, empty database", "wall time until all finished",
                Stats.MedianWithRange(outcomes[Variant.Ours].Select(o => o.WallMs).ToList()),
                Stats.MedianWithRange(outcomes[Variant.Plain].Select(o => o.WallMs).ToList())),
        ];
    }

    private async Task<RunnersOutcome> RunTogetherAsync(Variant variant, string cs)
    {
        var applied = 0;
        var builder = variant.Builder(cs);
        builder.LogTo((id, _) => id == RelationalEventId.MigrationApplying, _ => Interlocked.Increment(ref applied));
        var options = builder.Options;

        // An async barrier: every runner has its context before any starts, then all are released at once.
        var ready = 0;
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var clock = new Stopwatch();
        var runners = Enumerable.Range(0, settings.Runners).Select(_ => Task.Run(async () =>
        {
            await using var context = new StreamVaultDbContext(options);
            if (Interlocked.Increment(ref ready) == settings.Runners)
            {
                clock.Start();
                go.SetResult();
            }

            await go.Task;
            try
            {
                await context.Database.MigrateAsync(timeout.Token);
                return (Failure: (Exception?)null, At: clock.Elapsed);
            }
#pragma warning disable CA1031 // Whatever a runner fails with is the result being measured, so every exception is recorded.
            catch (Exception e)
#pragma warning restore CA1031
            {
                return (Failure: e, At: clock.Elapsed);
            }
        })).ToList();
        var results = await Task.WhenAll(runners);
        var wall = clock.Elapsed.TotalMilliseconds;
        var failures = results.Where(r => r.Failure is not null).OrderBy(r => r.At).ToList();
        return new RunnersOutcome(
            results.Length - failures.Count, failures.Count, applied,
            failures.Select(f => Describe(f.Failure!)).FirstOrDefault(), [.. failures.Select(f => Kind(f.Failure!))], wall, HistoryRows: null);
    }

    /// <summary>Runs <paramref name="measure"/> for both variants, alternating, each time on a fresh database.</summary>
    private async Task<Dictionary<Variant, List<double>>> RepeatAsync(
        string label, string? template, Func<Variant, string, Task<double>> measure)
    {
        var results = new Dictionary<Variant, List<double>> { [Variant.Ours] = [], [Variant.Plain] = [] };
        for (var repeat = 0; repeat < settings.Repeats; repeat++)
        {
            // Alternating which variant goes first keeps a slow moment of the shared machine from always hitting one.
            var order = repeat % 2 == 0 ? Variant.Both : Variant.Both.Reverse().ToList();
            foreach (var variant in order)
            {
                var database = await server.CreateDatabaseAsync($"{label}_{variant.Name}", template);
                var cs = server.ConnectionString(database);
                // Flushing the clone's dirty pages now keeps a checkpoint from landing inside the measurement.
                await BenchServer.ExecuteAsync(server.AdminConnectionString, "CHECKPOINT");
                results[variant].Add(await measure(variant, cs));
                await server.DropAsync(database);
                Console.Error.WriteLine($"  {label} {variant.Name} #{Int(repeat + 1)} done");
            }
        }

        return results;
    }

    private static async Task MigrateAsync(DbContextOptions<StreamVaultDbContext> options)
    {
        await using var context = new StreamVaultDbContext(options);
        await context.Database.MigrateAsync();
    }

    /// <summary>Streamers and streams rows as the app writes them, vacuumed so no hint-bit writes land in a measurement.</summary>
    private static async Task LoadStreamsAsync(string cs, int streams)
    {
        await BenchServer.ExecuteAsync(cs, $"""
            INSERT INTO streamers (twitch_id, username, is_live, title, category_name, language)
            SELECT 'tw-' || g, 'streamer_' || g, false, 'title ' || g, 'Just Chatting', 'en'
            FROM generate_series(1, 10) AS g;
            INSERT INTO streams (streamer_id, title, category_name, language, started_at, ended_at, twitch_stream_id)
            SELECT (SELECT min(id) FROM streamers) + (g % 10), 'stream ' || md5(g::text), 'Just Chatting', 'en',
                   timestamptz '2024-01-01 00:00:00+00' + g * interval '1 minute',
                   timestamptz '2024-01-01 02:00:00+00' + g * interval '1 minute', 'tw-stream-' || g
            FROM generate_series(1, {streams}) AS g;
            """);
        await BenchServer.ExecuteAsync(cs, "VACUUM (FREEZE, ANALYZE)");
    }

    /// <summary>What plain EF Core would run for AddStreamIndices written with migrationBuilder.CreateIndex.</summary>
    private static List<string> PlainIndexMigrationSql(string cs)
    {
        using var context = Variant.Plain.Context(cs);
        var operations = new MigrationBuilder(context.Database.ProviderName);
        operations.CreateIndex("idx_streams_streamer_id", "streams", "streamer_id");
        operations.CreateIndex("idx_streams_started_at", "streams", "started_at");
        operations.CreateIndex("idx_streams_title", "streams", "title");
        var sql = context.GetService<IMigrationsSqlGenerator>()
            .Generate(operations.Operations)
            .Select(c => c.CommandText)
            .ToList();
        var version = typeof(DbContext).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        // EF records the migration in its history table inside the same transaction.
        sql.Add(context.GetService<IHistoryRepository>().GetInsertScript(new HistoryRow(AddStreamIndices, version.Split('+')[0])));
        return sql;
    }

    private static async Task RunInOneTransactionAsync(string cs, IEnumerable<string> statements)
    {
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var sql in statements)
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
            await command.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    private static async Task ExpectValidStreamIndicesAsync(string cs)
    {
        var valid = await BenchServer.ScalarAsync<long>(cs, """
            SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
            WHERE c.relname IN ('idx_streams_streamer_id', 'idx_streams_started_at', 'idx_streams_title') AND i.indisvalid
            """);
        if (valid != 3)
        {
            throw new InvalidOperationException($"expected 3 valid stream indexes, found {Int(valid)}");
        }
    }

    private static async Task ExpectHistoryAsync(string cs, int expected)
    {
        var rows = await HistoryRowsAsync(cs);
        if (rows != expected)
        {
            throw new InvalidOperationException($"expected {Int(expected)} history rows, found {(rows is { } r ? Int(r) : "no history table")}");
        }
    }

    private static async Task<long?> HistoryRowsAsync(string cs)
    {
        var exists = await BenchServer.ScalarAsync<bool>(cs, "SELECT to_regclass('\"__EFMigrationsHistory\"') IS NOT NULL");
        return exists ? await BenchServer.ScalarAsync<long>(cs, "SELECT count(*) FROM \"__EFMigrationsHistory\"") : null;
    }

    private static string ReadSql(string name)
    {
        using var stream = typeof(Benchmarks).Assembly.GetManifestResourceStream("Sql/" + name)
                           ?? throw new InvalidOperationException($"embedded resource Sql/{name} is missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static string Describe(Exception failure)
    {
        for (var e = failure; e is not null; e = e.InnerException)
        {
            if (e is PostgresException pg)
            {
                // The deadlock detail names both sessions' statements: the first of them is enough to tell the story.
                var detail = pg.Detail is { Length: > 0 } d ? " — " + Shorten(d.Split('\n')[0], 200) : "";
                return $"{pg.SqlState}: {pg.MessageText}{detail}";
            }
        }

        return $"{failure.GetType().Name}: {Shorten(failure.Message.Split('\n')[0], 200)}";
    }

    private static string Kind(Exception failure)
    {
        for (var e = failure; e is not null; e = e.InnerException)
        {
            if (e is PostgresException pg)
            {
                return pg.SqlState + (pg.ConstraintName is { } constraint ? $" on {constraint}" : "");
            }
        }

        return failure.GetType().Name;
    }

    private static string Shorten(string text, int length) => text.Length <= length ? text : text[..length] + "…";

    private static string Int(double value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    private static string Ints(IEnumerable<double> values) => string.Join(" / ", values.Select(Int));

    private sealed record RunnersOutcome(
        int Succeeded, int Failed, int Applied, string? FirstError, IReadOnlyList<string> ErrorKinds, double WallMs, long? HistoryRows);

    private sealed record IndexRun(double MaxMs, double P99Ms, double Inserts, double BaselineP99Ms, double DurationMs)
    {
        /// <summary>Inserts that overlap the migration (an insert blocked at its start counts too).</summary>
        public static IndexRun From(IReadOnlyList<(long Start, long End)> samples, long migrationStart, long migrationEnd)
        {
            static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
            var during = samples.Where(s => s.Start < migrationEnd && s.End > migrationStart).Select(s => Ms(s.End - s.Start)).ToList();
            var before = samples.Where(s => s.End <= migrationStart).Select(s => Ms(s.End - s.Start)).ToList();
            return new IndexRun(
                during.Count == 0 ? double.NaN : during.Max(), Stats.Percentile(during, 99), during.Count,
                Stats.Percentile(before, 99), Ms(migrationEnd - migrationStart));
        }
    }
}

using System.Diagnostics;
using Npgsql;
using StreamVault.Data.Engine;

namespace StreamVault.Data.Operations;

/// <summary>
/// Hears the rehearsal's run (as its <see cref="StreamVaultDataOptions.Progress"/>) and measures each statement on the
/// run's own connection: the tables' file nodes before and after (a rewrite changes them), the table locks the session
/// holds when it ends (in a transaction they stay held to its end), and, through a <see cref="LockSampler"/> on a
/// second session, the locks of statements outside a transaction and how long each lock was held.
/// </summary>
internal sealed class RehearsalObserver(NpgsqlDataSource dataSource) : IMigrationProgress, IStatementObserver, IAsyncDisposable
{
    private const string FileNodesQuery = """
        SELECT c.relname, c.relfilenode::int8
        FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'
        """;

    private const string OwnLocksQuery = """
        SELECT c.relname, l.mode
        FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
        WHERE l.pid = pg_backend_pid() AND l.granted AND l.locktype = 'relation'
          AND c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
        """;

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<Migration> _migrations = [];
    private LockSampler? _sampler;
    private Statement? _current;

    public void MigrationStarting(string migrationId, bool reverting) => _migrations.Add(new Migration(migrationId, _clock.Elapsed));

    public void NothingToApply()
    {
    }

    public void MigrationAdopted(string migrationId, DateTimeOffset? appliedByAppAt)
    {
        if (_migrations.LastOrDefault() is { } migration && migration.Id == migrationId)
        {
            migration.Adopted = true;
        }
    }

    public void StatementStarting(StatementRun statement, NpgsqlConnection connection)
    {
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(connection);
        _sampler ??= new LockSampler(_clock);
        _sampler.Start(dataSource, connection.ProcessID);
        _current = new Statement(statement, FileNodes(connection), _clock.Elapsed);
        if (_migrations.LastOrDefault() is { } migration && migration.Id == statement.MigrationId)
        {
            migration.Statements.Add(_current);
        }
    }

    public void StatementFinished(StatementRun statement, NpgsqlConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (_current is not { } current)
        {
            return;
        }

        current.End = _clock.Elapsed;
        current.After = FileNodes(connection);
        if (statement?.Transactional == true)
        {
            current.HeldAtEnd.UnionWith(OwnLocks(connection));
        }
    }

    public void StatementFailed(StatementRun statement)
    {
        if (_current is { } current)
        {
            current.End = _clock.Elapsed;
            current.Failed = true;
        }
    }

    /// <summary>What was measured, once the run has returned (or thrown).</summary>
    public async Task<IReadOnlyList<RehearsedMigration>> MeasurementsAsync()
    {
        var end = _clock.Elapsed;
        if (_sampler is not null)
        {
            await _sampler.DisposeAsync();
        }

        var result = new List<RehearsedMigration>();
        for (var i = 0; i < _migrations.Count; i++)
        {
            var migration = _migrations[i];
            var migrationEnd = i + 1 < _migrations.Count ? _migrations[i + 1].Start : end;
            result.Add(new RehearsedMigration(
                migration.Id, migration.Adopted, Milliseconds(migrationEnd - migration.Start),
                [.. migration.Statements.Select(s => Measured(s, migrationEnd))]));
        }

        return result;
    }

    public async ValueTask DisposeAsync()
    {
        if (_sampler is not null)
        {
            await _sampler.DisposeAsync();
        }
    }

    private RehearsedStatement Measured(Statement statement, TimeSpan migrationEnd)
    {
        var end = statement.End ?? migrationEnd;
        var sightings = _sampler?.During(statement.Start, end) ?? [];
        var seen = statement.HeldAtEnd.Concat(sightings.Select(s => (s.Table, s.Mode))).Distinct().ToList();
        var locks = seen
            .Select(l => new ObservedLock(l.Item1, l.Item2, HeldMs(l, sightings, statement.Start, end)))
            .OrderBy(l => l.Table, StringComparer.Ordinal)
            .ThenByDescending(l => LockModes.Strength(l.Mode))
            .ToList();
        var after = statement.After ?? statement.Before;
        var names = locks.Select(l => l.Table)
            .Concat(after.Where(a => statement.Before.TryGetValue(a.Key, out var before) && before != a.Value).Select(a => a.Key))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        var tables = names
            .Select(t => new TableRewrite(t, statement.Before.TryGetValue(t, out var b) ? b : null, after.TryGetValue(t, out var a) ? a : null))
            .ToList();
        return new RehearsedStatement(
            statement.Run.Index, Summary(statement.Run.Sql), statement.Run.SkippedByEngine, Milliseconds(end - statement.Start), locks, tables, statement.Failed);
    }

    /// <summary>How long the second session saw the lock held (first to last sample); at least the statement's own time when it saw it only once or not at all.</summary>
    private static long HeldMs((string Table, string Mode) held, IReadOnlyList<LockSampler.Sighting> sightings, TimeSpan start, TimeSpan end)
    {
        var sampled = sightings.Where(s => s.Table == held.Table && s.Mode == held.Mode).Select(s => s.To - s.From).DefaultIfEmpty(TimeSpan.Zero).Max();
        return Milliseconds(sampled > end - start ? sampled : end - start);
    }

    private static long Milliseconds(TimeSpan span) => (long)Math.Max(0, Math.Round(span.TotalMilliseconds));

    private static string Summary(string sql)
        => sql.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";

    private static Dictionary<string, long> FileNodes(NpgsqlConnection connection)
    {
        var nodes = new Dictionary<string, long>(StringComparer.Ordinal);
        using var command = new NpgsqlCommand(FileNodesQuery, connection);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            nodes[reader.GetString(0)] = reader.GetInt64(1);
        }

        return nodes;
    }

    private static List<(string, string)> OwnLocks(NpgsqlConnection connection)
    {
        var locks = new List<(string, string)>();
        using var command = new NpgsqlCommand(OwnLocksQuery, connection);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            locks.Add((reader.GetString(0), LockModes.FromPgLocks(reader.GetString(1))));
        }

        return locks;
    }

    private sealed class Migration(string id, TimeSpan start)
    {
        public string Id { get; } = id;

        public TimeSpan Start { get; } = start;

        public bool Adopted { get; set; }

        public List<Statement> Statements { get; } = [];
    }

    private sealed class Statement(StatementRun run, Dictionary<string, long> before, TimeSpan start)
    {
        public StatementRun Run { get; } = run;

        public Dictionary<string, long> Before { get; } = before;

        public TimeSpan Start { get; } = start;

        public TimeSpan? End { get; set; }

        public Dictionary<string, long>? After { get; set; }

        public HashSet<(string, string)> HeldAtEnd { get; } = [];

        public bool Failed { get; set; }
    }
}

using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;
using StreamVault.Data.Ledger;

namespace StreamVault.Data.Engine;

/// <summary>
/// How a transactional step (of a migration or a repair) takes its table locks so that the running app's
/// transactions are never its deadlock victims (issue #18). A step that changes one table waits for that table's lock
/// holding no other, as any single statement does. A step that names two or more of the model's tables would otherwise
/// hold the first table's ACCESS EXCLUSIVE while it waits for the second, while an app transaction holding the
/// second waits for the first: the app's deadlock check then kills the app's transaction. So such a step:
/// <list type="number">
/// <item>rehearses its statements in a read-only savepoint: PostgreSQL refuses DDL in a read-only transaction before
/// it takes the table lock, so a step whose guards find everything present runs to the end there and is known to
/// change nothing (it then runs as it is and takes no table lock), while a step with work stops at its first change;</item>
/// <item>with work to do, locks the tables it names up front, one after the other: it waits (within
/// <c>lock_timeout</c>) only for the first, holding nothing, and takes every other with <c>NOWAIT</c>; a busy table
/// fails the attempt at once, and the retry waits for that table first;</item>
/// <item>then runs its statements with <c>lock_timeout</c> 1 ms, so no statement queues behind anything while the
/// step holds its tables.</item>
/// </list>
/// </summary>
internal sealed class StepLocks
{
    /// <summary>Set on the savepoint the rehearsal runs in; never in a migration's own SQL.</summary>
    private const string Savepoint = "streamvault_rehearsal";

    private readonly string[] _tables;
    private readonly IReadOnlyList<string> _statements;
    private string? _busy;

    private StepLocks(string[] tables, IReadOnlyList<string> statements)
    {
        _tables = tables;
        _statements = statements;
    }

    /// <summary>The model tables the step's statements name, in the order they first appear.</summary>
    public IReadOnlyList<string> Tables => _tables;

    /// <summary>
    /// The lock plan of a step made of <paramref name="statements"/> (its own SQL, not the history and ledger writes that
    /// EF appends to a migration's last step): which of <paramref name="modelTables"/> they name.
    /// </summary>
    public static StepLocks For(IReadOnlyList<string> statements, IEnumerable<string> modelTables)
    {
        ArgumentNullException.ThrowIfNull(statements);
        ArgumentNullException.ThrowIfNull(modelTables);
        var named = new List<(int Position, string Table)>();
        foreach (var table in modelTables.Distinct(StringComparer.Ordinal))
        {
            var first = statements
                .Select((sql, i) => (Index: i, Match: Word(table).Match(sql)))
                .FirstOrDefault(m => m.Match.Success);
            if (first.Match is { Success: true } match)
            {
                named.Add(((first.Index * 1_000_000) + match.Index, table));
            }
        }

        return new StepLocks([.. named.OrderBy(n => n.Position).Select(n => n.Table)], statements);
    }

    /// <summary>Whether the step needs the lock-up-front path (it names two or more model tables).</summary>
    public bool SpansTables => _tables.Length > 1;

    /// <summary>
    /// Runs at the start of the step's transaction, after its SET LOCAL timeouts: rehearses, locks up front, and tightens
    /// the statements' lock_timeout, as the class summary says. Lock timeouts and busy tables surface as 55P03, which the
    /// caller's retry handles; the next attempt waits for the busy table first.
    /// </summary>
    public async Task PrepareAsync(NpgsqlConnection connection, bool async, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (!SpansTables || !await ChangesSomethingAsync(connection, async, cancellationToken))
        {
            return;
        }

        var existing = await ExistingAsync(connection, async, cancellationToken);
        var order = existing.Contains(_busy ?? "", StringComparer.Ordinal)
            ? existing.Where(t => t == _busy).Concat(existing.Where(t => t != _busy)).ToList()
            : existing;
        for (var i = 0; i < order.Count; i++)
        {
            try
            {
                // The first lock is waited for (lock_timeout) holding nothing; any other wait would hold the first.
                await ExecuteAsync(connection, string.Create(CultureInfo.InvariantCulture,
                    $"LOCK TABLE {Sql.Identifier(order[i])} IN ACCESS EXCLUSIVE MODE{(i == 0 ? "" : " NOWAIT")}"), async, cancellationToken);
            }
            catch (PostgresException busy) when (busy.SqlState == PostgresErrorCodes.LockNotAvailable)
            {
                _busy = order[i];
                throw;
            }
        }

        _busy = null;
        await ExecuteAsync(connection, "SET LOCAL lock_timeout = 1", async, cancellationToken);
    }

    /// <summary>
    /// Runs the step's statements in a read-only savepoint and rolls them back: true when they tried to change something
    /// (25006) or failed otherwise (the real run then fails the same way, under its locks), false when their guards let
    /// every statement through unchanged. A lock timeout or a broken connection is the step's own outcome and propagates.
    /// </summary>
    private async Task<bool> ChangesSomethingAsync(NpgsqlConnection connection, bool async, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, $"SAVEPOINT {Savepoint}; SET LOCAL transaction_read_only = on", async, cancellationToken);
        var changes = false;
        try
        {
            foreach (var statement in _statements)
            {
                await ExecuteAsync(connection, statement, async, cancellationToken);
            }
        }
        catch (PostgresException refused) when (refused.SqlState is not (PostgresErrorCodes.LockNotAvailable or PostgresErrorCodes.DeadlockDetected)
                                                && !MigrationFailure.IsInterruption(refused))
        {
            changes = true;
        }

        // Undoes the read-only setting with the rest, and releases the weak locks the guards took.
        await ExecuteAsync(connection, $"ROLLBACK TO SAVEPOINT {Savepoint}; RELEASE SAVEPOINT {Savepoint}", async, cancellationToken);
        return changes;
    }

    private async Task<List<string>> ExistingAsync(NpgsqlConnection connection, bool async, CancellationToken cancellationToken)
    {
        var values = string.Join(", ", _tables.Select((t, i) => string.Create(CultureInfo.InvariantCulture, $"({i}, {LedgerSql.Literal(t)})")));
        await using var command = new NpgsqlCommand(
            $"SELECT name FROM (VALUES {values}) AS t (position, name) WHERE to_regclass(quote_ident(name)) IS NOT NULL ORDER BY position",
            connection);
        await using var reader = async ? await command.ExecuteReaderAsync(cancellationToken) : command.ExecuteReader();
        var existing = new List<string>(_tables.Length);
        while (async ? await reader.ReadAsync(cancellationToken) : reader.Read())
        {
            existing.Add(reader.GetString(0));
        }

        return existing;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, bool async, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        _ = async ? await command.ExecuteNonQueryAsync(cancellationToken) : command.ExecuteNonQuery();
    }

    /// <summary>The table's name as a whole SQL word (quoted or not, any case): streams, not stream_events or streams_pkey.</summary>
    private static Regex Word(string table)
        => new($"(?<![A-Za-z0-9_$]){Regex.Escape(table)}(?![A-Za-z0-9_$])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
}

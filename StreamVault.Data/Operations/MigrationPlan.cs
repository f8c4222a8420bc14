using System.Data;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;
using StreamVault.Data.Engine;
using StreamVault.Data.Ledger;
using StreamVault.Data.Migrations;

namespace StreamVault.Data.Operations;

/// <summary>
/// <c>plan [target]</c>: what <c>migrate [target]</c> would do, decided from the catalog without running anything. In
/// one read-only transaction it reads EF history and the ledger (as status does), the catalog, the planner's
/// statistics and each touched table's size; it reads no other table and takes no lock beyond the catalog's and the
/// ACCESS SHARE a size or a history read takes. <c>--check-data</c> adds the checks that need the rows themselves
/// (duplicates under a unique index to come, a revert's rows), which read those tables.
/// </summary>
internal static partial class MigrationPlan
{
    /// <summary>
    /// The kind of a check the plan could not make from the statistics (a multi-column key, a table never analyzed): not a
    /// refusal, since nothing says the run will stop, so it is listed apart; <c>--check-data</c> makes it.
    /// </summary>
    internal const string Unchecked = "unchecked";

    /// <summary>Plans the run to <paramref name="target"/> (null: the latest; <c>0</c>: revert all).</summary>
    /// <param name="connectionString">The live database.</param>
    /// <param name="target">EF id, name or ledger name of the target, <c>0</c>, or null.</param>
    /// <param name="checkData">Also read the tables a refusal depends on (duplicates, a revert's rows).</param>
    /// <param name="options">Engine options (a custom migrations assembly).</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <param name="whileReading">Called with the reading session's pid before its transaction ends (tests look at pg_locks there).</param>
    /// <exception cref="ArgumentException">The target names no migration.</exception>
    public static async Task<PlanReport> ReadAsync(
        string connectionString, string? target, bool checkData = false, OperationOptions? options = null, Func<int, Task>? whileReading = null,
        CancellationToken cancellationToken = default)
    {
        using var operation = OperationContext.Create(connectionString, options);
        var migrations = operation.Context.GetService<IMigrationsAssembly>();
        var generator = operation.Context.GetService<IMigrationsSqlGenerator>();
        var provider = operation.Context.Database.ProviderName!;
        var ids = operation.Catalog.Select(e => e.MigrationId).ToList();
        var targetId = target is null or "0" ? target : MigrationNames.Resolve(ids, target)
            ?? throw new ArgumentException($"unknown migration '{target}'", nameof(target));

        await using var connection = await operation.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        await ExecuteAsync(connection, "SET TRANSACTION READ ONLY", cancellationToken);
        var state = await MigrationState.ReadAsync(connection, HistoryTable.Default, cancellationToken, withLegacy: false);
        var view = MigrationView.Of(operation.Catalog, state);
        var applied = view.Applied.Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        var toApply = view.Migrations.Where(m => !applied.Contains(m.Id)
                                                 && (targetId is null || (targetId != "0" && string.CompareOrdinal(m.Id, targetId) <= 0))).ToList();
        var toRevert = targetId is null ? [] : view.Applied
            .Where(m => targetId == "0" || string.CompareOrdinal(m.Id, targetId) > 0)
            .Reverse()
            .ToList();

        var snapshot = await CatalogSnapshot.ReadAsync(connection, async: true, cancellationToken);
        var planner = new StatementPlanner(connection, new PlannedCatalog(snapshot), operation.Tables, inTransaction: true);
        var planned = new List<PlannedMigration>();
        var refusals = new List<PlanFinding>();
        var notChecked = new List<PlanFinding>();
        foreach (var standing in toRevert)
        {
            var migration = migrations.CreateMigration(migrations.Migrations[standing.Id], provider);
            var statements = generator.Generate(migration.DownOperations).Select(c => StatementParser.Parse(c.CommandText, !c.TransactionSuppressed)).ToList();
            planned.Add(new PlannedMigration(standing.Id, standing.Entry.LedgerName, PlannedAction.Revert, null,
                await planner.PlanAsync(standing.Id, statements, async: true, cancellationToken)));
        }

        if (toRevert.Count > 0)
        {
            var newestFirst = toRevert.Select(m => migrations.CreateMigration(migrations.Migrations[m.Id], provider)).ToList();
            var blockers = RevertPlan.Blockers(connection, newestFirst, checkData ? null : t => EstimatedRows(connection, snapshot, t));
            refusals.AddRange(blockers.Select(b => new PlanFinding(
                Regex.Match(b, @"\((\w+)\)$").Groups[1].Value, "revert", $"the revert to {targetId} is refused before anything runs: {b}", Certain: checkData)));
        }

        foreach (var standing in toApply)
        {
            var migration = migrations.CreateMigration(migrations.Migrations[standing.Id], provider);
            var note = standing.State == MigrationStateKind.Failed ? $"failed before ({standing.Row?.Error}); the run tries it again" : null;
            if (migration is IAdoptableMigration adoptable && await AdoptedAsync(connection, planner.Catalog, adoptable.PresenceCheck, cancellationToken) is { } why)
            {
                planned.Add(new PlannedMigration(standing.Id, standing.Entry.LedgerName, PlannedAction.Adopt, why, []));
                continue;
            }

            var statements = generator.Generate(migration.UpOperations).Select(c => StatementParser.Parse(c.CommandText, !c.TransactionSuppressed)).ToList();
            planned.Add(new PlannedMigration(standing.Id, standing.Entry.LedgerName, PlannedAction.Apply, note,
                await planner.PlanAsync(standing.Id, statements, async: true, cancellationToken)));
        }

        foreach (var migration in planned)
        {
            refusals.AddRange(migration.Statements.SelectMany(s => s.Findings));
            foreach (var key in migration.Statements.Where(s => s.Verdict == StatementVerdict.Run).SelectMany(s => s.UniqueKeys))
            {
                if (await DuplicatesAsync(connection, snapshot, migration.Id, key, checkData, cancellationToken) is { } duplicates)
                {
                    (duplicates.Kind == Unchecked ? notChecked : refusals).Add(duplicates);
                }
            }
        }

        var tables = await TablesAsync(connection, planner.Catalog, planned, cancellationToken);
        if (whileReading is not null)
        {
            await whileReading(connection.ProcessID);
        }

        await transaction.CommitAsync(cancellationToken);
        return new PlanReport(
            operation.Database, operation.Server, target, toRevert.Count > 0 ? "down" : planned.Count > 0 ? "up" : "none",
            view.Pending.Count + view.Failed.Count > 0, checkData, planned, tables, refusals, notChecked, LedgerNote(view));
    }

    /// <summary>
    /// Why an adoptable migration will be adopted, or null when it will run: its presence check is true now, or every
    /// object the check requires is created by a migration planned before it.
    /// </summary>
    private static async Task<string?> AdoptedAsync(NpgsqlConnection connection, PlannedCatalog catalog, string presenceCheck, CancellationToken cancellationToken)
    {
        await using (var command = new NpgsqlCommand("SELECT " + presenceCheck, connection))
        {
            if ((bool)(await command.ExecuteScalarAsync(cancellationToken))!)
            {
                return "its objects are present: recorded without running its SQL";
            }
        }

        var columns = PresenceColumns().Matches(presenceCheck);
        var indexes = PresenceIndexes().Matches(presenceCheck);
        var parsed = columns.Count == Occurrences(presenceCheck, "FROM pg_attribute") && indexes.Count == Occurrences(presenceCheck, "FROM pg_index");
        var present = columns.All(m => SqlNames(m.Groups["cols"].Value).All(c => catalog.Column(m.Groups["t"].Value, c) is not null))
                      && indexes.All(m => catalog.Index(m.Groups["n"].Value) is { Valid: true } index && index.Table == m.Groups["t"].Value);
        return parsed && present && columns.Count + indexes.Count > 0
            ? "its objects will be present when its turn comes (migrations before it create them): recorded without running its SQL"
            : null;
    }

    /// <summary>
    /// A duplicate check of a unique index to come: counted with <paramref name="checkData"/> (a read of the table, as the
    /// migration's own check does), else estimated from the planner's statistics of a single-column key.
    /// </summary>
    private static async Task<PlanFinding?> DuplicatesAsync(
        NpgsqlConnection connection, CatalogSnapshot snapshot, string migration, UniqueKey key, bool checkData, CancellationToken cancellationToken)
    {
        if (!snapshot.Tables.TryGetValue(key.Table, out var table) || key.Columns.Count == 0
            || key.Columns.Any(c => !SimpleName().IsMatch(c)))
        {
            return null;
        }

        var columns = key.Columns.Select(SqlText.Name).ToList();
        var list = string.Join(", ", columns.Select(Sql.Identifier));
        if (checkData)
        {
            await using var count = new NpgsqlCommand($"""
                SELECT count(*), string_agg(shown, '; ' ORDER BY shown) FILTER (WHERE position <= 5)
                FROM (SELECT format('%s (%s rows)', concat_ws(', ', {list}), count(*)) AS shown, row_number() OVER () AS position
                      FROM {Sql.Identifier(key.Table)} WHERE {string.Join(" AND ", columns.Select(c => Sql.Identifier(c) + " IS NOT NULL"))}
                      GROUP BY {list} HAVING count(*) > 1) AS duplicates
                """, connection);
            await using var reader = await count.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var found = reader.GetInt64(0);
            return found == 0 ? null : new PlanFinding(migration, "duplicates", string.Create(CultureInfo.InvariantCulture,
                $"unique index {key.Index} on {key.Table} ({string.Join(", ", columns)}): {found} value(s) belong to more than one row: {reader.GetString(1)}{(found > 5 ? " …" : "")}; the run stops before building it"),
                Certain: true);
        }

        if (columns.Count > 1)
        {
            return new PlanFinding(migration, Unchecked,
                $"unique index {key.Index} on {key.Table} ({string.Join(", ", columns)}): duplicates not estimated (the planner's statistics cover single columns); --check-data counts them",
                Certain: false);
        }

        await using var stats = new NpgsqlCommand("""
            SELECT n_distinct::float8, coalesce(array_to_string(most_common_vals, E'\x1f'), ''), coalesce(most_common_freqs, '{}')::float8[]
            FROM pg_stats WHERE schemaname = current_schema() AND tablename = @table AND attname = @column
            """, connection);
        stats.Parameters.AddWithValue("table", key.Table);
        stats.Parameters.AddWithValue("column", columns[0]);
        await using var row = await stats.ExecuteReaderAsync(cancellationToken);
        if (!await row.ReadAsync(cancellationToken))
        {
            return new PlanFinding(migration, Unchecked,
                $"unique index {key.Index} on {key.Table} ({columns[0]}): duplicates not estimated, {key.Table} has no planner statistics (never analyzed); --check-data counts duplicates",
                Certain: false);
        }

        var rows = table.Rows ?? 0;
        var values = row.GetString(1).Split('\x1f', StringSplitOptions.RemoveEmptyEntries);
        var frequencies = row.GetFieldValue<double[]>(2);
        var repeated = values.Zip(frequencies).Where(v => v.Second * rows >= 1.5).ToList();
        return repeated.Count == 0
            ? null
            : new PlanFinding(migration, "duplicates", string.Create(CultureInfo.InvariantCulture,
                $"unique index {key.Index} on {key.Table} ({columns[0]}): the planner's statistics show values held by more than one row ({string.Join("; ", repeated.Take(5).Select(v => $"'{v.First}' in ~{Math.Round(v.Second * rows):0} rows"))}); the run stops before building it unless each value belongs to one row (--check-data counts them)"),
                Certain: false);
    }

    /// <summary>The tables the plan touches: estimated rows, size, and the strongest lock taken on each.</summary>
    private static async Task<IReadOnlyList<PlannedTable>> TablesAsync(
        NpgsqlConnection connection, PlannedCatalog catalog, IReadOnlyList<PlannedMigration> planned, CancellationToken cancellationToken)
    {
        var statements = planned.SelectMany(m => m.Statements).Where(s => s.Verdict != StatementVerdict.Skip).ToList();
        var strongest = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tableLock in statements.SelectMany(s => s.Locks))
        {
            strongest[tableLock.Table] = strongest.TryGetValue(tableLock.Table, out var mode) ? LockModes.Stronger(mode, tableLock.Mode) : tableLock.Mode;
        }

        foreach (var table in statements.Select(s => s.Table).OfType<string>().Where(t => t.Length > 0 && !strongest.ContainsKey(t)))
        {
            strongest[table] = LockModes.AccessShare;
        }

        var live = strongest.Keys.Where(catalog.Live.Tables.ContainsKey).Order(StringComparer.Ordinal).ToList();
        var sizes = await CatalogSnapshot.SizesAsync(connection, live, cancellationToken);
        return [.. strongest.Keys.Order(StringComparer.Ordinal).Select(name => catalog.Live.Tables.TryGetValue(name, out var info)
            ? new PlannedTable(name, info.Rows, info.RowsSource, sizes.GetValueOrDefault(name), strongest[name])
            : new PlannedTable(name, 0, "created by this run", null, strongest[name]))];
    }

    /// <summary>A table's or column's rows by the catalog's estimate, for a revert's blockers without reading the data.</summary>
    private static long? EstimatedRows(NpgsqlConnection connection, CatalogSnapshot snapshot, RevertPlan.Target target)
    {
        if (!snapshot.Tables.TryGetValue(target.Table, out var table) || table.Rows is not { } rows)
        {
            return null;
        }

        if (target.Column is null)
        {
            return rows;
        }

        using var command = new NpgsqlCommand(
            "SELECT null_frac::float8 FROM pg_stats WHERE schemaname = current_schema() AND tablename = @table AND attname = @column", connection);
        command.Parameters.AddWithValue("table", target.Table);
        command.Parameters.AddWithValue("column", target.Column);
        return command.ExecuteScalar() is double nullFraction ? (long)Math.Round(rows * (1 - nullFraction)) : null;
    }

    /// <summary>What the run does to the ledger alone: the columns it adds, or the rows it reconciles.</summary>
    private static string? LedgerNote(MigrationView view)
        => !view.LedgerComplete
            ? "the run adds the ledger's columns to applied_migrations (ACCESS EXCLUSIVE on it, instant)"
            : view.LedgerBehind > 0
                ? string.Create(CultureInfo.InvariantCulture, $"the run records {view.LedgerBehind} applied migration(s) missing from applied_migrations")
                : null;

    private static int Occurrences(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static IEnumerable<string> SqlNames(string quotedList)
        => quotedList.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(n => n.Trim('\''));

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A column count of the adoption checks (CatalogSql.ColumnCount): the table and the quoted column list.</summary>
    [GeneratedRegex(@"attrelid\s*=\s*to_regclass\('(?<t>[^']+)'\)[^)]*?attname\s+IN\s*\((?<cols>[^)]*)\)", RegexOptions.Singleline)]
    private static partial Regex PresenceColumns();

    /// <summary>A valid-index test of the adoption checks (CatalogSql.ValidIndex): the index and its table.</summary>
    [GeneratedRegex(@"c\.relname\s*=\s*'(?<n>[^']+)'(?:(?!EXISTS).)*?i\.indrelid\s*=\s*to_regclass\('(?<t>[^']+)'\)", RegexOptions.Singleline)]
    private static partial Regex PresenceIndexes();

    [GeneratedRegex("""^(?:"[^"]+"|[A-Za-z_][A-Za-z0-9_$]*)$""")]
    private static partial Regex SimpleName();
}

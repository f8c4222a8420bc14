using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;
using StreamVault.Data.Engine;
using StreamVault.Data.Ledger;

namespace StreamVault.Data.Operations;

/// <summary>
/// What the operations need from EF for one database: the migrations (in order, with ledger names and
/// checksums), the history table's names and the modelled tables. Built from the one options builder, so
/// it sees exactly what migrate sees.
/// </summary>
internal sealed class OperationContext : IDisposable
{
    private OperationContext(string connectionString, OperationOptions options)
    {
        ConnectionString = connectionString;
        Options = options;
        Context = StreamVaultDatabase.CreateContext(connectionString, options.Data);
        var repository = (LedgerHistoryRepository)Context.GetService<IHistoryRepository>();
        HistoryRepository = repository;
        History = repository.History;
        Catalog = repository.Catalog();
        Tables = Context.Model.GetEntityTypes()
            .Select(e => e.GetTableName())
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        var csb = StreamVaultConnections.Parse(connectionString);
        Database = csb.Database ?? "";
        Server = $"{csb.Host}:{csb.Port}";
    }

    public string ConnectionString { get; }

    public OperationOptions Options { get; }

    /// <summary>The engine options the operation runs with (lock deadlines and timeouts), defaults where none were given.</summary>
    public StreamVaultDataOptions Data => Options.Data ?? DefaultData;

    private static readonly StreamVaultDataOptions DefaultData = new();

    public StreamVaultDbContext Context { get; }

    public HistoryTable History { get; }

    /// <summary>The engine's history repository: its scripts carry the ledger writes.</summary>
    public IHistoryRepository HistoryRepository { get; }

    public IReadOnlyList<LedgerEntry> Catalog { get; }

    public IReadOnlyList<string> Tables { get; }

    public string Database { get; }

    public string Server { get; }

    public static OperationContext Create(string connectionString, OperationOptions? options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return new OperationContext(connectionString, options ?? new OperationOptions());
    }

    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        return await StreamVaultConnections.DataSource(ConnectionString).OpenConnectionAsync(cancellationToken);
    }

    public void Dispose() => Context.Dispose();
}

/// <summary>One row of <c>applied_migrations</c>; columns the Python table lacks read as null.</summary>
internal sealed record LedgerRow(
    string Name, bool? Success, DateTimeOffset? AppliedAt, int? ExecutionMs, string? AppliedBy, string? Error,
    string? Checksum, string? EfMigrationId)
{
    /// <summary>
    /// Whether the SQL recorded as applied is the migration's SQL now; null for rows without a checksum
    /// (written by the Python app), which have nothing to compare with.
    /// </summary>
    public bool? ChecksumMatches(LedgerEntry entry)
        => string.IsNullOrEmpty(Checksum) ? null : string.Equals(Checksum, entry.Checksum, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// One row of the app's <c>migrations</c> table, in whichever shape it has: <c>script_name</c> as primary key
/// (May 2025 on; upgraded databases keep it), or a serial <c>id</c> beside a unique <c>script_name</c> (July 2025
/// on; v1.0.27 alone called that column <c>name</c>). <see cref="AppliedAt"/> is PostgreSQL's own text of the value.
/// </summary>
internal sealed record LegacyRow(int? Id, string ScriptName, string? AppliedAt, bool? Success);

/// <summary>Where one known migration stands: its state, its EF history row (product version) and its ledger row.</summary>
internal sealed record MigrationStanding(LedgerEntry Entry, MigrationStateKind State, string? ProductVersion, LedgerRow? Row)
{
    public string Id => Entry.MigrationId;

    public bool InHistory => State == MigrationStateKind.Applied;
}

/// <summary>
/// The one view of where each migration stands, used by the fast path, status, validate and the health check.
/// A known migration is applied when EF history has it, failed when it does not and a ledger row says
/// <c>success = false</c> (its own row, or the failure row filed under its EF id), and pending otherwise; a pending or failed migration older than an applied one is a
/// hole (EF applies it on the next run). History ids this build does not know are unknown.
/// </summary>
internal sealed class MigrationView
{
    private MigrationView(IReadOnlyList<MigrationStanding> migrations, IReadOnlyList<string> unknownHistory, IReadOnlyList<LedgerRow> unknownFailures)
    {
        Migrations = migrations;
        UnknownHistory = unknownHistory;
        UnknownFailures = unknownFailures;
        Pending = migrations.Where(m => m.State == MigrationStateKind.Pending).ToList();
        Failed = migrations.Where(m => m.State == MigrationStateKind.Failed).ToList();
        Applied = migrations.Where(m => m.State == MigrationStateKind.Applied).ToList();
        var newestApplied = migrations.LastOrDefault(m => m.InHistory)?.Id;
        Holes = newestApplied is null
            ? []
            : migrations.Where(m => !m.InHistory && string.CompareOrdinal(m.Id, newestApplied) < 0).Select(m => m.Id).ToList();
    }

    /// <summary>Every known migration in id order.</summary>
    public IReadOnlyList<MigrationStanding> Migrations { get; }

    public IReadOnlyList<MigrationStanding> Applied { get; }

    /// <summary>Not applied and not failed.</summary>
    public IReadOnlyList<MigrationStanding> Pending { get; }

    /// <summary>Not applied, with a failure recorded in the ledger.</summary>
    public IReadOnlyList<MigrationStanding> Failed { get; }

    /// <summary>Not applied although a newer migration is.</summary>
    public IReadOnlyList<string> Holes { get; }

    /// <summary>EF history ids this version's migrations do not contain (a newer version migrated), in order.</summary>
    public IReadOnlyList<string> UnknownHistory { get; }

    /// <summary>Failed ledger rows of names no known migration records under (the Python app's, or a newer version's).</summary>
    public IReadOnlyList<LedgerRow> UnknownFailures { get; }

    /// <summary>Known migrations missing from <paramref name="applied"/>, holes included: the fast path's question.</summary>
    public static int CountUnapplied(IReadOnlyList<LedgerEntry> catalog, IReadOnlySet<string> applied)
        => catalog.Count(e => !applied.Contains(e.MigrationId));

    public static MigrationView Of(IReadOnlyList<LedgerEntry> catalog, MigrationState state)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(state);
        var migrations = catalog.Select(entry =>
        {
            string? productVersion = null;
            var applied = state.History?.TryGetValue(entry.MigrationId, out productVersion) == true;
            LedgerRow? row = null;
            state.Ledger?.TryGetValue(entry.LedgerName, out row);
            // A legacy-named migration's failure is filed under its EF id (LedgerSql.RecordFailure), beside any Python row.
            var failure = state.Ledger?.Values.FirstOrDefault(r => r.Success == false && r.EfMigrationId == entry.MigrationId && r.Name == entry.MigrationId)
                          ?? (row is { Success: false } ? row : null);
            var kind = applied ? MigrationStateKind.Applied : failure is not null ? MigrationStateKind.Failed : MigrationStateKind.Pending;
            return new MigrationStanding(entry, kind, productVersion, kind == MigrationStateKind.Failed ? failure : row);
        }).ToList();
        var known = catalog.Select(e => e.MigrationId).ToHashSet(StringComparer.Ordinal);
        var knownNames = catalog.SelectMany(e => new[] { e.LedgerName, e.MigrationId }).ToHashSet(StringComparer.Ordinal);
        return new MigrationView(
            migrations,
            (state.History?.Keys ?? []).Where(id => !known.Contains(id)).Order(StringComparer.Ordinal).ToList(),
            (state.Ledger?.Values ?? []).Where(r => r.Success == false && !knownNames.Contains(r.Name)).ToList());
    }
}

/// <summary>EF history, ledger and the older <c>migrations</c> table as they are; null where a table does not exist.</summary>
internal sealed record MigrationState(
    IReadOnlyDictionary<string, string>? History,
    IReadOnlyDictionary<string, LedgerRow>? Ledger,
    IReadOnlyList<LegacyRow>? Legacy)
{

    // to_jsonb reads whatever columns the table has: a Python-made ledger lacks the columns this layer adds.
    private const string LedgerQuery = "SELECT to_jsonb(a)::text FROM applied_migrations a ORDER BY a.migration_name COLLATE \"C\"";

    // Both shapes of the app's table: ordered by id where it has one, else as the app lists them (by applied_at).
    private const string LegacyQuery = """
        SELECT to_jsonb(m)::text FROM migrations m
        ORDER BY (to_jsonb(m) ->> 'id')::integer NULLS LAST, m.applied_at, to_jsonb(m) ->> 'script_name' COLLATE "C"
        """;

    public static async Task<MigrationState> ReadAsync(
        NpgsqlConnection connection, HistoryTable history, CancellationToken cancellationToken)
    {
        Dictionary<string, string>? historyRows = null;
        if (await ExistsAsync(connection, history.Table, cancellationToken))
        {
            historyRows = new Dictionary<string, string>(StringComparer.Ordinal);
            await using var command = new NpgsqlCommand(
                $"SELECT h.{history.MigrationIdColumn}::text, h.{history.ProductVersionColumn}::text FROM {history.Table} h", connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                historyRows[reader.GetString(0)] = reader.IsDBNull(1) ? "" : reader.GetString(1);
            }
        }

        Dictionary<string, LedgerRow>? ledger = null;
        if (await ExistsAsync(connection, LedgerSql.Table, cancellationToken))
        {
            ledger = new Dictionary<string, LedgerRow>(StringComparer.Ordinal);
            foreach (var text in await JsonRowsAsync(connection, LedgerQuery, cancellationToken))
            {
                using var json = JsonDocument.Parse(text);
                var row = json.RootElement;
                var name = Text(row, "migration_name") ?? "";
                ledger[name] = new LedgerRow(
                    name,
                    Bool(row, "success"),
                    row.TryGetProperty("applied_at", out var at) && at.ValueKind == JsonValueKind.String ? at.GetDateTimeOffset() : null,
                    row.TryGetProperty("execution_ms", out var ms) && ms.ValueKind == JsonValueKind.Number ? ms.GetInt32() : null,
                    Text(row, "applied_by"),
                    Text(row, "error"),
                    Text(row, "checksum"),
                    Text(row, "ef_migration_id"));
            }
        }

        List<LegacyRow>? legacy = null;
        if (await ExistsAsync(connection, "migrations", cancellationToken))
        {
            legacy = [];
            foreach (var text in await JsonRowsAsync(connection, LegacyQuery, cancellationToken))
            {
                using var json = JsonDocument.Parse(text);
                var row = json.RootElement;
                legacy.Add(new LegacyRow(
                    row.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number ? id.GetInt32() : null,
                    Text(row, "script_name") ?? Text(row, "name") ?? "",
                    Text(row, "applied_at"),
                    Bool(row, "success")));
            }
        }

        return new MigrationState(historyRows, ledger, legacy);
    }

    private static async Task<bool> ExistsAsync(NpgsqlConnection connection, string relation, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT to_regclass(@name) IS NOT NULL", connection);
        command.Parameters.AddWithValue("name", relation);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task<List<string>> JsonRowsAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    private static string? Text(JsonElement row, string name)
        => row.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool? Bool(JsonElement row, string name)
        => row.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;
}

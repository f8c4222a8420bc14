using System.Text.Json;
using Npgsql;
using StreamVault.Data.Ledger;
using StreamVault.Data.Migrations;

namespace StreamVault.Data.Engine;

/// <summary>
/// EF history, the ledger and the app's older <c>migrations</c> table as they are; null where a table does not exist.
/// Read whole (<see cref="ReadAsync"/>: status, validate, repair, the health check) or, for the no-op check on every
/// start, in one statement without a lock (<see cref="ReadForNoOpAsync"/>): history ids, and only the two numbers about
/// the ledger that the up-to-date decision needs. <see cref="MigrationView"/> decides from either.
/// </summary>
internal sealed record MigrationState(
    IReadOnlyDictionary<string, string>? History,
    IReadOnlyDictionary<string, LedgerRow>? Ledger,
    IReadOnlyList<LegacyRow>? Legacy)
{
    /// <summary>How many of the ledger's extra columns (<see cref="LedgerSql.ExtraColumns"/>) it has.</summary>
    public long LedgerColumns { get; init; }

    /// <summary>EF history rows without a successful ledger row, when the database counted them (the no-op statement).</summary>
    public long? MissingLedgerRows { get; init; }

    /// <summary>
    /// The no-op statement (<see cref="EngineSql.NoOpCheck"/>): one round trip, no lock. A database without a history table or
    /// ledger column (42P01/42703) has no state to read: null, which is not up to date.
    /// </summary>
    public static async Task<MigrationState?> ReadForNoOpAsync(
        NpgsqlConnection connection, IReadOnlyList<LedgerEntry> catalog, bool async, CancellationToken cancellationToken)
    {
        try
        {
            var state = await Sql.NoOpStateAsync(connection, EngineSql.NoOpCheck(HistoryTable.Default, catalog), async, cancellationToken);
            return new MigrationState(state.Applied.ToDictionary(id => id, _ => "", StringComparer.Ordinal), Ledger: null, Legacy: null)
            {
                LedgerColumns = state.LedgerColumns,
                MissingLedgerRows = state.MissingLedgerRows,
            };
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.UndefinedColumn)
        {
            return null;
        }
    }

    // to_jsonb reads whatever columns the table has: a Python-made ledger lacks the columns this layer adds.
    private const string LedgerQuery = "SELECT to_jsonb(a)::text FROM applied_migrations a ORDER BY a.migration_name COLLATE \"C\"";

    // Both shapes of the app's table: ordered by id where it has one, else as the app lists them (by applied_at).
    private const string LegacyQuery = """
        SELECT to_jsonb(m)::text FROM migrations m
        ORDER BY (to_jsonb(m) ->> 'id')::integer NULLS LAST, m.applied_at, to_jsonb(m) ->> 'script_name' COLLATE "C"
        """;

    /// <param name="connection">An open connection.</param>
    /// <param name="history">The history table's names.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <param name="withLegacy">False leaves the app's <c>migrations</c> table unread (plan reads no table it does not need).</param>
    public static async Task<MigrationState> ReadAsync(
        NpgsqlConnection connection, HistoryTable history, CancellationToken cancellationToken, bool withLegacy = true)
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
        if (withLegacy && await ExistsAsync(connection, "migrations", cancellationToken))
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

        var ledgerColumns = ledger is null ? 0 : await Sql.ScalarAsync<long>(connection, LedgerSql.CountExtraColumns, async: true, cancellationToken);
        return new MigrationState(historyRows, ledger, legacy) { LedgerColumns = ledgerColumns };
    }

    private static async Task<bool> ExistsAsync(NpgsqlConnection connection, string relation, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(CatalogSql.RelationExistsQuery, connection);
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

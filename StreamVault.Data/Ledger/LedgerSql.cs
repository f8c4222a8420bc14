using System.Globalization;
using System.Text;
using StreamVault.Data.Migrations;

namespace StreamVault.Data.Ledger;

/// <summary>
/// SQL that keeps the legacy <c>applied_migrations</c> table in step with EF's history. Everything here is
/// text the history repository appends to EF's own scripts, so it runs in the same transaction as the
/// history row in every entry point and appears in generated scripts too.
/// </summary>
internal static class LedgerSql
{
    /// <summary>The Python app's ledger table.</summary>
    public const string Table = "applied_migrations";

    /// <summary>The nullable columns this layer adds to the Python app's table.</summary>
    public static readonly IReadOnlyList<string> ExtraColumns = ["ef_migration_id", "checksum", "execution_ms", "error", "applied_by"];

    /// <summary>
    /// When the app applied a migration (<c>@name</c>, its ledger name): the <c>applied_at</c> of its successful row that
    /// this layer did not write (no <c>applied_by</c>, a column the app's table may lack); no row when there is none.
    /// </summary>
    public const string AppliedByAppQuery
        = "SELECT a.applied_at FROM applied_migrations a WHERE a.migration_name = @name AND a.success IS TRUE AND to_jsonb(a) ->> 'applied_by' IS NULL";

    /// <summary>How many of <see cref="ExtraColumns"/> the ledger has (one scalar).</summary>
    public static readonly string CountExtraColumns = "SELECT " + CatalogSql.ColumnCount(Table, ExtraColumns);

    /// <summary>
    /// The Python app's definition (created if missing) plus nullable columns its inserts never name, so its
    /// own upsert keeps working. Columns are added only when absent: ALTER TABLE would lock even as a no-op.
    /// </summary>
    public static readonly string EnsureTable = $$"""
        CREATE TABLE IF NOT EXISTS applied_migrations (
            id SERIAL PRIMARY KEY,
            migration_name VARCHAR(255) UNIQUE NOT NULL,
            applied_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
            success BOOLEAN DEFAULT TRUE
        );
        DO $ledger$
        BEGIN
            IF ({{CountExtraColumns}}) < {{ExtraColumns.Count}}
            THEN
                ALTER TABLE applied_migrations
                    ADD COLUMN IF NOT EXISTS ef_migration_id VARCHAR(150),
                    ADD COLUMN IF NOT EXISTS checksum VARCHAR(64),
                    ADD COLUMN IF NOT EXISTS execution_ms INTEGER,
                    ADD COLUMN IF NOT EXISTS error TEXT,
                    ADD COLUMN IF NOT EXISTS applied_by VARCHAR(255);
            END IF;
        END
        $ledger$;
        """;

    /// <summary>
    /// Records a successful application. A row that was already successful (e.g. written by the Python app)
    /// keeps its applied_at, duration and author; a failed one becomes successful. The failure row a legacy-named
    /// migration's earlier failed run left under its EF id (<see cref="RecordFailure"/>) goes, so exactly the
    /// Python-named row remains. The duration is measured
    /// by the server from the migration's start (<see cref="MigrationStartSetting"/>, set in the insert's own
    /// transaction), so it includes non-transactional steps such as concurrent index builds.
    /// </summary>
    public static string RecordSuccess(LedgerEntry entry, string appliedBy)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return $"""
            {DeleteFailureUnderId(entry)}INSERT INTO applied_migrations AS a
                (migration_name, success, applied_at, ef_migration_id, checksum, execution_ms, error, applied_by)
            VALUES ({Literal(entry.LedgerName)}, TRUE, CURRENT_TIMESTAMP, {Literal(entry.MigrationId)}, {Literal(entry.Checksum)},
                    (extract(epoch FROM clock_timestamp() - {MigrationStart}) * 1000)::integer, NULL, {Literal(appliedBy)})
            ON CONFLICT (migration_name) DO UPDATE SET
                success = TRUE,
                error = NULL,
                ef_migration_id = EXCLUDED.ef_migration_id,
                checksum = EXCLUDED.checksum,
                applied_at = CASE WHEN a.success IS TRUE THEN a.applied_at ELSE EXCLUDED.applied_at END,
                execution_ms = CASE WHEN a.success IS TRUE THEN a.execution_ms ELSE EXCLUDED.execution_ms END,
                applied_by = CASE WHEN a.success IS TRUE THEN a.applied_by ELSE EXCLUDED.applied_by END;
            """;
    }

    /// <summary>
    /// Transaction-local setting holding the start of the migration being recorded, which the engine sets just before
    /// the history insert so that <see cref="RecordSuccess"/> times the whole migration, concurrent index builds included.
    /// </summary>
    public const string MigrationStartSetting = "streamvault.migration_started";

    /// <summary>
    /// When the running migration started: the engine's stamp, else (a psql script, which has none) the start of
    /// the transaction that records it.
    /// </summary>
    private const string MigrationStart =
        $"coalesce(nullif(current_setting('{MigrationStartSetting}', true), '')::timestamptz, transaction_timestamp())";

    /// <summary>Removes the ledger row of a reverted migration, so the Python app would see it as not applied.</summary>
    public static string RecordRevert(LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return $"{DeleteFailureUnderId(entry)}DELETE FROM applied_migrations WHERE migration_name = {Literal(entry.LedgerName)};";
    }

    /// <summary>
    /// Deletes the failure row a legacy-named migration records under its EF id (none for the others, whose
    /// ledger name is their id); only a row this layer wrote (its ef_migration_id says so) is touched.
    /// </summary>
    private static string DeleteFailureUnderId(LedgerEntry entry)
        => entry.LedgerName == entry.MigrationId
            ? ""
            : $"DELETE FROM applied_migrations WHERE migration_name = {Literal(entry.MigrationId)} AND ef_migration_id = {Literal(entry.MigrationId)};\n";

    /// <summary>
    /// Failure row written on its own connection after the migration's transaction rolled back (parameters
    /// @name, the ledger name, @id, @checksum, @error, @by). It is filed under the EF id, never under a Python
    /// name: the June 2025 app takes any row under its name as applied (<c>SELECT COUNT(*) FROM applied_migrations
    /// WHERE migration_name = :name</c>, success ignored) and would skip that migration forever. A failure row an
    /// earlier version of this layer filed under the Python name goes for the same reason; a Python-named row that
    /// is successful (or the Python app's own) is left as it is. Skipped when EF history still has the migration,
    /// i.e. a failed revert. Where the EF id is the ledger name, a row that was successful stays successful (its
    /// schema exists) and only carries the error.
    /// </summary>
    public static string RecordFailure(HistoryTable history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var notInHistory = $"NOT EXISTS (SELECT 1 FROM {history.Table} WHERE {history.MigrationIdColumn} = @id)";
        return $"""
        WITH earlier AS (
            DELETE FROM applied_migrations
            WHERE migration_name = @name AND migration_name <> @id AND ef_migration_id = @id AND success IS NOT TRUE
              AND {notInHistory}
        )
        INSERT INTO applied_migrations AS a
            (migration_name, success, applied_at, ef_migration_id, checksum, execution_ms, error, applied_by)
        SELECT @id, FALSE, CURRENT_TIMESTAMP, @id, @checksum, NULL, @error, @by
        WHERE {notInHistory}
        ON CONFLICT (migration_name) DO UPDATE SET
            error = EXCLUDED.error,
            ef_migration_id = EXCLUDED.ef_migration_id,
            checksum = CASE WHEN a.success IS TRUE THEN a.checksum ELSE EXCLUDED.checksum END,
            applied_at = CASE WHEN a.success IS TRUE THEN a.applied_at ELSE EXCLUDED.applied_at END,
            applied_by = CASE WHEN a.success IS TRUE THEN a.applied_by ELSE EXCLUDED.applied_by END,
            success = a.success IS TRUE;
        """;
    }

    /// <summary>
    /// EF history rows without a successful ledger row (columns ef_id, name, checksum): what reconcile
    /// repairs and what the no-op check counts, so both judge agreement the same way.
    /// </summary>
    public static string MissingLedgerRows(HistoryTable history, IEnumerable<LedgerEntry> known)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(known);
        var values = new StringBuilder();
        foreach (var entry in known)
        {
            values.Append(values.Length == 0 ? "" : ", ")
                .Append(CultureInfo.InvariantCulture,
                    $"({Literal(entry.MigrationId)}, {Literal(entry.LedgerName)}, {Literal(entry.Checksum)})");
        }

        var knownRows = values.Length == 0 ? "(NULL::text, NULL::text, NULL::text)" : values.ToString();
        var id = "h." + history.MigrationIdColumn;
        return $"""
            SELECT {id} AS ef_id, coalesce(k.name, {id}) AS name, k.checksum
            FROM {history.Table} h
            LEFT JOIN (VALUES {knownRows}) AS k (ef_id, name, checksum) ON k.ef_id = {id}
            WHERE NOT EXISTS (
                SELECT 1 FROM applied_migrations a
                WHERE a.migration_name = coalesce(k.name, {id}) AND a.success IS TRUE)
            """;
    }

    /// <summary>
    /// One statement, run with the history table's create-if-missing batch on every run: every EF history
    /// row gets a successful ledger row. Repairs are reported as a NOTICE the engine logs; when the two
    /// tables agree it changes nothing and says nothing.
    /// </summary>
    public static string Reconcile(HistoryTable history, IEnumerable<LedgerEntry> known, string appliedBy)
        => $$"""
            DO $reconcile$
            DECLARE
                fixed text;
            BEGIN
                WITH missing AS (
                    {{MissingLedgerRows(history, known)}}
                ),
                repaired AS (
                    INSERT INTO applied_migrations AS a (migration_name, success, applied_at, ef_migration_id, checksum, applied_by)
                    SELECT name, TRUE, CURRENT_TIMESTAMP, ef_id, checksum, {{Literal(appliedBy)}} FROM missing
                    ON CONFLICT (migration_name) DO UPDATE SET
                        success = TRUE, error = NULL, applied_at = EXCLUDED.applied_at,
                        ef_migration_id = EXCLUDED.ef_migration_id, checksum = EXCLUDED.checksum,
                        applied_by = EXCLUDED.applied_by
                    RETURNING migration_name
                )
                SELECT string_agg(migration_name, ', ' ORDER BY migration_name) INTO fixed FROM repaired;
                IF fixed IS NOT NULL THEN
                    RAISE NOTICE '{{ReconcileNoticePrefix}}%', fixed;
                END IF;
            END
            $reconcile$;
            """;

    /// <summary>Start of the NOTICE the reconcile statement raises; the engine logs notices that carry it.</summary>
    public const string ReconcileNoticePrefix = "StreamVault ledger reconciled (EF history rows without a successful applied_migrations row): ";

    internal static string Literal(string? value)
        => value is null ? "NULL" : "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}

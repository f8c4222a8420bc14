using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using StreamVault.Data.Engine;
using StreamVault.Data.Ledger;
using StreamVault.Data.Migrations;

namespace StreamVault.Data.Operations;

/// <summary>
/// <c>script</c>: one SQL file that <c>psql -v ON_ERROR_STOP=1 -f</c> can run any number of times against an
/// empty, June 2025 or older database with the result of migrate, ledger writes included. EF's idempotent
/// script wraps every statement in a DO block, where CREATE INDEX CONCURRENTLY cannot run; here each
/// migration's transactional stretches are DO blocks guarded by its EF history row, and its non-transactional
/// statements stand alone at top level, where psql's autocommit is what CONCURRENTLY needs (they are
/// themselves rerunnable: IF NOT EXISTS, after the migration's own INVALID-index cleanup). A released migration
/// whose objects are already present is recorded without running, as migrate does (ReleasedMigrationAdoption).
/// </summary>
internal static class MigrationScript
{
    /// <summary>Never opened: generating SQL needs the model and services, not a server.</summary>
    private const string OfflineConnection = "Host=localhost;Database=streamvault_script";

    /// <summary>The script for every migration of the assembly (no connection is opened).</summary>
    /// <param name="options">Engine settings; only <see cref="StreamVaultDataOptions.MigrationsAssembly"/> matters here.</param>
    /// <returns>The migration ids and the SQL.</returns>
    public static ScriptReport Generate(StreamVaultDataOptions? options = null)
    {
        using var context = ContextOptions.CreateContext(OfflineConnection, options);
        var ledger = context.GetService<LedgerHistoryRepository>();
        // The same repository through EF's interface, for EF's own scripts (its base class is Npgsql's internal one).
        var history = context.GetService<IHistoryRepository>();
        var migrations = context.GetService<IMigrationsAssembly>();
        var generator = context.GetService<IMigrationsSqlGenerator>();
        var provider = context.Database.ProviderName!;

        var sql = new StringBuilder();
        sql.Append("-- StreamVault migrations as an idempotent psql script. Run: psql -v ON_ERROR_STOP=1 -f <file>\n");
        sql.Append("-- Do not wrap it in a transaction (psql -1): CREATE INDEX CONCURRENTLY must run in autocommit.\n\n");
        sql.Append(history.GetCreateIfNotExistsScript()).Append('\n');

        var ids = new List<string>();
        foreach (var (id, type) in migrations.Migrations.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            ids.Add(id);
            var migration = migrations.CreateMigration(type, provider);

            // The same generation as the ledger checksum, so the SQL here is the SQL the checksum vouches for.
            var commands = generator.Generate(migration.UpOperations);
            sql.Append(CultureInfo.InvariantCulture, $"-- Migration {id}\n");

            // As in migrate: a released migration whose objects an app release already created is recorded, not run.
            if (migration is IAdoptableMigration { PresenceCheck: var present })
            {
                sql.Append(CultureInfo.InvariantCulture, $"""
                    DO $adopt$
                    BEGIN
                        IF NOT EXISTS (SELECT 1 FROM {HistoryTable.Default.Table} WHERE {HistoryTable.Default.MigrationIdColumn} = '{id}') AND {present} THEN
                    {ledger.GetAdoptScript(new HistoryRow(id, ProductInfo.GetVersion())).ReplaceLineEndings("\n")}
                        END IF;
                    END
                    $adopt$;

                    """);
            }

            var stretch = new StringBuilder();
            foreach (var command in commands)
            {
                if (!command.TransactionSuppressed)
                {
                    stretch.Append(command.CommandText.ReplaceLineEndings("\n")).Append('\n');
                    continue;
                }

                AppendGuarded(sql, history, id, stretch.ToString());
                stretch.Clear();
                sql.Append(command.CommandText.ReplaceLineEndings("\n").TrimEnd()).Append('\n').Append('\n');
            }

            // The history row and ledger row commit with the migration's last transactional stretch, as in migrate.
            stretch.Append(history.GetInsertScript(new HistoryRow(id, ProductInfo.GetVersion())).ReplaceLineEndings("\n"));
            AppendGuarded(sql, history, id, stretch.ToString());
        }

        return new ScriptReport(ids, sql.ToString());
    }

    private static void AppendGuarded(StringBuilder sql, IHistoryRepository history, string migrationId, string body)
    {
        if (body.Trim().Length == 0)
        {
            return;
        }

        sql.Append(history.GetBeginIfNotExistsScript(migrationId).ReplaceLineEndings("\n").TrimEnd()).Append('\n')
            .Append(body)
            .Append(history.GetEndIfScript().ReplaceLineEndings("\n"))
            .Append('\n');
    }
}

/// <summary>
/// Result of <see cref="MigrationScript.Generate"/>. JSON: <c>{"migrations": ["20240705000000_BaseSchema", ...], "sql": "..."}</c>;
/// its text is the SQL itself, ready for a file.
/// </summary>
internal sealed record ScriptReport(IReadOnlyList<string> Migrations, string Sql);

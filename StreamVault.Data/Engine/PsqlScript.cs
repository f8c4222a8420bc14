using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using StreamVault.Data.Ledger;
using StreamVault.Data.Migrations;

namespace StreamVault.Data.Engine;

/// <summary>
/// The engine's idempotent script, the one <c>streamvault-db script</c> prints and <c>dotnet ef migrations script
/// --idempotent</c> now writes too: SQL that <c>psql -v ON_ERROR_STOP=1 -f</c> can run any number of times with the
/// result of migrate, ledger writes included. EF's own idempotent script wraps every statement in a DO block, where
/// CREATE INDEX CONCURRENTLY cannot run (PostgreSQL refuses it inside a function); here each migration's transactional
/// stretches are DO blocks guarded by its EF history row, and its non-transactional statements stand alone at top level,
/// where psql's autocommit is what CONCURRENTLY needs (they are themselves rerunnable: IF NOT EXISTS, after the
/// migration's own INVALID-index cleanup). A released migration whose objects are already present is recorded without
/// running, as migrate does (<see cref="IAdoptableMigration"/>).
/// </summary>
internal static class PsqlScript
{
    /// <summary>The script for <paramref name="migrations"/> (ids in order), with the history and ledger set-up first.</summary>
    public static string Build(
        IReadOnlyList<(string Id, Migration Migration)> migrations, IHistoryRepository history, LedgerHistoryRepository ledger,
        IMigrationsSqlGenerator generator)
    {
        ArgumentNullException.ThrowIfNull(migrations);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(generator);
        var sql = new StringBuilder();
        sql.Append("-- StreamVault migrations as an idempotent psql script. Run: psql -v ON_ERROR_STOP=1 -f <file>\n");
        sql.Append("-- Do not wrap it in a transaction (psql -1): CREATE INDEX CONCURRENTLY must run in autocommit.\n\n");
        sql.Append(history.GetCreateIfNotExistsScript()).Append('\n');

        foreach (var (id, migration) in migrations)
        {
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

        return sql.ToString();
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

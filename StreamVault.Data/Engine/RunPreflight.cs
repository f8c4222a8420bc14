using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using StreamVault.Data.Ledger;

namespace StreamVault.Data.Engine;

/// <summary>
/// What a run with work to do checks before it changes anything (the history table's creation included), in one
/// statement: that the server accepts writes (not a standby, not default_transaction_read_only) and that the role
/// may do what migrations do (create in the schema, alter the tables they change, which needs ownership). A run
/// that would fail halfway for one of these reasons refuses instead (<see cref="MigrationRefusedException"/>).
/// The no-op fast path never gets here, so a read-only role or a standby with nothing pending still succeeds.
/// </summary>
internal static class RunPreflight
{
    /// <summary>
    /// One row: recovery, read-only, the role, the database and its owner, the schema and whether the role may create
    /// in it, the tables among <c>@tables</c> the role does not own (name and owner), and the server's address and port
    /// (null over a Unix socket).
    /// </summary>
    private const string Check = """
        SELECT pg_is_in_recovery(),
               current_setting('transaction_read_only') = 'on',
               current_user::text,
               current_database()::text,
               (SELECT pg_get_userbyid(d.datdba)::text FROM pg_database d WHERE d.datname = current_database()),
               coalesce(current_schema()::text, ''),
               coalesce(has_schema_privilege(current_schema(), 'CREATE'), false),
               coalesce((SELECT array_agg(c.relname::text || '|' || pg_get_userbyid(c.relowner)::text ORDER BY c.relname)
                         FROM pg_class c
                         WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
                           AND c.relname = ANY(@tables) AND NOT pg_has_role(current_user, c.relowner, 'USAGE')),
                        ARRAY[]::text[]),
               host(inet_server_addr()),
               inet_server_port()
        """;

    /// <summary>Refuses with <see cref="MigrationRefusedException"/> if the run cannot succeed here.</summary>
    /// <param name="connection">EF's connection; opened and closed here if it is not open.</param>
    /// <param name="context">Its context, whose model names the tables migrations alter.</param>
    /// <param name="async">Whether to do I/O asynchronously (EF's sync and async entry points share this code).</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    public static async Task CheckAsync(
        IRelationalConnection connection, DbContext context, bool async, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(context);
        var tables = ModelTables.WithLedgers(ModelTables.Of(context)).ToArray();
        try
        {
            // A database still to be created (CreateDatabaseIfMissing) is no error to log.
            await using var open = await CheckConnection.OpenAsync(connection, async, cancellationToken);
            var npgsql = open.Npgsql;
            await using var command = new NpgsqlCommand(Check, npgsql);
            command.Parameters.AddWithValue("tables", tables);
            await using var reader = async ? await command.ExecuteReaderAsync(cancellationToken) : command.ExecuteReader();
            _ = async ? await reader.ReadAsync(cancellationToken) : reader.Read();
            // The server's own address: with several hosts listed, the one this session reached.
            var endpoint = reader.IsDBNull(8)
                ? $"{npgsql.Host}:{npgsql.Port}"
                : $"{reader.GetString(8)}:{reader.GetInt32(9).ToString(System.Globalization.CultureInfo.InvariantCulture)}";
            var role = reader.GetString(2);
            var database = reader.GetString(3);
            var owner = reader.IsDBNull(4) ? "?" : reader.GetString(4);
            var schema = reader.GetString(5);
            if (reader.GetBoolean(0))
            {
                throw new MigrationRefusedException(
                    $"cannot migrate on {endpoint}: it is a standby server in recovery (read-only); connect to the primary, "
                    + "e.g. list every host with Target Session Attributes=primary");
            }

            if (reader.GetBoolean(1))
            {
                throw new MigrationRefusedException(
                    $"cannot migrate on {endpoint}: transactions of role \"{role}\" on database \"{database}\" are read-only "
                    + "(default_transaction_read_only); connect to the primary with Target Session Attributes=primary, "
                    + "or run migrations as a role whose transactions may write");
            }

            if (!reader.GetBoolean(6))
            {
                throw new MigrationRefusedException(
                    $"role \"{role}\" cannot create in schema {(schema.Length == 0 ? "(none on the search_path)" : schema)}; "
                    + $"run migrations as the owner of database \"{database}\" (role \"{owner}\")");
            }

            if (reader.GetFieldValue<string[]>(7) is [var first, ..])
            {
                var (table, tableOwner) = (first[..first.IndexOf('|', StringComparison.Ordinal)], first[(first.IndexOf('|', StringComparison.Ordinal) + 1)..]);
                throw new MigrationRefusedException(
                    $"role \"{role}\" cannot alter table {table}, which migrations change; "
                    + $"run migrations as the owner of table {table} (role \"{tableOwner}\")");
            }
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            // No database yet, and CreateDatabaseIfMissing asked for one (DatabaseExistence refused otherwise): nothing to check.
        }
    }
}

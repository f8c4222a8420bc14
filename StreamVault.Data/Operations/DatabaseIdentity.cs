using Npgsql;

namespace StreamVault.Data.Operations;

/// <summary>
/// Which database a connection reaches, by the server's identity rather than by its connection string: the cluster's
/// <c>system_identifier</c> (pg_control_system, set by initdb), the running server's start time, and the database's oid
/// and name. Two connection strings that differ in host name, port form or options reach the same database when these
/// are equal. A physical copy (a restored base backup, a standby) keeps the system identifier and the oids but is
/// another server, started at another time: a copy, not the live database.
/// </summary>
internal sealed record DatabaseIdentity(long SystemIdentifier, DateTime ServerStartedAt, uint DatabaseOid, string DatabaseName)
{
    private const string Query = """
        SELECT (SELECT system_identifier FROM pg_control_system())::int8, pg_postmaster_start_time(), d.oid, d.datname
        FROM pg_database d WHERE d.datname = current_database()
        """;

    public static async Task<DatabaseIdentity> ReadAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = new NpgsqlCommand(Query, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new DatabaseIdentity(reader.GetInt64(0), reader.GetDateTime(1), reader.GetFieldValue<uint>(2), reader.GetString(3));
    }
}

using Npgsql;

namespace StreamVault.Data.Tests.Infrastructure;

/// <summary>
/// Records every DDL command a database executes, through event triggers: each command's tag when it starts (so a
/// <c>CREATE ... IF NOT EXISTS</c> that then does nothing still counts, as it still takes its lock) and the objects
/// it touched when it ends. Needs a superuser, as every test server has.
/// </summary>
public sealed class DdlRecorder : IAsyncDisposable
{
    private const string Setup = """
        CREATE TABLE zz_ddl_log (id bigserial PRIMARY KEY, phase text NOT NULL, tag text NOT NULL, object_type text, identity text);
        CREATE FUNCTION zz_ddl_start() RETURNS event_trigger LANGUAGE plpgsql AS $f$
        BEGIN
            INSERT INTO public.zz_ddl_log (phase, tag) VALUES ('start', tg_tag);
        END $f$;
        CREATE FUNCTION zz_ddl_end() RETURNS event_trigger LANGUAGE plpgsql AS $f$
        BEGIN
            INSERT INTO public.zz_ddl_log (phase, tag, object_type, identity)
            SELECT 'end', command_tag, object_type, object_identity FROM pg_event_trigger_ddl_commands();
        END $f$;
        CREATE EVENT TRIGGER zz_ddl_start ON ddl_command_start EXECUTE FUNCTION zz_ddl_start();
        CREATE EVENT TRIGGER zz_ddl_end ON ddl_command_end EXECUTE FUNCTION zz_ddl_end();
        """;

    private const string Teardown = """
        DROP EVENT TRIGGER IF EXISTS zz_ddl_start;
        DROP EVENT TRIGGER IF EXISTS zz_ddl_end;
        DROP FUNCTION IF EXISTS zz_ddl_start();
        DROP FUNCTION IF EXISTS zz_ddl_end();
        DROP TABLE IF EXISTS zz_ddl_log;
        """;

    private readonly string _connectionString;

    private DdlRecorder(string connectionString) => _connectionString = connectionString;

    /// <summary>The recorder's own table: leave it out of comparisons of the database's tables.</summary>
    public const string LogTable = "zz_ddl_log";

    public static async Task<DdlRecorder> StartAsync(string connectionString)
    {
        await ExecuteAsync(connectionString, Setup);
        return new DdlRecorder(connectionString);
    }

    /// <summary>Each command in order: <c>start TAG</c>, or <c>end TAG object-type identity</c>.</summary>
    public async Task<IReadOnlyList<string>> CommandsAsync()
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT phase || ' ' || tag || coalesce(' ' || object_type || ' ' || identity, '') FROM zz_ddl_log ORDER BY id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    /// <summary>Forgets what was recorded so far.</summary>
    public Task ClearAsync() => ExecuteAsync(_connectionString, "TRUNCATE zz_ddl_log");

    public async ValueTask DisposeAsync() => await ExecuteAsync(_connectionString, Teardown);

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

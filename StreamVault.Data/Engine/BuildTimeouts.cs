using System.Globalization;
using Npgsql;

namespace StreamVault.Data.Engine;

/// <summary>
/// The session settings of concurrent index builds, which run outside any transaction and so cannot use SET LOCAL.
/// A role's or database's statement_timeout would cancel a long build, and its lock_timeout would cancel the build's
/// wait for older transactions: either leaves an INVALID index. So where the session's settings differ from the
/// engine's (statement_timeout <see cref="StreamVaultDataOptions.StatementTimeout"/>, none by default; lock_timeout none,
/// since a build's lock blocks none of the app's reads or writes), each build is preceded by SET and followed by
/// RESET, which returns to the role's own values. Where they already agree nothing is sent, so a session keeps no
/// state a pooler could hand on.
/// </summary>
internal sealed record BuildTimeouts(string Set, string Reset)
{
    /// <summary>The SET/RESET pair for this session, or null when its settings already are the engine's.</summary>
    public static async Task<BuildTimeouts?> ForSessionAsync(
        NpgsqlConnection connection, StreamVaultDataOptions options, bool async, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var statementTimeout = LockTimeouts.StatementTimeoutMilliseconds(options);
        var differs = await Sql.ScalarAsync<bool>(connection, string.Create(CultureInfo.InvariantCulture, $"""
            SELECT (SELECT setting::bigint FROM pg_settings WHERE name = 'statement_timeout') <> {statementTimeout}
                OR (SELECT setting::bigint FROM pg_settings WHERE name = 'lock_timeout') <> 0
            """), async, cancellationToken);
        return differs
            ? new BuildTimeouts(
                string.Create(CultureInfo.InvariantCulture, $"SET statement_timeout = {statementTimeout}; SET lock_timeout = 0"),
                "RESET statement_timeout; RESET lock_timeout")
            : null;
    }
}

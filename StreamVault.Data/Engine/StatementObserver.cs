using Npgsql;

namespace StreamVault.Data.Engine;

/// <summary>One statement of a migration as the engine runs it.</summary>
/// <param name="MigrationId">The migration.</param>
/// <param name="Index">Its position among the migration's statements (as <c>plan</c> numbers them), from 0.</param>
/// <param name="Sql">The statement as the migration wrote it.</param>
/// <param name="Transactional">False when it runs outside a transaction (a concurrent build, a validation).</param>
/// <param name="SkippedByEngine">A concurrent build the engine does not send, its index being present and valid.</param>
internal sealed record StatementRun(string MigrationId, int Index, string Sql, bool Transactional, bool SkippedByEngine);

/// <summary>
/// Hears each statement of a run start and finish on the run's own connection (plan's rehearsal measures locks,
/// rewrites and durations there). A <see cref="StreamVaultDataOptions.Progress"/> that implements it is called; the
/// calls happen on the run's connection between statements, inside the statement's transaction where it has one.
/// </summary>
internal interface IStatementObserver
{
    void StatementStarting(StatementRun statement, NpgsqlConnection connection);

    /// <summary>The statement succeeded; its transaction (if any) is still open.</summary>
    void StatementFinished(StatementRun statement, NpgsqlConnection connection);

    /// <summary>The statement failed; its transaction (if any) is aborted, so nothing may be read on the connection.</summary>
    void StatementFailed(StatementRun statement);
}

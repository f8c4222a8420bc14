using System.Text;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;

namespace StreamVault.Data.Tests.Design;

/// <summary>
/// What <c>dotnet ef migrations script --idempotent</c> makes of a migration's own commands: the provider's SQL in
/// idempotent mode, each command wrapped in the history table's IF (NOT) EXISTS block, transactions around the
/// transactional stretches, as EF 10's Migrator.GenerateScript writes them. The history and ledger rows the engine's
/// repository appends are left out: they carry the host's name, and that script path is being reworked (issue #19, item 5).
/// </summary>
public static class IdempotentScript
{
    public static string For(string migrationId, Migration migration)
    {
        ArgumentNullException.ThrowIfNull(migration);
        using var context = StreamVaultDatabase.CreateContext("Host=unused");
        var history = context.GetService<IHistoryRepository>();
        var sql = context.GetService<IMigrationsSqlGenerator>();
        var helper = context.GetService<ISqlGenerationHelper>();
        const MigrationsSqlGenerationOptions options = MigrationsSqlGenerationOptions.Idempotent | MigrationsSqlGenerationOptions.Script;
        var script = new StringBuilder();
        script.Append("-- Up\n");
        Append(script, sql.Generate(migration.UpOperations, null, options), history.GetBeginIfNotExistsScript(migrationId), history.GetEndIfScript(), helper);
        script.Append("-- Down\n");
        Append(script, sql.Generate(migration.DownOperations, null, options), history.GetBeginIfExistsScript(migrationId), history.GetEndIfScript(), helper);
        return script.ToString().ReplaceLineEndings("\n");
    }

    /// <summary>Migrator.GenerateSqlScript (EF 10), which is private.</summary>
    private static void Append(StringBuilder script, IReadOnlyList<MigrationCommand> commands, string condition, string end, ISqlGenerationHelper helper)
    {
        var inTransaction = false;
        foreach (var command in commands)
        {
            if (!inTransaction && !command.TransactionSuppressed)
            {
                script.Append(helper.StartTransactionStatement).Append('\n');
                inTransaction = true;
            }

            if (inTransaction && command.TransactionSuppressed)
            {
                script.Append(helper.CommitTransactionStatement).Append('\n').Append(helper.BatchTerminator);
                inTransaction = false;
            }

            script.Append(condition.TrimEnd()).Append('\n');
            foreach (var line in command.CommandText.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n'))
            {
                script.Append(line.Length == 0 ? "" : "    " + line).Append('\n');
            }

            script.Append(end);
            script.Append(inTransaction ? "\n" : helper.BatchTerminator);
        }

        if (inTransaction)
        {
            script.Append(helper.CommitTransactionStatement).Append('\n').Append(helper.BatchTerminator);
        }
    }
}

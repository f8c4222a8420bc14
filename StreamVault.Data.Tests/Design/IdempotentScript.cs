using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using StreamVault.Data.Engine;
using StreamVault.Data.Ledger;

namespace StreamVault.Data.Tests.Design;

/// <summary>
/// What <c>dotnet ef migrations script --idempotent</c> makes of one generated migration: the engine's psql script
/// (<see cref="PsqlScript"/>, which the migrator writes for EF's idempotent mode) from the migration's own section on
/// (the history and ledger set-up before it lists the whole catalog, which each new migration would change), with the
/// host and EF version the ledger and history rows carry replaced by placeholders, the same on every machine.
/// </summary>
public static class IdempotentScript
{
    public static string For(string migrationId, Migration migration)
    {
        ArgumentNullException.ThrowIfNull(migration);
        using var context = StreamVaultDatabase.CreateContext("Host=unused");
        var script = PsqlScript.Build(
            [(migrationId, migration)], context.GetService<IHistoryRepository>(), context.GetService<LedgerHistoryRepository>(),
            context.GetService<IMigrationsSqlGenerator>());
        return script[script.IndexOf($"-- Migration {migrationId}\n", StringComparison.Ordinal)..]
            .Replace(AppliedBy.Current, "<applied-by>", StringComparison.Ordinal)
            .Replace($"'{ProductInfo.GetVersion()}'", "'<ef-version>'", StringComparison.Ordinal)
            .ReplaceLineEndings("\n");
    }
}

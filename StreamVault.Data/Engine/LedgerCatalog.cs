using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using StreamVault.Data.Migrations;

namespace StreamVault.Data.Engine;

/// <summary>
/// What the ledger writes need about this context's migrations: each one's ledger entry (name and checksum). One per
/// context (scoped in EF's service provider), for the history repository, the command executor,
/// the migrator and the operations alike.
/// </summary>
internal sealed class LedgerCatalog(IMigrationsAssembly migrationsAssembly, IMigrationsSqlGenerator sqlGenerator, ICurrentDbContext currentContext)
{
    /// <summary>Every migration of the context's migrations assembly, in id order.</summary>
    public IReadOnlyList<LedgerEntry> Entries
        => MigrationCatalog.Entries(migrationsAssembly, sqlGenerator, currentContext.Context.Database.ProviderName!);

    /// <summary>The ledger entry of a migration; one this assembly does not know gets its plain name and no checksum.</summary>
    public LedgerEntry Entry(string migrationId)
        => Entries.FirstOrDefault(e => e.MigrationId == migrationId)
           ?? new LedgerEntry(migrationId, KnownMigrations.LedgerNameFor(migrationId), Checksum: "");
}

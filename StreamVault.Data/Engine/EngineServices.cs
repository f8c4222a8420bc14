// Replacing Npgsql's relational connection names its internal service interface; the replacement lives in Engine/.
#pragma warning disable EF1001

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Storage.Internal;

namespace StreamVault.Data.Engine;

/// <summary>
/// The EF services the engine and the ledger replace, in one list (the history repository is replaced in
/// <see cref="StreamVaultOptionsExtension.ApplyServices"/>, where it is also registered as itself).
/// </summary>
internal static class EngineServices
{
    public static DbContextOptionsBuilder UseStreamVaultEngine(this DbContextOptionsBuilder builder)
        => builder
            // Every connection string on the one shared data source, also when the EF tools set it late.
            .ReplaceService<INpgsqlRelationalConnection, StreamVaultRelationalConnection>()
            .ReplaceService<IMigrationCommandExecutor, LedgerMigrationCommandExecutor>()
            .ReplaceService<IMigrator, StreamVaultMigrator>();
}

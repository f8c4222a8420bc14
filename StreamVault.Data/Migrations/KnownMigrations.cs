namespace StreamVault.Data.Migrations;

/// <summary>
/// The one migration catalog: every migration of this assembly, in id order, with the name the ledger files it under and
/// the checksum of its Up SQL (<see cref="Entries"/>, written at build time by StreamVault.Data.Generators from the
/// migration classes). The pre-EF no-op check, status and the native front read it without EF; the engine uses it too.
/// </summary>
internal static partial class KnownMigrations
{
    /// <summary>The name <paramref name="migrationId"/> is recorded under in <c>applied_migrations</c>.</summary>
    public static string LedgerNameFor(string migrationId)
        => Entries.FirstOrDefault(e => e.MigrationId == migrationId)?.LedgerName ?? migrationId;
}

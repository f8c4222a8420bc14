namespace StreamVault.Data.Migrations;

/// <summary>What the ledger records about one migration: its EF id, the name it is filed under, its SQL's checksum.</summary>
internal sealed record LedgerEntry(string MigrationId, string LedgerName, string Checksum);

namespace StreamVault.Data.Ledger;

/// <summary>What the ledger records about one migration: its EF id, the name it is filed under, its SQL's checksum.</summary>
public sealed record LedgerEntry(string MigrationId, string LedgerName, string Checksum);

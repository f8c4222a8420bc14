namespace StreamVault.Data.Ledger;

/// <summary>
/// EF's history table and its columns, already delimited for SQL. Taken from the history repository,
/// because the snake_case convention renames its columns (<c>migration_id</c>, <c>product_version</c>).
/// </summary>
internal sealed record HistoryTable(string Table, string MigrationIdColumn, string ProductVersionColumn);

namespace StreamVault.Data.Ledger;

/// <summary>EF's history table and its columns, already delimited for SQL.</summary>
internal sealed record HistoryTable(string Table, string MigrationIdColumn, string ProductVersionColumn)
{
    /// <summary>
    /// The one history table of this layer: <c>__EFMigrationsHistory</c> (the options builder fixes the name), its columns
    /// renamed by the snake_case convention. A test compares it with what EF's history repository computes.
    /// </summary>
    public static readonly HistoryTable Default = new("\"__EFMigrationsHistory\"", "migration_id", "product_version");
}

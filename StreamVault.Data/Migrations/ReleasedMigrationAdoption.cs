namespace StreamVault.Data.Migrations;

/// <summary>
/// When the engine records a migration of the first release (up to <c>ConvergeLegacySchema</c>) without running it.
/// Those migrations were written for June 2025 databases. On a database a newer app release made they would put
/// <c>ix_streamers_id</c> and <c>idx_system_config_key</c> beside the primary key and unique constraint that
/// already index those columns, and <c>ConvergeLegacySchema</c> would rewrite the <c>varchar(n)</c> types and
/// defaults that release set. Released migrations never change, so the engine adopts them instead: when
/// everything a migration would create that holds data or serves queries is already there (in any release's
/// variant), it records the migration in EF history and the ledger without running its SQL. On an empty
/// database, or where something is missing, the migration runs as released. Migrations added later are
/// idempotent and always run.
/// </summary>
internal static class ReleasedMigrationAdoption
{
    public static string All(params string[] checks) => "(" + string.Join("\n AND ", checks) + ")";

    public static string Columns(string table, params string[] columns)
        => $"{CatalogSql.ColumnCount(table, columns)} = {columns.Length}";

    public static string Index(string table, string name, string column)
        => CatalogSql.ValidIndex(name, table, $"USING btree ({column})");
}

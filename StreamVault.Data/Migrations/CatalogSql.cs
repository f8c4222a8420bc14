namespace StreamVault.Data.Migrations;

/// <summary>
/// The one place for the catalog questions the engine, the ledger and the adoption checks ask of the current schema:
/// does a table exist, how many of some columns does it have, is an index there and valid. Each returns SQL (an
/// expression or a query) built from names this layer knows, never from user input. pg_catalog rather than
/// information_schema: the no-op check asks on every start, and the views cost milliseconds.
/// </summary>
internal static class CatalogSql
{
    /// <summary>One boolean: whether the relation named by the parameter <c>@name</c> (delimited as SQL writes it) exists.</summary>
    public const string RelationExistsQuery = "SELECT to_regclass(@name) IS NOT NULL";

    /// <summary>An integer expression: how many of <paramref name="columns"/> <paramref name="table"/> has (0 when it does not exist).</summary>
    public static string ColumnCount(string table, IEnumerable<string> columns)
        => $"""
            (SELECT count(*) FROM pg_attribute
             WHERE attrelid = to_regclass({Literal(table)}) AND attnum > 0 AND NOT attisdropped
               AND attname IN ({string.Join(", ", columns.Select(Literal))}))
            """;

    /// <summary>
    /// A boolean expression: a valid index named <paramref name="name"/> exists in the current schema, on
    /// <paramref name="table"/> and ending in <paramref name="definitionEnd"/> (e.g. <c>USING btree (title)</c>) when given.
    /// </summary>
    public static string ValidIndex(string name, string? table = null, string? definitionEnd = null)
        => $"""
            EXISTS (SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                    WHERE c.relname = {Literal(name)} AND c.relnamespace = current_schema()::regnamespace AND i.indisvalid{(table is null ? "" : $"\n                      AND i.indrelid = to_regclass({Literal(table)})")}{(definitionEnd is null ? "" : $"\n                      AND pg_get_indexdef(i.indexrelid) LIKE {Literal("% " + definitionEnd)}")})
            """;

    private static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}

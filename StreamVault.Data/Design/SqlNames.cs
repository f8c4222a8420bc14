using Microsoft.EntityFrameworkCore.Storage;

namespace StreamVault.Data.Design;

/// <summary>
/// How generated SQL spells names, literals and the catalog checks every guard uses. Identifiers are delimited by
/// the provider (quoted only where PostgreSQL needs it), so the frozen SQL reads like the hand-written migrations.
/// </summary>
internal sealed class SqlNames(ISqlGenerationHelper helper)
{
    /// <summary>A column, constraint or index name as SQL.</summary>
    public string Identifier(string name) => helper.DelimitIdentifier(name);

    /// <summary>A table (or sequence) name as SQL, schema-qualified when it has a schema.</summary>
    public string Table(string name, string? schema) => helper.DelimitIdentifier(name, schema);

    /// <summary>A SQL string literal.</summary>
    public static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>A RAISE format string: a literal whose <c>%</c> signs are not placeholders.</summary>
    public static string Message(string text) => Literal(text.Replace("%", "%%", StringComparison.Ordinal));

    /// <summary>The relation's oid, or NULL when it does not exist.</summary>
    public string ToRegClass(string name, string? schema) => "to_regclass(" + Literal(Table(name, schema)) + ")";

    /// <summary>True when the table has the column (the guard every column change runs first); false when the table is missing.</summary>
    public string ColumnExists(string table, string? schema, string column)
        => $"EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = {ToRegClass(table, schema)} AND attname = {Literal(column)} AND NOT attisdropped)";

    /// <summary>True when the table has a constraint of that name.</summary>
    public string ConstraintExists(string table, string? schema, string constraint)
        => $"EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = {ToRegClass(table, schema)} AND conname = {Literal(constraint)})";

    /// <summary>Indents every non-empty line of <paramref name="sql"/>.</summary>
    public static string Indent(string sql, int spaces)
    {
        var pad = new string(' ', spaces);
        return string.Join('\n', sql.Split('\n').Select(line => line.Length == 0 ? line : pad + line));
    }

    /// <summary>
    /// Names the engine and the revert plan read back from migration text (concurrent builds, <c>DROP TABLE</c>, …) must
    /// be plain lower-case words; the naming convention makes every name so.
    /// </summary>
    public static bool IsPlain(string name) => name.Length > 0 && (char.IsAsciiLetterLower(name[0]) || name[0] == '_')
                                               && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_');
}

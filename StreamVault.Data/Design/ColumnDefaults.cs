using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace StreamVault.Data.Design;

/// <summary>
/// What a column's default means for the rows a table already holds. PostgreSQL stores a constant default once in
/// the catalog and existing rows read it (no rewrite); anything else either rewrites the table under an exclusive lock
/// to give each row its own value (<c>clock_timestamp()</c>, <c>random()</c>, <c>gen_random_uuid()</c>, <c>nextval</c>
/// of a serial or identity, a stored computed column) or stamps every existing row with the migration's time
/// (<c>now()</c>, <c>CURRENT_TIMESTAMP</c>), which is not what those rows' values were.
/// </summary>
internal static partial class ColumnDefaults
{
    /// <summary>
    /// The default's expression when it is not a constant (for the refusal message), or null when the column has a
    /// constant default or none at all.
    /// </summary>
    public static string? NonConstant(ColumnOperation column)
    {
        ArgumentNullException.ThrowIfNull(column);
        if (column.ComputedColumnSql is { } computed)
        {
            return $"computed as ({computed})";
        }

        switch (column[NpgsqlAnnotations.ValueGenerationStrategy] as NpgsqlValueGenerationStrategy?)
        {
            case NpgsqlValueGenerationStrategy.SerialColumn:
                return "nextval of a new serial sequence";
            case NpgsqlValueGenerationStrategy.IdentityByDefaultColumn:
            case NpgsqlValueGenerationStrategy.IdentityAlwaysColumn:
                return "the next value of a new identity sequence";
        }

        return column.DefaultValueSql is { } sql && !IsConstant(sql) ? sql : null;
    }

    /// <summary>Whether the column has any default (a CLR value or SQL).</summary>
    public static bool HasDefault(ColumnOperation column)
    {
        ArgumentNullException.ThrowIfNull(column);
        return column.DefaultValue is not null || column.DefaultValueSql is not null;
    }

    /// <summary>A literal (number, string, boolean, NULL), optionally cast: the defaults PostgreSQL stores once.</summary>
    public static bool IsConstant(string sql) => ConstantExpression().IsMatch(sql);

    [GeneratedRegex(
        @"^\s*\(?\s*(NULL|TRUE|FALSE|[-+]?\d+(\.\d+)?|'(?:[^']|'')*')\s*\)?(\s*::\s*[A-Za-z_][A-Za-z0-9_ ]*(\(\s*\d+(\s*,\s*\d+)?\s*\))?(\[\])?)*\s*$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ConstantExpression();
}

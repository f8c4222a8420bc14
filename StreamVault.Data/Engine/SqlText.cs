using System.Text;

namespace StreamVault.Data.Engine;

/// <summary>
/// The lexical pieces a statement planner needs from migration SQL: its top-level statements (split at semicolons
/// outside quotes, dollar quotes, comments and parentheses), a <c>DO</c> block's body, the text with comments removed
/// and string literals blanked (so a message or a format string is never read as DDL), and the items of a
/// parenthesised or comma-separated list.
/// </summary>
internal static class SqlText
{
    /// <summary>The statements of <paramref name="sql"/>, trimmed, without their semicolons and comments, empty ones left out.</summary>
    public static IReadOnlyList<string> Statements(string sql)
        => [.. SplitAtDepthZero(sql, ';').Select(s => WithoutComments(s).Trim()).Where(s => s.Length > 0)];

    /// <summary>The body of a <c>DO $tag$ … $tag$</c> statement, or null when it is not one.</summary>
    public static string? DoBody(string statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        if (!statement.StartsWith("DO", StringComparison.OrdinalIgnoreCase) || statement.Length < 3 || !char.IsWhiteSpace(statement[2]))
        {
            return null;
        }

        var open = statement.IndexOf('$', StringComparison.Ordinal);
        if (open < 0)
        {
            return null;
        }

        var close = statement.IndexOf('$', open + 1);
        if (close < 0)
        {
            return null;
        }

        var tag = statement[open..(close + 1)];
        var end = statement.IndexOf(tag, close + 1, StringComparison.Ordinal);
        return end < 0 ? null : statement[(close + 1)..end];
    }

    /// <summary>The text with comments removed and the content of every string literal replaced by spaces.</summary>
    public static string Blanked(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var text = new StringBuilder(sql.Length);
        for (var i = 0; i < sql.Length; i++)
        {
            if (sql[i] == '\'')
            {
                var end = SkipQuoted(sql, i);
                text.Append('\'').Append(' ', Math.Max(0, end - i - 2)).Append(end - i >= 2 ? "'" : "");
                i = end - 1;
                continue;
            }

            if (IsCommentStart(sql, i))
            {
                // As long as the comment: positions in the blanked text are positions in the SQL.
                var end = SkipQuoted(sql, i);
                text.Append(' ', end - i);
                i = end - 1;
                continue;
            }

            text.Append(sql[i]);
        }

        return text.ToString();
    }

    /// <summary>
    /// The items of a list separated by commas at depth 0 (<c>a, b(c, d), e</c> gives three), trimmed; quotes and
    /// dollar quotes are respected.
    /// </summary>
    public static IReadOnlyList<string> SplitTopLevel(string list)
        => [.. SplitAtDepthZero(list, ',').Select(s => s.Trim()).Where(s => s.Length > 0)];

    /// <summary>The parts of <paramref name="text"/> between the <paramref name="separator"/>s outside parentheses, quotes and comments.</summary>
    private static List<string> SplitAtDepthZero(string text, char separator)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = new List<string>();
        var start = 0;
        var depth = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var skip = SkipQuoted(text, i);
            if (skip > i)
            {
                i = skip - 1;
                continue;
            }

            if (text[i] == '(')
            {
                depth++;
            }
            else if (text[i] == ')')
            {
                depth = Math.Max(0, depth - 1);
            }
            else if (text[i] == separator && depth == 0)
            {
                parts.Add(text[start..i]);
                start = i + 1;
            }
        }

        parts.Add(text[start..]);
        return parts;
    }

    /// <summary>The text between the parenthesis at <paramref name="open"/> and its match, or null when unbalanced.</summary>
    public static string? Parenthesised(string sql, int open)
    {
        ArgumentNullException.ThrowIfNull(sql);
        if (open < 0 || open >= sql.Length || sql[open] != '(')
        {
            return null;
        }

        var depth = 0;
        for (var i = open; i < sql.Length; i++)
        {
            var skip = SkipQuoted(sql, i);
            if (skip > i)
            {
                i = skip - 1;
                continue;
            }

            if (sql[i] == '(')
            {
                depth++;
            }
            else if (sql[i] == ')' && --depth == 0)
            {
                return sql[(open + 1)..i];
            }
        }

        return null;
    }

    /// <summary>A quoted identifier without its quotes, an unquoted one folded to lower case (as PostgreSQL reads both).</summary>
    public static string Name(string identifier)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        return identifier.Length >= 2 && identifier[0] == '"' && identifier[^1] == '"'
            ? identifier[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal)
            : identifier.ToLowerInvariant();
    }

    private static string WithoutComments(string sql)
    {
        var text = new StringBuilder(sql.Length);
        for (var i = 0; i < sql.Length; i++)
        {
            var skip = SkipQuoted(sql, i);
            if (skip > i)
            {
                if (!IsCommentStart(sql, i))
                {
                    text.Append(sql, i, skip - i);
                }
                else
                {
                    text.Append(' ');
                }

                i = skip - 1;
                continue;
            }

            text.Append(sql[i]);
        }

        return text.ToString();
    }

    private static bool IsCommentStart(string sql, int i)
        => i + 1 < sql.Length && ((sql[i] == '-' && sql[i + 1] == '-') || (sql[i] == '/' && sql[i + 1] == '*'));

    /// <summary>
    /// When a quoted piece (literal, quoted identifier, dollar quote, comment) starts at <paramref name="i"/>, the index just
    /// after it; else <paramref name="i"/>.
    /// </summary>
    private static int SkipQuoted(string sql, int i)
    {
        switch (sql[i])
        {
            case '\'' or '"':
            {
                var quote = sql[i];
                var j = i + 1;
                while (j < sql.Length)
                {
                    if (sql[j] == quote)
                    {
                        if (j + 1 < sql.Length && sql[j + 1] == quote)
                        {
                            j += 2;
                            continue;
                        }

                        return j + 1;
                    }

                    j++;
                }

                return sql.Length;
            }

            case '-' when i + 1 < sql.Length && sql[i + 1] == '-':
            {
                var end = sql.IndexOf('\n', i);
                return end < 0 ? sql.Length : end;
            }

            case '/' when i + 1 < sql.Length && sql[i + 1] == '*':
            {
                var end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                return end < 0 ? sql.Length : end + 2;
            }

            case '$':
            {
                var close = i + 1;
                while (close < sql.Length && (char.IsLetterOrDigit(sql[close]) || sql[close] == '_'))
                {
                    close++;
                }

                if (close >= sql.Length || sql[close] != '$' || (close > i + 1 && char.IsDigit(sql[i + 1])))
                {
                    return i;
                }

                var tag = sql[i..(close + 1)];
                var end = sql.IndexOf(tag, close + 1, StringComparison.Ordinal);
                return end < 0 ? sql.Length : end + tag.Length;
            }

            default:
                return i;
        }
    }
}

using System.Text;

namespace StreamVault.Data.Engine;

/// <summary>
/// PostgreSQL's table lock modes by the names its documentation gives them (<c>ACCESS EXCLUSIVE</c>), weakest first,
/// and the conversion from the names <c>pg_locks</c> shows (<c>AccessExclusiveLock</c>).
/// </summary>
internal static class LockModes
{
    public const string AccessShare = "ACCESS SHARE";
    public const string RowShare = "ROW SHARE";
    public const string RowExclusive = "ROW EXCLUSIVE";
    public const string ShareUpdateExclusive = "SHARE UPDATE EXCLUSIVE";
    public const string Share = "SHARE";
    public const string ShareRowExclusive = "SHARE ROW EXCLUSIVE";
    public const string Exclusive = "EXCLUSIVE";
    public const string AccessExclusive = "ACCESS EXCLUSIVE";

    private static readonly string[] Order = [AccessShare, RowShare, RowExclusive, ShareUpdateExclusive, Share, ShareRowExclusive, Exclusive, AccessExclusive];

    /// <summary>How strong a mode is: a higher number conflicts with more.</summary>
    public static int Strength(string mode) => Array.IndexOf(Order, mode);

    /// <summary>The stronger of two modes.</summary>
    public static string Stronger(string a, string b) => Strength(a) >= Strength(b) ? a : b;

    /// <summary>What blocks the app while the mode is held: the reads and writes it conflicts with.</summary>
    public static string Blocks(string mode) => mode switch
    {
        AccessExclusive => "blocks every read and write of the table while held",
        Exclusive => "blocks writes and most reads while held",
        ShareRowExclusive or Share => "blocks writes (INSERT, UPDATE, DELETE) while held; reads go on",
        ShareUpdateExclusive => "blocks no read or write (only other schema changes and VACUUM)",
        _ => "blocks no read or write",
    };

    /// <summary><c>AccessExclusiveLock</c> (pg_locks) as <c>ACCESS EXCLUSIVE</c>.</summary>
    public static string FromPgLocks(string mode)
    {
        ArgumentNullException.ThrowIfNull(mode);
        var name = mode.EndsWith("Lock", StringComparison.Ordinal) ? mode[..^4] : mode;
        var text = new StringBuilder();
        foreach (var c in name)
        {
            if (char.IsUpper(c) && text.Length > 0)
            {
                text.Append(' ');
            }

            text.Append(char.ToUpperInvariant(c));
        }

        return text.ToString();
    }
}

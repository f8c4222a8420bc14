using System.Text;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Design;

/// <summary>
/// Byte-for-byte comparison with a file under StreamVault.Data.Tests/Design/Golden/ in the checkout. With
/// STREAMVAULT_UPDATE_GOLDEN=1 the file is rewritten instead; without it a difference fails, printing the lines that differ.
/// </summary>
public static class GoldenFile
{
    public const string UpdateVariable = "STREAMVAULT_UPDATE_GOLDEN";

    public static string Directory => Path.Combine(RepositoryTools.Root, "StreamVault.Data.Tests", "Design", "Golden");

    public static void AssertMatches(string fileName, string actual)
    {
        ArgumentNullException.ThrowIfNull(actual);
        var path = Path.Combine(Directory, fileName);
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            System.IO.Directory.CreateDirectory(Directory);
            File.WriteAllText(path, actual, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            return;
        }

        Assert.True(File.Exists(path), $"no golden file {path}; run with {UpdateVariable}=1 to write it, then review it");
        var expected = File.ReadAllText(path);
        if (expected != actual)
        {
            Assert.Fail($"{fileName} differs from the generator's output ({UpdateVariable}=1 rewrites it):\n{Diff(expected, actual)}");
        }
    }

    /// <summary>A line diff (longest common subsequence): "- " lines only in the golden file, "+ " lines only in the output.</summary>
    public static string Diff(string expected, string actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        var common = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                common[i, j] = a[i] == b[j] ? common[i + 1, j + 1] + 1 : Math.Max(common[i + 1, j], common[i, j + 1]);
            }
        }

        var diff = new StringBuilder();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                x++;
                y++;
            }
            else if (y < b.Length && (x == a.Length || common[x, y + 1] >= common[x + 1, y]))
            {
                diff.Append("line ").Append(y + 1).Append(" + ").Append(b[y++]).Append('\n');
            }
            else
            {
                diff.Append("line ").Append(x + 1).Append(" - ").Append(a[x++]).Append('\n');
            }
        }

        return diff.ToString();
    }
}

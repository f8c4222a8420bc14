using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Docs;

/// <summary>
/// The README, the package READMEs and docs/ hold together: every relative link reaches a file of the repository,
/// every #anchor a heading of its page (GitHub's slugs), and the root README stays short. Absolute http(s) links are
/// not fetched; those into this repository on GitHub (PackageProjectUrl + /tree/main/ or /blob/main/, as the package
/// READMEs link, since nuget.org cannot resolve relative ones) are checked against the checkout.
/// </summary>
public sealed partial class DocsLinkTests
{
    private const int RootReadmeMaxLines = 150;

    private static readonly string[] PackageReadmes = ["StreamVault.Data/README.md", "StreamVault.Cli/README.md"];

    private static readonly string[] GitHubTrees = ["/tree/main", "/blob/main"];

    /// <summary>Every page the test covers, relative to the repository root, with '/' separators.</summary>
    public static TheoryData<string> Pages()
    {
        var pages = new TheoryData<string> { "README.md" };
        foreach (var readme in PackageReadmes)
        {
            pages.Add(readme);
        }

        foreach (var page in Directory.EnumerateFiles(Path.Combine(RepositoryTools.Root, "docs"), "*.md").Order(StringComparer.Ordinal))
        {
            pages.Add("docs/" + Path.GetFileName(page));
        }

        return pages;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Every_relative_link_and_anchor_resolves(string page)
    {
        var problems = new List<string>();
        foreach (var link in Links(Read(page)))
        {
            if (Check(page, link) is { } problem)
            {
                problems.Add($"{page}: ({link}) {problem}");
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void The_root_readme_is_at_most_150_lines()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryTools.Root, "README.md")).Length;

        Assert.True(lines <= RootReadmeMaxLines, $"README.md has {lines} lines; move the depth to docs/ (at most {RootReadmeMaxLines})");
    }

    [Fact]
    public void The_docs_index_links_every_page()
    {
        var linked = Links(Read("docs/README.md"))
            .Select(l => l.Split('#')[0])
            .Where(l => l.Length > 0 && !l.Contains('/', StringComparison.Ordinal))
            .ToHashSet(StringComparer.Ordinal);
        var pages = Directory.EnumerateFiles(Path.Combine(RepositoryTools.Root, "docs"), "*.md")
            .Select(Path.GetFileName)
            .Where(p => p != "README.md");

        Assert.All(pages, p => Assert.True(linked.Contains(p!), $"docs/README.md does not link {p}"));
    }

    [Theory]
    [InlineData("StreamVault.Data/README.md")]
    [InlineData("StreamVault.Cli/README.md")]
    public void Package_readmes_link_only_absolute_urls(string page)
    {
        // nuget.org shows the README outside the repository, where a relative link leads nowhere.
        var relative = Links(Read(page)).Where(l => !Scheme().IsMatch(l)).ToList();

        Assert.True(relative.Count == 0, $"{page} has relative links: {string.Join(", ", relative)}");
    }

    [Theory]
    [InlineData("Before changing anything: standbys and roles", "before-changing-anything-standbys-and-roles")]
    [InlineData("The ledger (`applied_migrations`)", "the-ledger-applied_migrations")]
    [InlineData("migrate.sh, the main job", "migratesh-the-main-job")]
    [InlineData("The app's transactions are never deadlock victims", "the-apps-transactions-are-never-deadlock-victims")]
    [InlineData("`streamvault-db`, the operations [CLI](cli.md)", "streamvault-db-the-operations-cli")]
    [InlineData("Spans & metrics — 2026", "spans--metrics--2026")]
    public void Slugs_are_githubs(string heading, string slug) => Assert.Equal(slug, Slug(heading));

    /// <summary>Null when <paramref name="link"/> resolves, else why not.</summary>
    private static string? Check(string page, string link)
    {
        var hash = link.IndexOf('#', StringComparison.Ordinal);
        var path = hash < 0 ? link : link[..hash];
        var anchor = hash < 0 ? null : Uri.UnescapeDataString(link[(hash + 1)..]);

        string target;
        if (Scheme().IsMatch(path))
        {
            if (InRepository(path) is not { } local)
            {
                return null; // Another site, or mailto: nothing to check offline.
            }

            target = local;
        }
        else if (path.Length == 0)
        {
            target = page;
        }
        else
        {
            var unescaped = Uri.UnescapeDataString(path);
            var baseDirectory = unescaped.StartsWith('/') ? "" : Path.GetDirectoryName(page)!;
            target = Path.GetRelativePath(RepositoryTools.Root, Path.GetFullPath(Path.Combine(RepositoryTools.Root, baseDirectory, unescaped.TrimStart('/'))))
                .Replace(Path.DirectorySeparatorChar, '/');
            if (target.StartsWith("../", StringComparison.Ordinal) || target == "..")
            {
                return "leads out of the repository";
            }
        }

        var full = Path.Combine(RepositoryTools.Root, target.TrimEnd('/'));
        if (!File.Exists(full) && !Directory.Exists(full))
        {
            return $"{target} does not exist";
        }

        if (anchor is null)
        {
            return null;
        }

        if (!target.EndsWith(".md", StringComparison.OrdinalIgnoreCase) || !File.Exists(full))
        {
            return $"#{anchor} points into {target}, which is not a Markdown page";
        }

        var slugs = Slugs(Read(target));
        return slugs.Contains(anchor) ? null : $"{target} has no heading #{anchor} (it has: {string.Join(", ", slugs)})";
    }

    /// <summary>The repository path a github.com link into this repository names, or null for any other URL.</summary>
    private static string? InRepository(string url)
    {
        var project = ProjectUrl().Match(Read("Directory.Build.props")).Groups["url"].Value.TrimEnd('/');
        foreach (var tree in GitHubTrees)
        {
            var prefix = project + tree;
            if (url.Equals(prefix, StringComparison.Ordinal) || url.Equals(prefix + "/", StringComparison.Ordinal))
            {
                return ".";
            }

            if (url.StartsWith(prefix + "/", StringComparison.Ordinal))
            {
                return Uri.UnescapeDataString(url[(prefix.Length + 1)..]);
            }
        }

        return null;
    }

    private static string Read(string path) => File.ReadAllText(Path.Combine(RepositoryTools.Root, path));

    /// <summary>The Markdown outside fenced code blocks, one paragraph per item, inline code spans removed.</summary>
    private static IEnumerable<string> Prose(string markdown)
    {
        var paragraph = new StringBuilder();
        string? fence = null;
        foreach (var line in markdown.Split('\n'))
        {
            var trimmed = line.TrimStart();
            if (fence is not null)
            {
                if (trimmed.StartsWith(fence, StringComparison.Ordinal))
                {
                    fence = null;
                }

                continue;
            }

            if (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal))
            {
                fence = trimmed[..3];
                yield return CodeSpan().Replace(paragraph.ToString(), "");
                paragraph.Clear();
                continue;
            }

            if (trimmed.Length == 0)
            {
                yield return CodeSpan().Replace(paragraph.ToString(), "");
                paragraph.Clear();
                continue;
            }

            paragraph.Append(line).Append('\n');
        }

        yield return CodeSpan().Replace(paragraph.ToString(), "");
    }

    /// <summary>Inline link, image and autolink targets, and reference definitions.</summary>
    private static List<string> Links(string markdown)
    {
        var links = new List<string>();
        foreach (var paragraph in Prose(markdown))
        {
            links.AddRange(InlineLink().Matches(paragraph).Select(m => m.Groups["target"].Value.Trim('<', '>')));
            links.AddRange(AutoLink().Matches(paragraph).Select(m => m.Groups["target"].Value));
            links.AddRange(ReferenceDefinition().Matches(paragraph).Select(m => m.Groups["target"].Value.Trim('<', '>')));
        }

        return links;
    }

    /// <summary>The anchors GitHub gives the page's headings, a repeated heading getting -1, -2, ….</summary>
    private static HashSet<string> Slugs(string markdown)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var slugs = new HashSet<string>(StringComparer.Ordinal);
        string? fence = null;
        foreach (var line in markdown.Split('\n'))
        {
            var trimmed = line.TrimStart();
            if (fence is not null)
            {
                fence = trimmed.StartsWith(fence, StringComparison.Ordinal) ? null : fence;
                continue;
            }

            if (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal))
            {
                fence = trimmed[..3];
                continue;
            }

            if (Heading().Match(line) is not { Success: true } heading)
            {
                continue;
            }

            var slug = Slug(heading.Groups["text"].Value);
            var count = seen.GetValueOrDefault(slug);
            seen[slug] = count + 1;
            slugs.Add(count == 0 ? slug : $"{slug}-{count}");
        }

        return slugs;
    }

    /// <summary>
    /// GitHub's anchor for a heading (github-slugger): the text as shown (links reduced to their text, code to its
    /// content), lower-cased, without punctuation or symbols other than '-' and '_', each space a '-'.
    /// </summary>
    private static string Slug(string heading)
    {
        var text = InlineLink().Replace(heading.Trim(), m => m.Groups["text"].Value);
        var slug = new StringBuilder();
        foreach (var c in text.ToLowerInvariant())
        {
            if (c == ' ')
            {
                slug.Append('-');
            }
            else if (c is '-' or '_' || char.IsLetterOrDigit(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark)
            {
                slug.Append(c);
            }
        }

        return slug.ToString();
    }

    [GeneratedRegex(@"!?\[(?<text>(?:[^\[\]]|\[[^\[\]]*\])*)\]\((?<target><[^>\n]*>|[^)\s]*)(?:\s+""[^""]*"")?\)")]
    private static partial Regex InlineLink();

    [GeneratedRegex(@"<(?<target>[a-zA-Z][a-zA-Z0-9+.-]*:[^>\s]+)>")]
    private static partial Regex AutoLink();

    [GeneratedRegex(@"^ {0,3}\[[^\]]+\]:\s*(?<target>\S+)", RegexOptions.Multiline)]
    private static partial Regex ReferenceDefinition();

    [GeneratedRegex(@"(`+)(?:(?!\1).)+?\1", RegexOptions.Singleline)]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"^ {0,3}#{1,6}[ \t]+(?<text>.*?)(?:[ \t]+#+)?[ \t]*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"^[a-zA-Z][a-zA-Z0-9+.-]*:")]
    private static partial Regex Scheme();

    [GeneratedRegex(@"<PackageProjectUrl>(?<url>[^<]+)</PackageProjectUrl>")]
    private static partial Regex ProjectUrl();
}

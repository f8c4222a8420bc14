using StreamVault.Data.Operations;

namespace StreamVault.Data.Tests.Infrastructure;

/// <summary>
/// Compares two <see cref="SchemaFingerprint"/>s object by object (columns, indexes, constraints, triggers, sequences) "up
/// to the documented widenings" (docs/releases.md): what the reference has must be there, the same or as the model and
/// <see cref="ReleaseVariants"/> allow it (an unbounded type or a release's sized one, NULL allowed where June 2025
/// allowed it, an equivalent default, a release's variant of a constraint, a unique constraint covered by a release's
/// one on the same columns); what the reference lacks must have been in the database before the run, or be one of the
/// model's own objects. Everything else is returned as a difference.
/// </summary>
public static class CatalogComparison
{
    /// <param name="reference">The shape to reach (the newest release's, or a database migrated from empty).</param>
    /// <param name="actual">The migrated database.</param>
    /// <param name="before">The database before the run: objects it had may stay.</param>
    /// <param name="model">A database migrated from empty: the model's own objects may be there too.</param>
    public static List<string> Differences(string reference, string actual, string before, string model)
    {
        var want = Parse(reference);
        var have = Parse(actual);
        var kept = Parse(before);
        var own = Parse(model);
        var differences = new List<string>();
        foreach (var (key, line) in want)
        {
            if (!have.TryGetValue(key, out var found))
            {
                if (!IsCovered(key, line, have))
                {
                    differences.Add($"missing: {key} ({line.Trim()})");
                }

                continue;
            }

            if (found != line && !IsDocumentedVariant(key, line, found))
            {
                differences.Add($"differs: {key}: {found.Trim()}, the reference has {line.Trim()}");
            }
        }

        differences.AddRange(have.Keys
            .Where(key => !want.ContainsKey(key) && !kept.ContainsKey(key) && !own.ContainsKey(key))
            .Select(key => $"extra: {key} ({have[key].Trim()}), neither the release's nor the model's"));
        return differences;
    }

    /// <summary>A fingerprint's lines keyed by kind and object: <c>column streams.title</c>, <c>index streams.idx_streams_title</c>.</summary>
    public static Dictionary<string, string> Parse(string fingerprint)
    {
        ArgumentNullException.ThrowIfNull(fingerprint);
        var objects = new Dictionary<string, string>(StringComparer.Ordinal);
        var table = "";
        foreach (var line in fingerprint.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')))
        {
            if (line.StartsWith("table ", StringComparison.Ordinal))
            {
                table = line[6..];
                objects[line.EndsWith(" (absent)", StringComparison.Ordinal) ? "table " + table[..^9] : "table " + table] = line;
                continue;
            }

            var parts = line.Trim().Split(' ', 3);
            objects[$"{parts[0]} {table}.{parts[1]}"] = line;
        }

        return objects;
    }

    /// <summary>
    /// An index or unique constraint of the reference that another index on the same columns stands in for, as validate
    /// reports it ("covered"): June 2025's uq_user_category, or the key behind the first release's redundant ix_streamers_id.
    /// </summary>
    private static bool IsCovered(string key, string line, Dictionary<string, string> have)
    {
        var constraint = key.StartsWith("constraint ", StringComparison.Ordinal);
        var unique = line.Contains(" UNIQUE (", StringComparison.Ordinal) || line.Contains("CREATE UNIQUE INDEX", StringComparison.Ordinal);
        if (!(constraint ? unique : key.StartsWith("index ", StringComparison.Ordinal)))
        {
            return false;
        }

        var table = key[(key.IndexOf(' ', StringComparison.Ordinal) + 1)..key.IndexOf('.', StringComparison.Ordinal)];
        var columns = " USING btree " + line[line.LastIndexOf('(')..];
        return have.Any(h => h.Key.StartsWith($"index {table}.", StringComparison.Ordinal) && h.Key != key.Replace("constraint ", "index ", StringComparison.Ordinal)
                             && (!unique || h.Value.Contains("CREATE UNIQUE INDEX", StringComparison.Ordinal))
                             && h.Value.EndsWith(columns, StringComparison.Ordinal));
    }

    private static bool IsDocumentedVariant(string key, string want, string have)
    {
        var (kind, table, name) = Split(key);
        if (kind == "constraint")
        {
            var definition = have.Trim().Split(' ', 4)[3];
            return ReleaseVariants.IsReleaseConstraint(table, name, definition) || IsReleaseVariantOfModel(table, name, want);
        }

        if (kind != "column")
        {
            return false;
        }

        var (wantType, wantNotNull, wantDefault) = Column(want);
        var (haveType, haveNotNull, haveDefault) = Column(have);
        var type = haveType == wantType
                   || (ReleaseVariants.IsUnboundedText(haveType) && (ReleaseVariants.IsUnboundedText(wantType) || ReleaseVariants.VarcharLength(wantType) is not null))
                   || ReleaseVariants.IsReleaseType(table, name, haveType);
        var nullability = haveNotNull == wantNotNull || ReleaseVariants.IsReleaseNotNull(table, name);
        return type && nullability && ReleaseVariants.Normalize(haveDefault) == ReleaseVariants.Normalize(wantDefault);
    }

    /// <summary>The model's constraint where the reference has a release's variant of it (comparing the newest with ours).</summary>
    private static bool IsReleaseVariantOfModel(string table, string name, string want)
        => ReleaseVariants.IsReleaseConstraint(table, name, want.Trim().Split(' ', 4)[3]);

    private static (string Kind, string Table, string Name) Split(string key)
    {
        var space = key.IndexOf(' ', StringComparison.Ordinal);
        var dot = key.IndexOf('.', StringComparison.Ordinal);
        return (key[..space], key[(space + 1)..dot], key[(dot + 1)..]);
    }

    /// <summary>A fingerprint column line (<c>column c type null|not null [default x]</c>) as type, NOT NULL and default.</summary>
    private static (string Type, bool NotNull, string? Default) Column(string line)
    {
        var text = line.Trim().Split(' ', 3)[2];
        var at = text.IndexOf(" default ", StringComparison.Ordinal);
        var head = at < 0 ? text : text[..at];
        var notNull = head.EndsWith(" not null", StringComparison.Ordinal);
        var type = notNull ? head[..^9] : head[..^5];
        return (type, notNull, at < 0 ? null : text[(at + 9)..]);
    }
}

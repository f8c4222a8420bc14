namespace StreamVault.Data.Operations;

/// <summary>
/// What the app's releases made differently from the migrations, and which validate therefore reports as a warning
/// rather than an error: the sized <c>varchar</c>s its hand-written migrations used (2025-06 to 2026-08), and the
/// defaults PostgreSQL renders differently for the same value. Taken from the app's migrations and models.
/// </summary>
internal static class ReleaseVariants
{
    private static readonly Dictionary<(string Table, string Column), string[]> Types = new()
    {
        [("streamers", "twitch_id")] = ["character varying(255)", "character varying(100)"],
        [("streamers", "username")] = ["character varying(255)", "character varying(100)"],
        [("streamers", "title")] = ["character varying(255)", "character varying(500)"],
        [("streamers", "category_name")] = ["character varying(255)", "character varying(100)"],
        [("streamers", "language")] = ["character varying(255)", "character varying(10)"],
        [("streamers", "profile_image_url")] = ["character varying(255)", "character varying(500)"],
        [("streamers", "original_profile_image_url")] = ["character varying(255)", "character varying(500)"],
        [("streams", "title")] = ["character varying(255)", "character varying(500)"],
        [("streams", "category_name")] = ["character varying(255)", "character varying(100)"],
        [("streams", "language")] = ["character varying(255)", "character varying(10)"],
        [("streams", "twitch_stream_id")] = ["character varying(255)", "character varying(100)"],
        [("streams", "recording_path")] = ["character varying(1024)"],
        [("global_settings", "http_proxy")] = ["character varying(255)"],
        [("global_settings", "https_proxy")] = ["character varying(255)"],
        [("push_subscriptions", "endpoint")] = ["character varying(2048)", "character varying(500)"],
        [("push_subscriptions", "user_agent")] = ["character varying(500)"],
        [("system_config", "key")] = ["character varying(255)", "character varying(100)"],
        [("system_config", "description")] = ["character varying(500)"],
    };

    /// <summary>Whether some app release gave this column exactly this type.</summary>
    public static bool IsReleaseType(string table, string column, string type)
        => Types.TryGetValue((table, column), out var types) && types.Contains(type, StringComparer.Ordinal);

    /// <summary>Unbounded text types: <c>text</c> and <c>varchar</c> without a length hold the same values.</summary>
    public static bool IsUnboundedText(string type) => type is "text" or "character varying";

    /// <summary>The length of a <c>character varying(n)</c>, or null for any other type.</summary>
    public static int? VarcharLength(string type)
        => type.StartsWith("character varying(", StringComparison.Ordinal) && type.EndsWith(')')
           && int.TryParse(type.AsSpan(18, type.Length - 19), System.Globalization.NumberStyles.None,
               System.Globalization.CultureInfo.InvariantCulture, out var length)
            ? length
            : null;

    /// <summary>
    /// A default as it behaves: <c>CURRENT_TIMESTAMP</c> is <c>now()</c>, and an explicit <c>NULL::type</c> is no
    /// default at all (the app's migration 032 writes one).
    /// </summary>
    public static string? Normalize(string? expression)
        => expression switch
        {
            null => null,
            "CURRENT_TIMESTAMP" => "now()",
            _ when expression.StartsWith("NULL::", StringComparison.Ordinal) => null,
            _ => expression,
        };
}

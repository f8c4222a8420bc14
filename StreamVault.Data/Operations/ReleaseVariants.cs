namespace StreamVault.Data.Operations;

/// <summary>
/// What the app's releases made differently from the migrations, and which validate therefore reports as a warning
/// rather than an error: the sized <c>varchar</c>s its hand-written migrations used (2025-06 to 2026-08), the NOT NULL
/// later releases added where June 2025 allowed NULL, June 2025's foreign keys without ON DELETE, and the defaults
/// PostgreSQL renders differently for the same value. Taken from the app's migrations and models.
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
        [("users", "username")] = ["character varying(100)"],
        [("users", "password")] = ["character varying(255)"],
        [("sessions", "token")] = ["character varying(255)"],
        [("categories", "twitch_id")] = ["character varying(255)"],
        [("categories", "name")] = ["character varying(255)", "character varying(100)"],
        [("categories", "box_art_url")] = ["character varying(500)"],
        [("stream_events", "event_type")] = ["character varying(100)"],
        [("stream_events", "title")] = ["character varying(500)"],
        [("stream_events", "category_name")] = ["character varying(100)"],
        [("stream_events", "language")] = ["character varying(10)"],
        [("stream_metadata", "thumbnail_path")] = ["character varying(500)"],
        [("stream_metadata", "thumbnail_url")] = ["character varying(500)"],
        [("stream_metadata", "nfo_path")] = ["character varying(500)"],
        [("stream_metadata", "json_path")] = ["character varying(500)"],
        [("stream_metadata", "chapters_vtt_path")] = ["character varying(500)"],
        [("stream_metadata", "chapters_srt_path")] = ["character varying(500)"],
        [("stream_metadata", "chapters_ffmpeg_path")] = ["character varying(500)"],
        [("streamer_recording_settings", "quality")] = ["character varying(50)"],
        [("streamer_recording_settings", "custom_filename")] = ["character varying(1024)"],
        [("recording_settings", "output_directory")] = ["character varying(500)"],
        [("recording_settings", "filename_template")] = ["character varying(500)"],
        [("recording_settings", "default_quality")] = ["character varying(50)"],
        [("recording_settings", "filename_preset")] = ["character varying(50)"],
    };

    /// <summary>
    /// Columns the model leaves nullable because the June 2025 release did (or, for <c>sessions.expires_at</c>, because
    /// June sessions have none), which every later release made NOT NULL.
    /// </summary>
    private static readonly HashSet<(string Table, string Column)> NotNull =
    [
        ("sessions", "user_id"),
        ("sessions", "expires_at"),
        ("favorite_categories", "user_id"),
        ("favorite_categories", "category_id"),
        ("stream_metadata", "stream_id"),
    ];

    /// <summary>Constraints a release defined differently under the same name: June 2025's favourites keys without ON DELETE.</summary>
    private static readonly Dictionary<(string Table, string Constraint), string[]> Constraints = new()
    {
        [("favorite_categories", "favorite_categories_user_id_fkey")] = ["FOREIGN KEY (user_id) REFERENCES users(id)"],
        [("favorite_categories", "favorite_categories_category_id_fkey")] = ["FOREIGN KEY (category_id) REFERENCES categories(id)"],
    };

    /// <summary>Whether some app release gave this column exactly this type.</summary>
    public static bool IsReleaseType(string table, string column, string type)
        => Types.TryGetValue((table, column), out var types) && types.Contains(type, StringComparer.Ordinal);

    /// <summary>Whether some app release made this column NOT NULL where the model allows NULL.</summary>
    public static bool IsReleaseNotNull(string table, string column) => NotNull.Contains((table, column));

    /// <summary>Whether some app release defined this constraint exactly so.</summary>
    public static bool IsReleaseConstraint(string table, string constraint, string definition)
        => Constraints.TryGetValue((table, constraint), out var definitions) && definitions.Contains(definition, StringComparer.Ordinal);

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
    /// A default as it behaves: <c>CURRENT_TIMESTAMP</c> is <c>now()</c>, an explicit <c>NULL::type</c> is no default at
    /// all (the app's migration 032 writes one), and a string literal is the same value whether PostgreSQL casts it to
    /// <c>text</c> or <c>character varying</c> (the column's type decides which it prints).
    /// </summary>
    public static string? Normalize(string? expression)
        => expression switch
        {
            null => null,
            "CURRENT_TIMESTAMP" => "now()",
            _ when expression.StartsWith("NULL::", StringComparison.Ordinal) => null,
            _ when expression.StartsWith('\'') && expression.EndsWith("'::character varying", StringComparison.Ordinal) => expression[..^19],
            _ when expression.StartsWith('\'') && expression.EndsWith("'::text", StringComparison.Ordinal) => expression[..^6],
            _ => expression,
        };
}

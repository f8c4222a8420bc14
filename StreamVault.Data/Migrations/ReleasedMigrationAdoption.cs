namespace StreamVault.Data.Migrations;

/// <summary>
/// When the engine records a migration of the first release (up to <c>ConvergeLegacySchema</c>) without running it.
/// Those migrations were written for June 2025 databases. On a database a newer app release made they would put
/// <c>ix_streamers_id</c> and <c>idx_system_config_key</c> beside the primary key and unique constraint that
/// already index those columns, and <c>ConvergeLegacySchema</c> would rewrite the <c>varchar(n)</c> types and
/// defaults that release set. Released migrations never change, so the engine adopts them instead: when
/// everything a migration would create that holds data or serves queries is already there (in any release's
/// variant), it records the migration in EF history and the ledger without running its SQL. On an empty
/// database, or where something is missing, the migration runs as released. Migrations added later are
/// idempotent and always run.
/// </summary>
internal static class ReleasedMigrationAdoption
{
    private static readonly Dictionary<string, string> Checks = new(StringComparer.Ordinal)
    {
        // Its redundant ix_streamers_id is not required: streamers_pkey indexes the same column.
        ["20240705000000_BaseSchema"] = All(
            Columns("streamers", "id", "twitch_id", "username", "is_live", "title", "category_name", "language", "last_updated",
                "profile_image_url", "original_profile_image_url", "created_at"),
            Columns("streams", "id", "streamer_id", "title", "category_name", "language", "started_at", "ended_at", "twitch_stream_id"),
            Columns("global_settings", "id", "notification_url", "notifications_enabled", "notify_online_global",
                "notify_offline_global", "notify_update_global", "notify_favorite_category_global")),
        ["20250522000000_AddStreamIndices"] = All(
            Index("streams", "idx_streams_streamer_id", "streamer_id"),
            Index("streams", "idx_streams_started_at", "started_at"),
            Index("streams", "idx_streams_title", "title")),
        ["20250609160908_AddRecordingPathToStreams"] = Columns("streams", "recording_path"),
        ["20250617000000_AddProxySettings"] = Columns("global_settings", "http_proxy", "https_proxy"),
        ["20250620000000_AddPushSubscriptions"] = All(
            Columns("push_subscriptions", "id", "endpoint", "subscription_data", "user_agent", "is_active", "created_at", "updated_at"),
            Index("push_subscriptions", "ix_push_subscriptions_endpoint", "endpoint"),
            Index("push_subscriptions", "ix_push_subscriptions_is_active", "is_active")),

        // Its redundant idx_system_config_key is not required: system_config_key_key indexes the same column.
        ["20250620000001_AddSystemConfig"] = Columns("system_config", "id", "key", "value", "description", "created_at", "updated_at"),

        // It only rewrote release variants into one shape; every release's variant is kept now, so it never has work.
        ["20261125000000_ConvergeLegacySchema"] = All(
            Columns("streamers", "twitch_id", "username", "title", "category_name", "language", "profile_image_url",
                "original_profile_image_url", "created_at"),
            Columns("streams", "title", "category_name", "language", "twitch_stream_id", "recording_path"),
            Columns("global_settings", "notification_url", "http_proxy", "https_proxy"),
            Columns("push_subscriptions", "endpoint", "user_agent", "is_active", "created_at", "updated_at"),
            Columns("system_config", "key", "description", "created_at", "updated_at")),
    };

    /// <summary>The migrations the engine may adopt, in id order.</summary>
    public static IReadOnlyCollection<string> Adoptable => Checks.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// A boolean SQL expression, true when <paramref name="migrationId"/>'s objects are all present in the current
    /// schema; null for a migration that is never adopted.
    /// </summary>
    public static string? PresenceCheck(string migrationId) => Checks.GetValueOrDefault(migrationId);

    private static string All(params string[] checks) => "(" + string.Join("\n AND ", checks) + ")";

    private static string Columns(string table, params string[] columns)
        => $"""
            (SELECT count(*) FROM pg_attribute
             WHERE attrelid = to_regclass('{table}') AND attnum > 0 AND NOT attisdropped
               AND attname IN ({string.Join(", ", columns.Select(c => $"'{c}'"))})) = {columns.Length}
            """;

    private static string Index(string table, string name, string column)
        => $"""
            EXISTS (SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                    WHERE c.relname = '{name}' AND c.relnamespace = current_schema()::regnamespace
                      AND i.indrelid = to_regclass('{table}') AND i.indisvalid
                      AND pg_get_indexdef(i.indexrelid) LIKE '% USING btree ({column})')
            """;
}

namespace StreamVault.Data.Migrations;

/// <summary>
/// The names the Python "safe" migration system recorded in <c>applied_migrations</c>. A still-running
/// Python app checks these names, so the EF migrations that replace its five migrations record under them;
/// every other migration is recorded under its EF id.
/// </summary>
internal static class LegacyMigrationNames
{
    private static readonly Dictionary<string, string> ByEfId = new(StringComparer.Ordinal)
    {
        ["20250522000000_AddStreamIndices"] = "20250522_add_stream_indices",
        ["20250609160908_AddRecordingPathToStreams"] = "20250609_add_recording_path",
        ["20250617000000_AddProxySettings"] = "20250617_add_proxy_settings",
        ["20250620000000_AddPushSubscriptions"] = "20250620_add_push_subscriptions",
        ["20250620000001_AddSystemConfig"] = "20250620_add_system_config",
    };

    /// <summary>The name a migration is recorded under in <c>applied_migrations</c>.</summary>
    public static string LedgerNameFor(string efMigrationId)
        => ByEfId.TryGetValue(efMigrationId, out var legacy) ? legacy : efMigrationId;
}

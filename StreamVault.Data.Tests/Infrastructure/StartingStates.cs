namespace StreamVault.Data.Tests.Infrastructure;

/// <summary>
/// The databases StreamVault installations really have, built once per run as templates from the fixtures
/// (derived from the Python app's June 2025 schema): empty, June 2025, before June 2025, and partially
/// migrated ones where only some of the five Python migrations were run by hand.
/// </summary>
public static class StartingStates
{
    public const string Empty = "empty";
    public const string June2025 = "june-2025";
    public const string PreJune2025 = "pre-june-2025";
    public const string PartialIndicesAndRecordingPath = "partial-indices-recording-path";
    public const string PartialProxiesAndPushWithDefault = "partial-proxies-push-default";
    public const string PartialAllFiveWithoutDefault = "partial-all-five-no-default";

    private static readonly Dictionary<string, string[]> Fixtures = new()
    {
        [Empty] = [],
        [June2025] = ["june-2025.sql"],
        [PreJune2025] = ["pre-june-2025.sql"],
        [PartialIndicesAndRecordingPath] =
        [
            "pre-june-2025.sql", "legacy-migrations/20250522_add_stream_indices.sql", "legacy-migrations/20250609_add_recording_path.sql",
        ],
        [PartialProxiesAndPushWithDefault] =
        [
            "pre-june-2025.sql", "legacy-migrations/applied-migrations-table.sql", "legacy-migrations/20250617_add_proxy_settings.sql",
            "legacy-migrations/20250620_add_push_subscriptions.sql",
        ],
        [PartialAllFiveWithoutDefault] =
        [
            "pre-june-2025.sql", "legacy-migrations/applied-migrations-table.sql", "legacy-migrations/20250522_add_stream_indices.sql",
            "legacy-migrations/20250609_add_recording_path.sql", "legacy-migrations/20250617_add_proxy_settings.sql",
            "legacy-migrations/20250620_add_push_subscriptions_no_default.sql", "legacy-migrations/20250620_add_system_config.sql",
        ],
    };

    public static IEnumerable<string> All => Fixtures.Keys;

    public static IEnumerable<string> Legacy => Fixtures.Keys.Where(k => k != Empty);

    /// <summary>A fresh database in the given starting state, cloned from its template.</summary>
    public static async Task<TestDatabase> CreateAsync(string state)
    {
        var files = Fixtures[state];
        if (files.Length == 0)
        {
            return await TestDatabase.CreateAsync();
        }

        var template = await TemplateDatabases.GetAsync("tpl_" + state.Replace('-', '_'), async db =>
        {
            foreach (var file in files)
            {
                await db.RunFixtureAsync("Fixtures/" + file);
            }
        });
        return await TestDatabase.CreateAsync(template);
    }
}

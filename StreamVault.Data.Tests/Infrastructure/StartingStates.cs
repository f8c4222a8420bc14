using System.Globalization;

namespace StreamVault.Data.Tests.Infrastructure;

/// <summary>
/// The databases StreamVault installations really have, built once per run as templates from the fixtures
/// (derived from the Python app's schemas): empty, June 2025, before June 2025, partially migrated ones where only
/// some of the five June Python migrations were run by hand, a June database the app upgraded half-way (its
/// migrations 001–014, September 2025), and a fresh install of the newest release (August 2026); and one database per
/// release of the app (<see cref="Releases"/>: each monthly release from 2025-06 to 2026-08, and v1.0.42/43).
/// </summary>
public static class StartingStates
{
    public const string Empty = "empty";
    public const string June2025 = "june-2025";
    public const string PreJune2025 = "pre-june-2025";
    public const string PartialIndicesAndRecordingPath = "partial-indices-recording-path";
    public const string PartialProxiesAndPushWithDefault = "partial-proxies-push-default";
    public const string PartialAllFiveWithoutDefault = "partial-all-five-no-default";
    public const string HalfWay2025 = "half-way-2025-09";
    public const string Newest2026 = "newest-2026-08";

    /// <summary>The database a monthly release (2025-06 to 2026-08) left after a fresh install and some use: <c>release-2025-07</c>.</summary>
    public static string Release(string month) => "release-" + month;

    /// <summary>The one-day v1.0.42/v1.0.43 shape (2025-07-24), whose tables neither its own ORM nor any later release uses.</summary>
    public const string ReleaseV1042 = "release-v1-0-42-43";

    /// <summary>The months with a release (none in 2025-05 and 2025-12), each with a fixture in Fixtures/releases/.</summary>
    public static readonly string[] ReleaseMonths =
    [
        "2025-06", "2025-07", "2025-08", "2025-09", "2025-10", "2025-11", "2026-01", "2026-02", "2026-03", "2026-04", "2026-05",
        "2026-06", "2026-07", "2026-08",
    ];

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
        [HalfWay2025] = ["june-2025.sql", "half-way-2025-09.sql"],
        [Newest2026] = ["newest-2026-08.sql"],
    };

    private static readonly Dictionary<string, string[]> ReleaseFixtures =
        ReleaseMonths.ToDictionary(Release, month => new[] { $"releases/streamvault-{month}.sql" }, StringComparer.Ordinal);

    static StartingStates()
    {
        foreach (var (state, files) in ReleaseFixtures)
        {
            Fixtures[state] = files;
        }

        Fixtures[ReleaseV1042] = ["releases/streamvault-v1.0.42-v1.0.43.sql"];
    }

    /// <summary>The hand-made and half-way states every migration test runs on (the release fixtures are <see cref="Releases"/>).</summary>
    public static IEnumerable<string> All => Fixtures.Keys.Where(k => !IsRelease(k));

    public static IEnumerable<string> Legacy => All.Where(k => k != Empty);

    /// <summary>One database per release of the app (each monthly release and v1.0.42/43), as that release made and used it.</summary>
    public static IEnumerable<string> Releases => Fixtures.Keys.Where(IsRelease);

    /// <summary>Every starting state: <see cref="All"/> and <see cref="Releases"/>.</summary>
    public static IEnumerable<string> Everything => Fixtures.Keys;

    private static bool IsRelease(string state) => state.StartsWith("release-", StringComparison.Ordinal);

    /// <summary>A fresh database in the given starting state, cloned from its template.</summary>
    public static async Task<TestDatabase> CreateAsync(string state)
        => Fixtures[state].Length == 0
            ? await TestDatabase.CreateAsync()
            : await TestDatabase.CreateAsync(await TemplateDatabases.GetAsync("tpl_" + state.Replace('-', '_'), db => LoadAsync(db, state)));

    /// <summary>A fresh database in the given starting state after a full migration (a template of its own).</summary>
    public static async Task<TestDatabase> CreateMigratedAsync(string state)
        => await TestDatabase.CreateAsync(await TemplateDatabases.GetAsync("tpl_migrated_" + state.Replace('-', '_'), async db =>
        {
            await LoadAsync(db, state);
            await Migrations.MigrateAsync(db.ConnectionString);
        }));

    /// <summary>
    /// A fresh database in the given starting state plus <paramref name="streams"/> more streams of its first ten streamers
    /// (a template of its own): the size at which locks and index builds take long enough to matter.
    /// </summary>
    public static async Task<TestDatabase> CreateWithBulkStreamsAsync(string state, int streams)
        => await TestDatabase.CreateAsync(await TemplateDatabases.GetAsync(
            string.Create(CultureInfo.InvariantCulture, $"tpl_{state.Replace('-', '_')}_{streams}_streams"), async db =>
            {
                await LoadAsync(db, state);
                await db.ExecuteSqlAsync(string.Create(CultureInfo.InvariantCulture, $"""
                    INSERT INTO streams (streamer_id, title, category_name, language, started_at, ended_at, twitch_stream_id)
                    SELECT (SELECT min(id) FROM streamers) + (g % 10), 'bulk stream ' || g, 'Just Chatting', 'en',
                           timestamptz '2025-01-01 00:00:00+00' + g * interval '1 minute',
                           timestamptz '2025-01-01 02:00:00+00' + g * interval '1 minute', 'bulk-' || g
                    FROM generate_series(1, {streams}) AS g;
                    """));
            }));

    private static async Task LoadAsync(TestDatabase db, string state)
    {
        foreach (var file in Fixtures[state])
        {
            await db.RunFixtureAsync("Fixtures/" + file);
        }
    }
}

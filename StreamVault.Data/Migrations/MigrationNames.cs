namespace StreamVault.Data.Migrations;

/// <summary>
/// The one rule for naming a migration on a command line (<c>migrate &lt;target&gt;</c>, <c>repair mark-applied</c>):
/// its EF id (<c>20250620000000_AddPushSubscriptions</c>), its name after the timestamp (<c>AddPushSubscriptions</c>)
/// or the name the Python app's ledger knows it by (<c>20250620_add_push_subscriptions</c>), case-insensitively.
/// </summary>
internal static class MigrationNames
{
    /// <summary>The EF id <paramref name="name"/> refers to among <paramref name="migrationIds"/>, or null when none does.</summary>
    public static string? Resolve(IEnumerable<string> migrationIds, string name)
    {
        ArgumentNullException.ThrowIfNull(migrationIds);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return migrationIds.FirstOrDefault(id =>
            string.Equals(id, name, StringComparison.OrdinalIgnoreCase)
            || string.Equals(id[(id.IndexOf('_', StringComparison.Ordinal) + 1)..], name, StringComparison.OrdinalIgnoreCase)
            || string.Equals(KnownMigrations.LedgerNameFor(id), name, StringComparison.OrdinalIgnoreCase));
    }
}

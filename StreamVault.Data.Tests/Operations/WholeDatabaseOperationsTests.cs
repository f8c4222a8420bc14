using StreamVault.Data.Operations;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Operations;

/// <summary>
/// validate and repair cover the 17 tables beyond the five, with their release variants: what is missing is an error and
/// is mended where that is safe, what a release made differently is a warning.
/// </summary>
public sealed class WholeDatabaseOperationsTests
{
    [Fact]
    public async Task Validate_names_what_is_missing_from_the_newer_tables_and_repair_mends_it()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await OperationsDatabases.MigratedFromJune2025Async();
        await database.ExecuteSqlAsync("""
            DROP INDEX idx_recordings_status;
            ALTER TABLE notification_state DROP CONSTRAINT notification_state_user_id_key;
            ALTER TABLE api_keys DROP CONSTRAINT api_keys_user_id_fkey;
            DROP TRIGGER update_recording_processing_state_updated_at ON recording_processing_state;
            """);

        var before = await SchemaValidator.ValidateAsync(database.ConnectionString, cancellationToken: ct);

        Assert.Equal(
        [
            "constraint api_keys.api_keys_user_id_fkey missing",
            "constraint notification_state.notification_state_user_id_key missing",
            "index recordings.idx_recordings_status missing",
            "trigger recording_processing_state.update_recording_processing_state_updated_at missing",
        ],
            before.Errors.Select(e => $"{e.Kind} {e.Table}.{e.Name} {e.Problem}").Order(StringComparer.Ordinal));

        var repair = await SchemaRepair.RepairAsync(database.ConnectionString, cancellationToken: ct);

        Assert.Equal(
        [
            ("api_keys_user_id_fkey", RepairActionStatus.Applied),
            ("idx_recordings_status", RepairActionStatus.Applied),
            ("notification_state_user_id_key", RepairActionStatus.Applied),
            ("update_recording_processing_state_updated_at", RepairActionStatus.Refused),
        ],
            repair.Actions.Select(a => (a.Name, a.Status)).Order());
        Assert.Equal(
            ["trigger recording_processing_state.update_recording_processing_state_updated_at missing"],
            repair.After!.Errors.Select(e => $"{e.Kind} {e.Table}.{e.Name} {e.Problem}"));
    }

    [Fact]
    public async Task Validate_reports_june_2025_s_variants_of_the_newer_tables_as_warnings()
    {
        await using var database = await OperationsDatabases.MigratedFromJune2025Async();

        var report = await SchemaValidator.ValidateAsync(database.ConnectionString, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Empty(report.Errors.Select(e => e.Message));
        var warnings = report.Checks.Where(c => c.Severity == CheckSeverity.Warning).Select(c => $"{c.Kind} {c.Table}.{c.Name} {c.Problem}").ToList();
        Assert.Contains("constraint favorite_categories.favorite_categories_user_id_fkey definition", warnings);
        Assert.Contains("constraint favorite_categories.favorite_categories_user_id_category_id_key covered", warnings);
        Assert.Contains("column stream_metadata.chat_path extra", warnings);
        Assert.Contains("index notification_settings.ix_notification_settings_id extra", warnings);
    }
}

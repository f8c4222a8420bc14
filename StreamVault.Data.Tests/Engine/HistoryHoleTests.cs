using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using StreamVault.Data.Engine;
using StreamVault.Data.Operations;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Engine;

/// <summary>
/// A hole in the history: an older migration's history and ledger rows and its objects are gone while every
/// newer migration is recorded. Status, the fast path and the next run must all see it.
/// </summary>
public sealed class HistoryHoleTests
{
    private const string Hole = "20250617000000_AddProxySettings";

    [Fact]
    public async Task An_older_migration_missing_from_history_is_pending_is_not_up_to_date_and_is_applied_by_the_next_run()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await StartingStates.CreateMigratedAsync(StartingStates.Empty);
        await db.ExecuteSqlAsync($"""
            DELETE FROM "__EFMigrationsHistory" WHERE migration_id = '{Hole}';
            DELETE FROM applied_migrations WHERE migration_name = '20250617_add_proxy_settings';
            ALTER TABLE global_settings DROP COLUMN http_proxy, DROP COLUMN https_proxy;
            """);

        var status = await DatabaseStatus.ReadAsync(db.ConnectionString, cancellationToken: ct);
        Assert.Equal([Hole], status.Pending);
        Assert.Equal(1, status.PendingCount);
        Assert.Equal([Hole], status.Holes);
        Assert.Contains($"\n🕳 {Hole} is not applied although newer migrations are: the next run applies it\n", status.ToText(), StringComparison.Ordinal);
        Assert.Equal(Infrastructure.Migrations.All().Count - 1, status.AppliedCount);
        Assert.Equal(MigrationStateKind.Pending, status.Migrations.Single(m => m.Id == Hole).State);

        using var logs = new CollectingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs));
        await Infrastructure.Migrations.MigrateAsync(db.ConnectionString, options: new StreamVaultDataOptions { LoggerFactory = loggerFactory });

        Assert.DoesNotContain(logs.Entries, e => e.EventId == MigrationEventIds.UpToDate);
        Assert.Equal([Hole], logs.Entries.Where(e => e.EventId == MigrationApplyingEventId).Select(e => MigrationIdIn(e.Message)));
        Assert.Equal(Infrastructure.Migrations.All(), await LedgerReader.HistoryAsync(db.ConnectionString));
        Assert.True(Assert.Single(await LedgerReader.RowsAsync(db.ConnectionString), r => r.Name == "20250617_add_proxy_settings").Success);
        Assert.Equal(2L, await db.ScalarAsync<long>(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'global_settings' AND column_name IN ('http_proxy', 'https_proxy')"));
        Assert.Empty((await DatabaseStatus.ReadAsync(db.ConnectionString, cancellationToken: ct)).Pending);
    }

    private const int MigrationApplyingEventId = 20402;

    private static string MigrationIdIn(string message)
        => Infrastructure.Migrations.All().Single(id => message.Contains(id, StringComparison.Ordinal));
}

using Microsoft.Extensions.Logging;

namespace StreamVault.Data.Ledger;

/// <summary>Structured log events of the ledger (source-generated, so disabled levels cost nothing).</summary>
internal static partial class LedgerLog
{
    [LoggerMessage(EventId = MigrationEventIds.FailureRecorded, Level = LogLevel.Error,
        Message = "Migration {MigrationId} failed and was recorded in applied_migrations under its EF id: {Error}")]
    public static partial void FailureRecorded(ILogger logger, string migrationId, string error);

    [LoggerMessage(EventId = MigrationEventIds.FailureNotRecorded, Level = LogLevel.Error,
        Message = "Migration {MigrationId} failed ({Error}); recording the failure in applied_migrations failed too: {RecordError}")]
    public static partial void FailureNotRecorded(ILogger logger, string migrationId, string error, string recordError);

    [LoggerMessage(EventId = MigrationEventIds.RevertFailed, Level = LogLevel.Error,
        Message = "Reverting migration {MigrationId} failed and it stays applied: {Error}")]
    public static partial void RevertFailed(ILogger logger, string migrationId, string error);

    [LoggerMessage(EventId = MigrationEventIds.Reconciled, Level = LogLevel.Warning, Message = "{Notice}")]
    public static partial void Reconciled(ILogger logger, string notice);
}

using Microsoft.Extensions.Logging;

namespace StreamVault.Data.Engine;

/// <summary>Structured log events of the migration engine.</summary>
internal static partial class EngineLog
{
    [LoggerMessage(EventId = MigrationEventIds.UpToDate, Level = LogLevel.Information, Message = "Database is up to date: all {Count} migrations applied, ledger in agreement")]
    public static partial void UpToDate(ILogger logger, int count);

    [LoggerMessage(EventId = MigrationEventIds.WaitingForRunLock, Level = LogLevel.Information, Message = "Waiting for the migration lock held by {Holder}")]
    public static partial void WaitingForRunLock(ILogger logger, string holder);

    [LoggerMessage(EventId = MigrationEventIds.RunLockAcquired, Level = LogLevel.Debug, Message = "Migration lock acquired after {ElapsedMs} ms")]
    public static partial void RunLockAcquired(ILogger logger, long elapsedMs);

    [LoggerMessage(EventId = MigrationEventIds.LockTimeoutRetry, Level = LogLevel.Warning,
        Message = "Migration {MigrationId} {Reason} (attempt {Attempt}); retrying in {DelayMs} ms. Lock holders: {Blockers}")]
    public static partial void LockTimeoutRetry(ILogger logger, string migrationId, string reason, int attempt, long delayMs, string blockers);

    [LoggerMessage(EventId = MigrationEventIds.Adopted, Level = LogLevel.Information,
        Message = "Adopting {MigrationId}: its objects are already present, so it is recorded without running its SQL")]
    public static partial void Adopted(ILogger logger, string migrationId);

    [LoggerMessage(EventId = MigrationEventIds.RunCancelled, Level = LogLevel.Warning,
        Message = "Migration run cancelled during {MigrationId}; its transaction rolled back and no failure is recorded (a concurrent index build may leave an INVALID index, which the next run rebuilds)")]
    public static partial void RunCancelled(ILogger logger, string migrationId);

    [LoggerMessage(EventId = MigrationEventIds.IndexBuildProgress, Level = LogLevel.Information, Message = "Migration {MigrationId}: {Progress}")]
    public static partial void IndexBuildProgress(ILogger logger, string migrationId, string progress);
}

using Microsoft.Extensions.Logging;

namespace StreamVault.Data.Operations;

/// <summary>Structured log events of the operations (source-generated).</summary>
internal static partial class OperationsLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "Created shadow database {Shadow} to build the expected schema")]
    public static partial void ShadowCreated(ILogger logger, string shadow);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Debug, Message = "Dropped shadow database {Shadow}")]
    public static partial void ShadowDropped(ILogger logger, string shadow);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Could not drop shadow database {Shadow}; drop it by hand: {Error}")]
    public static partial void ShadowNotDropped(ILogger logger, string shadow, string error);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning,
        Message = "The role may not create a shadow database ({Error}); comparing with the snapshot embedded in StreamVault.Data instead")]
    public static partial void SnapshotFallback(ILogger logger, string error);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Information, Message = "Repair: {Statement}")]
    public static partial void RepairStatement(ILogger logger, string statement);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Error, Message = "Repair of {Target} failed: {Error}")]
    public static partial void RepairFailed(ILogger logger, string target, string error);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Warning, Message = "Marked migration {MigrationId} as applied without running it (forced: {Forced})")]
    public static partial void MarkedApplied(ILogger logger, string migrationId, bool forced);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Warning,
        Message = "Repair of {Target} {Reason} (attempt {Attempt}); retrying in {DelayMs} ms. Lock holders: {Blockers}")]
    public static partial void RepairLockRetry(ILogger logger, string target, string reason, int attempt, long delayMs, string blockers);
}

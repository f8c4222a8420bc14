using Microsoft.Extensions.Logging;

namespace StreamVault.Data.Hosting;

/// <summary>Milestones of a startup migration run, as structured events (2201-2209).</summary>
internal static partial class HostingLog
{
    [LoggerMessage(EventId = 2201, Level = LogLevel.Information, Message = "Starting StreamVault database migrations on {Database}")]
    public static partial void Starting(ILogger logger, string database);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Warning,
        Message = "Database not reachable (attempt {Attempt} of {Attempts}): {Error}; retrying in {DelayMs} ms")]
    public static partial void WaitingForDatabase(ILogger logger, int attempt, int attempts, string error, long delayMs);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Information, Message = "Migration tracking tables ready")]
    public static partial void TrackingTableReady(ILogger logger);

    [LoggerMessage(EventId = 2204, Level = LogLevel.Information, Message = "Skipping {Count} already-applied migrations: {Migrations}")]
    public static partial void SkippingApplied(ILogger logger, int count, string migrations);

    [LoggerMessage(EventId = 2205, Level = LogLevel.Information, Message = "Running migration {MigrationId}")]
    public static partial void Running(ILogger logger, string migrationId);

    [LoggerMessage(EventId = 2206, Level = LogLevel.Information, Message = "Completed migration {MigrationId} in {ElapsedMs} ms")]
    public static partial void Completed(ILogger logger, string migrationId, long elapsedMs);

    [LoggerMessage(EventId = 2207, Level = LogLevel.Error, Message = "Migration {MigrationId} failed: {Error}")]
    public static partial void Failed(ILogger logger, string migrationId, string error);

    [LoggerMessage(EventId = 2208, Level = LogLevel.Information, Message = "Migration summary: {Successful} successful, {Failed} failed")]
    public static partial void Summary(ILogger logger, int successful, int failed);

    [LoggerMessage(EventId = 2209, Level = LogLevel.Warning,
        Message = "Startup migrations failed and the failure policy is Continue: the app starts on the current schema")]
    public static partial void ContinuingAfterFailure(ILogger logger);

    [LoggerMessage(EventId = 2210, Level = LogLevel.Warning,
        Message = "Startup migrations were interrupted (attempt {Attempt} of {Attempts}): {Reason}; starting over in {DelayMs} ms")]
    public static partial void RetryingAfterInterruption(ILogger logger, int attempt, int attempts, string reason, long delayMs);
}

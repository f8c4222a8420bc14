using Microsoft.Extensions.Logging;

namespace StreamVault.Data.Hosting;

/// <summary>Milestones of a startup migration run (2201-2210), and of an app waiting for someone else's run (2211-2214), as structured events.</summary>
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

    [LoggerMessage(EventId = 2211, Level = LogLevel.Information,
        Message = "Waiting up to {Timeout} for {Database} to be migrated (this app does not migrate): {Missing}")]
    public static partial void WaitingForMigrations(ILogger logger, string timeout, string database, string missing);

    [LoggerMessage(EventId = 2212, Level = LogLevel.Warning,
        Message = "Waiting for {Database} to be migrated: cannot reach it yet ({Error}); still waiting")]
    public static partial void WaitingForUnreachable(ILogger logger, string database, string error);

    [LoggerMessage(EventId = 2213, Level = LogLevel.Information, Message = "{Database} is migrated; starting after waiting {ElapsedMs} ms")]
    public static partial void MigrationsWaitedFor(ILogger logger, string database, long elapsedMs);

    [LoggerMessage(EventId = 2214, Level = LogLevel.Information,
        Message = "Not waiting for migrations (WaitForMigrationsTimeout): this app migrates at startup, which holds start until the database is migrated")]
    public static partial void NotWaitingWhileMigrating(ILogger logger);
}

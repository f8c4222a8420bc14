using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace StreamVault.Data.Engine;

/// <summary>
/// Watches one concurrent index build from a second connection while the run's connection is busy with it: every
/// <see cref="PollInterval"/> it reads <c>pg_stat_progress_create_index</c> and hands the phase and percentage to the
/// progress (<see cref="IMigrationProgress.IndexBuild"/>) and the index-build gauge, and every <see cref="LogInterval"/>
/// logs it (event 2007) and adds it to the migration's span. Found by the index's name, so it works through a pooler
/// whose server sessions are not the client's. Best effort: a watch that cannot read never touches the build.
/// </summary>
internal sealed partial class IndexBuildWatch : IAsyncDisposable
{
    /// <summary>How often the build is read: a terminal's live line moves at this pace.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary>How often a running build is logged and added to the span as an event.</summary>
    public static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private IndexBuildWatch(
        NpgsqlDataSource dataSource, string migrationId, string index, string table, IMigrationProgress? progress, ILogger logger, Activity? span)
        => _loop = Task.Run(() => WatchAsync(dataSource, migrationId, index, table, progress, logger, span, _stop.Token));

    /// <summary>The index and table a concurrent build names, or null for any other statement.</summary>
    public static (string Index, string Table)? BuildOf(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        return ConcurrentBuild().Match(sql) is { Success: true } build ? (build.Groups["index"].Value, build.Groups["table"].Value) : null;
    }

    /// <summary>Starts watching the build <paramref name="sql"/> runs, or returns null when it is not a concurrent build.</summary>
    public static IndexBuildWatch? Start(
        NpgsqlDataSource dataSource, string migrationId, string sql, IMigrationProgress? progress, ILogger logger, Activity? span)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        return BuildOf(sql) is { } build ? new IndexBuildWatch(dataSource, migrationId, build.Index, build.Table, progress, logger, span) : null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private static async Task WatchAsync(
        NpgsqlDataSource dataSource, string migrationId, string index, string table, IMigrationProgress? progress, ILogger logger, Activity? span,
        CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        var nextLog = LogInterval;
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(stop);
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(PollInterval, stop);
                await using var command = new NpgsqlCommand(EngineSql.IndexBuildReading, connection);
                command.Parameters.AddWithValue("index", index);
                await using var reader = await command.ExecuteReaderAsync(stop);
                if (!await reader.ReadAsync(stop))
                {
                    continue;
                }

                var reading = new IndexBuildProgress(
                    migrationId, index, table, reader.GetString(0),
                    IndexBuildProgress.PercentOf(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6)),
                    clock.Elapsed);
                progress?.IndexBuild(reading);
                MigrationTelemetry.IndexBuildProgress(span, connection, reading, addEvent: clock.Elapsed >= nextLog);
                if (clock.Elapsed >= nextLog)
                {
                    var line = reading.Describe();
                    EngineLog.IndexBuildProgress(logger, migrationId, line);
                    nextLog += LogInterval;
                }
            }
        }
        catch (Exception unseen) when (unseen is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            // The build is the run's business; a watch that lost its connection just stops reporting.
        }
    }

    [GeneratedRegex(@"^\s*CREATE\s+(?:UNIQUE\s+)?INDEX\s+CONCURRENTLY\s+(?:IF\s+NOT\s+EXISTS\s+)?(?<index>[a-z_][a-z0-9_]*)\s+ON\s+(?:ONLY\s+)?(?<table>[a-z_][a-z0-9_]*)", RegexOptions.IgnoreCase)]
    private static partial Regex ConcurrentBuild();
}

namespace StreamVault.Data;

/// <summary>Outcome of this process's last startup migration run, and the step of the one running now, for the health check.</summary>
public sealed class StreamVaultMigrationState
{
    private volatile StreamVaultMigrationResult? _last;
    private volatile RunningStep? _running;

    /// <summary>Null until a run finished (successfully or not).</summary>
    public StreamVaultMigrationResult? LastRun => _last;

    /// <summary>The step of the startup run in progress; null when none is.</summary>
    internal RunningStep? Running => _running;

    internal void Record(StreamVaultMigrationResult result)
    {
        _last = result;
        _running = null;
    }

    /// <summary>The startup run has work to do and is starting it (taking the run lock, checking the database).</summary>
    internal void Starting() => _running = new RunningStep(null, null, 0);

    /// <summary>The run moved on to <paramref name="migrationId"/>.</summary>
    internal void Migrating(string migrationId) => _running = new RunningStep(migrationId, null, 0);

    /// <summary>The run ended, recorded or not (a cancelled run records nothing).</summary>
    internal void Idle() => _running = null;

    /// <summary>A reading of the current migration's concurrent index build.</summary>
    internal void Building(IndexBuildProgress build)
    {
        if (_running is { } running && running.MigrationId == build.MigrationId)
        {
            _running = running with { Build = build, BuildReadAt = Environment.TickCount64 };
        }
    }
}

/// <summary>What a startup run is doing: which migration, and its index build's last reading, if one is being built.</summary>
/// <param name="MigrationId">The migration running; null before the first one starts.</param>
/// <param name="Build">The last reading of its concurrent index build.</param>
/// <param name="BuildReadAt">When that reading came (<see cref="Environment.TickCount64"/>).</param>
internal sealed record RunningStep(string? MigrationId, IndexBuildProgress? Build, long BuildReadAt)
{
    // The watch reads a build every second: a reading older than this belongs to a build that has finished.
    private const long FreshMs = 3000;

    /// <summary>The build's reading while the build runs; null otherwise.</summary>
    public IndexBuildProgress? CurrentBuild => Build is not null && Environment.TickCount64 - BuildReadAt < FreshMs ? Build : null;

    /// <summary>The step without its build: <c>starting</c> before the first migration, else <c>running 20250522000000_AddStreamIndices</c>.</summary>
    public string Describe() => MigrationId is null ? "starting" : $"running {MigrationId}";
}

/// <summary>One run: the migrations it applied, and the migration and error that stopped it, if any.</summary>
public sealed record StreamVaultMigrationResult(
    IReadOnlyList<string> Applied, string? FailedMigration, string? Error, DateTimeOffset FinishedAt)
{
    /// <summary>The run finished without an error.</summary>
    public bool Succeeded => Error is null;
}

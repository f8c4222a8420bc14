namespace StreamVault.Data.Engine;

/// <summary>
/// The state of one migrate run, in one place: whether the migrator is applying (rather than generating a script), which
/// migrations it reverts, the migration running now and when it started, and how many have finished. One per context
/// (scoped in EF's service provider); the migrator writes it, the history repository and the command executor read it.
/// </summary>
internal sealed class MigrationRun
{
    private readonly HashSet<string> _reverting = new(StringComparer.Ordinal);

    /// <summary>True from the start to the end of a run that applies migrations (not while a script is generated).</summary>
    public bool Applying { get; private set; }

    /// <summary>The migration whose commands are running, or null between migrations.</summary>
    public string? Current { get; private set; }

    /// <summary>Whether the current migration runs concurrent index builds (an interruption may leave one INVALID).</summary>
    public bool CurrentBuildsIndexes { get; private set; }

    /// <summary>
    /// When the current migration started, as the server's <c>clock_timestamp()</c> text: the ledger's execution_ms is
    /// measured from it by the statement that records the migration. Null when generating a script.
    /// </summary>
    public string? CurrentStart { get; set; }

    /// <summary>Migrations whose commands started in this run (applied, reverted or adopted).</summary>
    public int Started { get; private set; }

    /// <summary>Migrations this run completed; they are kept whatever happens next.</summary>
    public int Finished { get; private set; }

    public void Begin()
    {
        _reverting.Clear();
        Current = null;
        CurrentStart = null;
        Started = 0;
        Finished = 0;
        Applying = true;
    }

    public void End()
    {
        Applying = false;
        Current = null;
    }

    /// <summary>EF generated <paramref name="migrationId"/>'s Down: this run reverts it.</summary>
    public void Reverting(string migrationId) => _reverting.Add(migrationId);

    /// <summary>A migration's commands start; whether EF is reverting it.</summary>
    public bool MigrationStarting(string migrationId, bool buildsIndexes)
    {
        Started++;
        Current = migrationId;
        CurrentBuildsIndexes = buildsIndexes;
        return _reverting.Contains(migrationId);
    }

    /// <summary>The current migration's last step committed.</summary>
    public void MigrationFinished()
    {
        Finished++;
        Current = null;
    }
}

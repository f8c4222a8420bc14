namespace StreamVault.Cli;

/// <summary>The process exit codes every command uses; scripts and deploy pipelines branch on them.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>A migration failed (its failure is recorded in applied_migrations) or a lock deadline passed.</summary>
    public const int MigrationFailed = 1;

    /// <summary>Unknown command or option, malformed connection string, no connection configured, unknown target.</summary>
    public const int Usage = 2;

    /// <summary>The server cannot be reached, or refuses the login or the database.</summary>
    public const int CannotConnect = 3;

    /// <summary>
    /// A check found the database not as it should be: validate found differences, status --fail-on-pending found
    /// pending or failed migrations, repair left something it would not mend, mark-applied refused.
    /// </summary>
    public const int CheckFailed = 4;

    /// <summary>
    /// A run lost its session part-way (the server crashed, restarted or failed over, or terminated the session): the
    /// migrations it applied are kept, the interrupted one was rolled back; running migrate again finishes the job.
    /// </summary>
    public const int Interrupted = 5;
}

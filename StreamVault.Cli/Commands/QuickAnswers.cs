using StreamVault.Data;
using StreamVault.Data.Operations;

namespace StreamVault.Cli.Commands;

/// <summary>
/// What <c>migrate</c> (without a target) and <c>status</c> answer without EF Core: migrate's "up to date" and the
/// whole status report, both from the compiled-in list of migrations and one connection. The commands start here,
/// and the native front (StreamVault.Cli.Front) compiles this file to give the very same answers without .NET's JIT
/// (issue #13); whatever needs EF it hands to the full CLI.
/// </summary>
internal static class QuickAnswers
{
    /// <summary>migrate's closing line when nothing was applied.</summary>
    public const string UpToDateLine = "Database is up to date";

    /// <summary>The options a command passes to the engine: its log on stderr and, for migrate, its progress.</summary>
    public static StreamVaultDataOptions DataOptions(TextWriter error, bool verbose, IMigrationProgress? progress = null)
        => new() { LoggerFactory = new ConsoleLog(error, verbose), Progress = progress };

    /// <summary>The operations' options: the engine's, plus their own logger.</summary>
    public static OperationOptions OperationOptions(TextWriter error, bool verbose)
    {
        var data = DataOptions(error, verbose);
        return new OperationOptions { Data = data, Logger = data.LoggerFactory?.CreateLogger("StreamVault.Operations") };
    }

    /// <summary>migrate's first line: which database on which server.</summary>
    public static string MigratingLine(string connectionString)
    {
        var where = StreamVaultConnections.Parse(connectionString);
        return $"Migrating database {where.Database ?? where.Username} on {where.Host}:{where.Port}";
    }

    /// <summary>
    /// migrate without a target, up to the point where EF is needed: writes the first line and, when the database is
    /// up to date (one statement, no lock), the closing line, and returns true; false when the run has work.
    /// </summary>
    public static async Task<bool> MigrateIsNoOpAsync(
        string connectionString, TextWriter output, StreamVaultDataOptions options, CancellationToken cancellationToken)
    {
        await output.WriteLineAsync(MigratingLine(connectionString));
        if (!await StreamVaultUpToDateCheck.IsUpToDateAsync(connectionString, options, cancellationToken))
        {
            return false;
        }

        await output.WriteLineAsync(UpToDateLine);
        return true;
    }

    /// <summary>status: prints the report (text or JSON); exit 4 with <c>--fail-on-pending</c> when a migration is not applied.</summary>
    public static async Task<int> StatusAsync(
        string connectionString, TextWriter output, OperationOptions options, bool json, bool failOnPending, CancellationToken cancellationToken)
    {
        var report = await DatabaseStatus.ReadAsync(connectionString, options, cancellationToken);
        await PrintAsync(output, report, json);
        return failOnPending && report.HasPending ? ExitCodes.CheckFailed : ExitCodes.Ok;
    }

    /// <summary>How every operation's report is printed.</summary>
    public static async Task PrintAsync(TextWriter output, IOperationReport report, bool json)
        => await output.WriteLineAsync(json ? report.ToJson() : report.ToText());
}

using System.Globalization;
using System.Text;
using System.Text.Json;

namespace StreamVault.Data.Operations;

/// <summary>How a check came out.</summary>
internal enum CheckSeverity
{
    /// <summary>The database has what the migrations produce.</summary>
    Ok,

    /// <summary>
    /// Different, but known to work: an object the migrations do not create (extra column, index, constraint,
    /// trigger, function) or a variant some app release made (a wider or release-sized type, an extra or
    /// equivalent default, a redundant index whose columns another index covers). validate exits 0 unless strict.
    /// </summary>
    Warning,

    /// <summary>
    /// Something the application needs is not there as it should be: a missing object, a narrower type or
    /// nullability, another definition under the same name, an INVALID index, a pending or failed migration, a
    /// changed migration checksum, a failed ledger row. validate exits 4.
    /// </summary>
    Error,
}

/// <summary>
/// One comparison validate made. JSON:
/// <c>{"kind": "table|column|index|constraint|trigger|function|migration|ledger|checksum", "table": "streams"|null,
/// "name": "idx_streams_title", "passed": true, "severity": "ok|warning|error",
/// "problem": null|"missing"|"extra"|"type"|"nullability"|"default"|"invalid"|"definition"|"covered"|"pending"|"failed"|"unrecorded"|"changed"|"unknown",
/// "message": "...", "expected": "..."|null, "actual": "..."|null}</c>.
/// </summary>
/// <param name="Kind">What was checked: a table, column, index, constraint or trigger of the model's tables, a function one
/// of their triggers runs; a migration (applied or pending); the ledger row of an applied migration; or the checksum
/// of an applied migration's SQL.</param>
/// <param name="Table">The table the object belongs to; null for function, migration, ledger and checksum checks.</param>
/// <param name="Name">The object's name (column, index, constraint, trigger, function, table) or the EF migration id.</param>
/// <param name="Severity">Ok, or how much a difference matters (see <see cref="CheckSeverity"/>).</param>
/// <param name="Problem">Null when ok, else what differs (see the type's summary for the values).</param>
/// <param name="Message">The human-readable line, without its mark.</param>
/// <param name="Expected">What the migrations produce (type, definition, checksum), where that helps.</param>
/// <param name="Actual">What the database has, where that helps.</param>
internal sealed record ValidationCheck(
    string Kind, string? Table, string Name, CheckSeverity Severity, string? Problem, string Message,
    string? Expected = null, string? Actual = null)
{
    /// <summary>True when the database matches exactly (severity ok).</summary>
    public bool Passed => Severity == CheckSeverity.Ok;

    internal static ValidationCheck Pass(string kind, string? table, string name, string message)
        => new(kind, table, name, CheckSeverity.Ok, Problem: null, message);

    internal static ValidationCheck Fail(string kind, string? table, string name, string problem, string message,
        string? expected = null, string? actual = null)
        => new(kind, table, name, CheckSeverity.Error, problem, message, expected, actual);

    internal static ValidationCheck Warn(string kind, string? table, string name, string problem, string message,
        string? expected = null, string? actual = null)
        => new(kind, table, name, CheckSeverity.Warning, problem, message, expected, actual);
}

/// <summary>
/// Result of <see cref="SchemaValidator.ValidateAsync"/>. JSON:
/// <c>{"database": "streamvault", "server": "db:5432", "expectedShapeSource": "shadow|snapshot", "strict": false, "isClean": true,
/// "passedCount": 120, "warningCount": 3, "errorCount": 0, "failedCount": 0, "migrationsTracked": 10, "checks": [ValidationCheck, ...]}</c>.
/// </summary>
/// <param name="Database">The validated database's name.</param>
/// <param name="Server">host:port of its server.</param>
/// <param name="ExpectedShapeSource">Where the expected shape came from: a shadow database, or the embedded snapshot.</param>
/// <param name="Checks">Every check in order: the model's tables (columns, indexes, constraints, triggers), then the migrations and ledger.</param>
/// <param name="Strict">Whether warnings fail the validation too (<c>--strict</c>).</param>
internal sealed record ValidationReport(
    string Database, string Server, ExpectedShapeSource ExpectedShapeSource, IReadOnlyList<ValidationCheck> Checks, bool Strict = false)
{
    /// <summary>No error, and with <see cref="Strict"/> no warning either: the exit code of <c>validate</c>.</summary>
    public bool IsClean => FailedCount == 0;

    /// <summary>Checks where the database matches exactly.</summary>
    public int PassedCount => Checks.Count(c => c.Severity == CheckSeverity.Ok);

    /// <summary>Checks that found a known-working variant or an object the migrations do not create.</summary>
    public int WarningCount => Checks.Count(c => c.Severity == CheckSeverity.Warning);

    /// <summary>Checks that found something the application needs missing or different.</summary>
    public int ErrorCount => Checks.Count(c => c.Severity == CheckSeverity.Error);

    /// <summary>The checks that fail the validation: errors, plus warnings when <see cref="Strict"/>.</summary>
    public int FailedCount => ErrorCount + (Strict ? WarningCount : 0);

    /// <summary>Applied migrations per EF history with a successful ledger row.</summary>
    public int MigrationsTracked => Checks.Count(c => c is { Kind: "ledger", Severity: CheckSeverity.Ok });

    /// <summary>The checks that fail the validation (errors, plus warnings when strict).</summary>
    public IEnumerable<ValidationCheck> Failures
        => Checks.Where(c => c.Severity == CheckSeverity.Error || (Strict && c.Severity == CheckSeverity.Warning));

    /// <summary>The errors only, whatever <see cref="Strict"/> says: what repair acts on.</summary>
    public IEnumerable<ValidationCheck> Errors => Checks.Where(c => c.Severity == CheckSeverity.Error);

    /// <summary>The warnings only.</summary>
    public IEnumerable<ValidationCheck> Warnings => Checks.Where(c => c.Severity == CheckSeverity.Warning);
}

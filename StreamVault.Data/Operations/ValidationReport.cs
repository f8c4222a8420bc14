using System.Globalization;
using System.Text;
using System.Text.Json;

namespace StreamVault.Data.Operations;

/// <summary>
/// One comparison validate made. JSON:
/// <c>{"kind": "table|column|index|constraint|migration|ledger|checksum", "table": "streams"|null, "name": "idx_streams_title",
/// "passed": true, "problem": null|"missing"|"extra"|"type"|"nullability"|"default"|"invalid"|"definition"|"pending"|"failed"|"unrecorded"|"changed"|"unknown",
/// "message": "...", "expected": "..."|null, "actual": "..."|null}</c>.
/// </summary>
/// <param name="Kind">What was checked: a table, column, index or constraint of the five tables; a migration (applied or pending);
/// the ledger row of an applied migration; or the checksum of an applied migration's SQL.</param>
/// <param name="Table">The table the object belongs to; null for migration, ledger and checksum checks.</param>
/// <param name="Name">The object's name (column, index, constraint, table) or the EF migration id.</param>
/// <param name="Passed">True when the database matches what the migrations produce.</param>
/// <param name="Problem">Null when passed, else what is wrong (see the type's summary for the values).</param>
/// <param name="Message">The human-readable line, without its mark.</param>
/// <param name="Expected">What the migrations produce (type, definition, checksum), where that helps.</param>
/// <param name="Actual">What the database has, where that helps.</param>
public sealed record ValidationCheck(
    string Kind, string? Table, string Name, bool Passed, string? Problem, string Message, string? Expected = null, string? Actual = null)
{
    internal static ValidationCheck Pass(string kind, string? table, string name, string message)
        => new(kind, table, name, Passed: true, Problem: null, message);

    internal static ValidationCheck Fail(string kind, string? table, string name, string problem, string message,
        string? expected = null, string? actual = null)
        => new(kind, table, name, Passed: false, problem, message, expected, actual);

    /// <summary>The check as one line: a mark, then the message.</summary>
    public string ToText() => (Passed ? "✅ " : "❌ ") + Message;
}

/// <summary>
/// Result of <see cref="SchemaValidator.ValidateAsync"/>. JSON:
/// <c>{"database": "streamvault", "server": "db:5432", "expectedShapeSource": "shadow|snapshot", "isClean": true,
/// "passedCount": 61, "failedCount": 0, "migrationsTracked": 7, "checks": [ValidationCheck, ...]}</c>.
/// </summary>
/// <param name="Database">The validated database's name.</param>
/// <param name="Server">host:port of its server.</param>
/// <param name="ExpectedShapeSource">Where the expected shape came from: a shadow database, or the embedded snapshot.</param>
/// <param name="Checks">Every check in order: the five tables (columns, indexes, constraints), then the migrations and ledger.</param>
public sealed record ValidationReport(
    string Database, string Server, ExpectedShapeSource ExpectedShapeSource, IReadOnlyList<ValidationCheck> Checks)
    : IOperationReport
{
    /// <summary>True when every check passed: the exit code of <c>validate</c>.</summary>
    public bool IsClean => Checks.All(c => c.Passed);

    public int PassedCount => Checks.Count(c => c.Passed);

    public int FailedCount => Checks.Count(c => !c.Passed);

    /// <summary>Applied migrations per EF history with a successful ledger row.</summary>
    public int MigrationsTracked => Checks.Count(c => c.Kind == "ledger" && c.Passed);

    /// <summary>The failed checks only.</summary>
    public IEnumerable<ValidationCheck> Failures => Checks.Where(c => !c.Passed);

    public string ToJson() => JsonSerializer.Serialize(this, OperationJson.Options);

    public string ToText()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"🔍 Validating database schema of {Database} on {Server} against {(ExpectedShapeSource == ExpectedShapeSource.Shadow ? "a freshly migrated shadow database" : "the embedded schema snapshot")}...\n");
        foreach (var check in Checks)
        {
            text.Append(check.ToText()).Append('\n');
        }

        text.Append(CultureInfo.InvariantCulture, $"📊 {MigrationsTracked} migrations tracked in database\n");
        text.Append(IsClean
            ? string.Create(CultureInfo.InvariantCulture, $"🎉 Database schema validation passed! ({PassedCount} checks)\n")
            : string.Create(CultureInfo.InvariantCulture, $"💥 Database schema validation failed: {FailedCount} of {Checks.Count} checks failed\n"));
        return text.ToString();
    }
}

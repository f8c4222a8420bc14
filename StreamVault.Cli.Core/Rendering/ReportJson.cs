using System.Text.Json;
using System.Text.Json.Serialization;
using StreamVault.Data.Engine;
using StreamVault.Data.Operations;

namespace StreamVault.Cli.Rendering;

/// <summary>
/// The serializer settings every report uses: camelCase names, enums as camelCase strings, ISO-8601 times,
/// indented, and null members written (not omitted), so a key's presence never depends on the data. The reports'
/// metadata is source-generated (<see cref="ReportJsonContext"/>): no reflection, so the native front of
/// streamvault-db prints the same JSON.
/// </summary>
internal static class ReportJson
{
    private static readonly JsonNamingPolicy EnumNames = JsonNamingPolicy.CamelCase;

    /// <summary>The shared serializer options.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        TypeInfoResolver = ReportJsonContext.Default,
        Converters =
        {
            new JsonStringEnumConverter<MigrationStateKind>(EnumNames),
            new JsonStringEnumConverter<ExpectedShapeSource>(EnumNames),
            new JsonStringEnumConverter<RepairActionStatus>(EnumNames),
            new JsonStringEnumConverter<MarkAppliedOutcome>(EnumNames),
            new JsonStringEnumConverter<CheckSeverity>(EnumNames),
            new JsonStringEnumConverter<PlannedAction>(EnumNames),
            new JsonStringEnumConverter<StatementVerdict>(EnumNames),
            new JsonStringEnumConverter<StatementWork>(EnumNames),
        },
    };

    /// <summary>A report as JSON with <see cref="Options"/>, through its generated metadata (see each report type for its shape).</summary>
    public static string Render(object report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return JsonSerializer.Serialize(report, Options.GetTypeInfo(report.GetType()));
    }
}

/// <summary>The reports' serialization metadata, generated at build time; the settings are <see cref="ReportJson.Options"/>'.</summary>
[JsonSerializable(typeof(StatusReport))]
[JsonSerializable(typeof(ValidationReport))]
[JsonSerializable(typeof(RepairReport))]
[JsonSerializable(typeof(MarkAppliedReport))]
[JsonSerializable(typeof(ScriptReport))]
[JsonSerializable(typeof(PlanReport))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;

using System.Text.Json;
using System.Text.Json.Serialization;
using StreamVault.Data.Engine;
using StreamVault.Data.Operations;

namespace StreamVault.Cli.Rendering;

/// <summary>
/// <c>plan --json</c>: the <see cref="PlanReport"/> (and its rehearsal) with the reports' settings (<see cref="ReportJson"/>:
/// camelCase, enums as camelCase strings, nulls written, indented), through generated metadata like every report.
/// </summary>
internal static class PlanJson
{
    private static readonly JsonNamingPolicy EnumNames = JsonNamingPolicy.CamelCase;

    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        TypeInfoResolver = PlanJsonContext.Default,
        Converters =
        {
            new JsonStringEnumConverter<PlannedAction>(EnumNames),
            new JsonStringEnumConverter<StatementVerdict>(EnumNames),
            new JsonStringEnumConverter<StatementWork>(EnumNames),
        },
    };

    public static string Render(PlanReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return JsonSerializer.Serialize(report, Options.GetTypeInfo(typeof(PlanReport)));
    }
}

/// <summary>The plan's serialization metadata, generated at build time; the settings are <see cref="PlanJson.Options"/>'.</summary>
[JsonSerializable(typeof(PlanReport))]
internal sealed partial class PlanJsonContext : JsonSerializerContext;

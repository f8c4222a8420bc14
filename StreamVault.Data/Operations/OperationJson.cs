using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using StreamVault.Data.Engine;

namespace StreamVault.Data.Operations;

/// <summary>
/// The serializer settings every report uses: camelCase names, enums as camelCase strings, ISO-8601 times,
/// indented, and null members written (not omitted), so a key's presence never depends on the data. The reports'
/// metadata is source-generated (<see cref="OperationJsonContext"/>): no reflection, so the native front of
/// streamvault-db prints the same JSON.
/// </summary>
internal static class OperationJson
{
    private static readonly JsonNamingPolicy EnumNames = JsonNamingPolicy.CamelCase;

    /// <summary>The shared serializer options.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        TypeInfoResolver = OperationJsonContext.Default,
        Converters =
        {
            new JsonStringEnumConverter<MigrationStateKind>(EnumNames),
            new JsonStringEnumConverter<ExpectedShapeSource>(EnumNames),
            new JsonStringEnumConverter<RepairActionStatus>(EnumNames),
            new JsonStringEnumConverter<MarkAppliedOutcome>(EnumNames),
            new JsonStringEnumConverter<CheckSeverity>(EnumNames),
        },
    };

    /// <summary>A report as JSON with <see cref="Options"/>, through its generated metadata.</summary>
    internal static string Serialize<TReport>(TReport report)
        => JsonSerializer.Serialize(report, (JsonTypeInfo<TReport>)Options.GetTypeInfo(typeof(TReport)));
}

/// <summary>The reports' serialization metadata, generated at build time; the settings are <see cref="OperationJson.Options"/>'.</summary>
[JsonSerializable(typeof(StatusReport))]
[JsonSerializable(typeof(ValidationReport))]
[JsonSerializable(typeof(RepairReport))]
[JsonSerializable(typeof(MarkAppliedReport))]
[JsonSerializable(typeof(ScriptReport))]
internal sealed partial class OperationJsonContext : JsonSerializerContext;

/// <summary>What every operation returns: a stable JSON document and a human-readable rendering.</summary>
internal interface IOperationReport
{
    /// <summary>The report as JSON (see the report type for its shape).</summary>
    string ToJson();

    /// <summary>One line per check or item, then a summary line, in the style of the Python validate_database.py.</summary>
    string ToText();
}

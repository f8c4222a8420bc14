using System.Text.Json;
using System.Text.Json.Serialization;

namespace StreamVault.Data.Operations;

/// <summary>
/// The serializer settings every report uses: camelCase names, enums as camelCase strings, ISO-8601 times,
/// indented, and null members written (not omitted), so a key's presence never depends on the data.
/// </summary>
public static class OperationJson
{
    /// <summary>The shared serializer options.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}

/// <summary>What every operation returns: a stable JSON document and a human-readable rendering.</summary>
public interface IOperationReport
{
    /// <summary>The report as JSON (see the report type for its shape).</summary>
    string ToJson();

    /// <summary>One line per check or item, then a summary line, in the style of the Python validate_database.py.</summary>
    string ToText();
}

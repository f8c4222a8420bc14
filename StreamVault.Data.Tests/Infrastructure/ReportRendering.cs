using StreamVault.Cli.Rendering;
using StreamVault.Data.Operations;

namespace StreamVault.Data.Tests.Infrastructure;

/// <summary>The CLI's renderings of the operations' reports, as the tests read them (text and JSON).</summary>
internal static class ReportRendering
{
    public static string ToText(this StatusReport report) => ReportText.Render(report);

    public static string ToText(this ValidationReport report) => ReportText.Render(report);

    public static string ToText(this RepairReport report) => ReportText.Render(report);

    public static string ToText(this MarkAppliedReport report) => ReportText.Render(report);

    public static string ToJson(this StatusReport report) => ReportJson.Render(report);

    public static string ToJson(this ValidationReport report) => ReportJson.Render(report);

    public static string ToJson(this RepairReport report) => ReportJson.Render(report);

    public static string ToJson(this MarkAppliedReport report) => ReportJson.Render(report);
}

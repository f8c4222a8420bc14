using System.Diagnostics;
using Npgsql;
using StreamVault.Data.Engine;

namespace StreamVault.Data.Operations;

/// <summary>Repair's span per action, on the engine's source (<see cref="MigrationTelemetry.Name"/>).</summary>
internal static class RepairTelemetry
{
    /// <summary>Span of one repair action that runs SQL.</summary>
    public const string ActionSpan = "streamvault.repair.action";

    /// <summary>
    /// The span of one repair action. Disposing it ends it with the status of the action <paramref name="done"/>
    /// received last (the repair loop adds the action's result there before the span ends).
    /// </summary>
    public static RepairSpan StartAction(NpgsqlConnection connection, RepairAction action, IReadOnlyList<RepairAction> done)
    {
        var activity = MigrationTelemetry.Source.StartActivity(ActionSpan, ActivityKind.Internal, parentContext: default, MigrationTelemetry.DatabaseTags(connection));
        if (activity is not null)
        {
            activity.DisplayName = "repair " + action.Kind + " " + action.Name;
            activity.SetTag("streamvault.repair.kind", action.Kind);
            activity.SetTag("streamvault.repair.name", action.Name);
            if (action.Table is not null)
            {
                activity.SetTag("db.collection.name", action.Table);
            }
        }

        return new RepairSpan(activity, done, done.Count);
    }

    /// <summary>See <see cref="StartAction"/>.</summary>
    public readonly struct RepairSpan(Activity? activity, IReadOnlyList<RepairAction> done, int countAtStart) : IDisposable
    {
        public void Dispose()
        {
            if (activity is null)
            {
                return;
            }

            var result = done.Count > countAtStart ? done[^1] : null;
            var outcome = result?.Status switch
            {
                RepairActionStatus.Applied => "applied",
                RepairActionStatus.Failed => "failed",
                _ => "aborted",
            };
            activity.SetTag("streamvault.repair.outcome", outcome);
            if (outcome != "applied")
            {
                var code = result?.Error?.Split(':')[0];
                activity.SetTag("error.type", code ?? "aborted");
                activity.SetStatus(ActivityStatusCode.Error, result?.Error);
            }

            activity.Dispose();
        }
    }
}

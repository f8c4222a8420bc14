using StreamVault.Data.Migrations;

namespace StreamVault.Data.Design;

/// <summary>
/// The check that runs before a table or column is dropped: refuse while it holds data. In a <c>Down</c> this is
/// exactly <see cref="RevertGuard"/>'s text, frozen into the migration, because the revert check
/// (<see cref="Engine.RevertPlan"/>) reads those two shapes back; a contract step's <c>Up</c> gets the same shape, worded
/// "refusing to apply".
/// </summary>
internal static class DataGuards
{
    private const string RevertWording = "refusing to revert";
    private const string ApplyWording = "refusing to apply";

    public static GuardedStep ForTable(PlanContext context, string table)
        => new(
            context.IsUp
                ? $"A contract step drops only empty tables: refuse while {table} holds rows."
                : $"Reverting never destroys data: refuse while {table} holds rows (RevertGuard's shape, which the revert check reads).",
            Worded(context, RevertGuard.RefuseIfTablesHoldRows(context.Migration, table)));

    public static GuardedStep ForColumn(PlanContext context, string table, string column)
        => new(
            context.IsUp
                ? $"A contract step drops only empty columns: refuse while any row has a value in {table}.{column}."
                : $"Reverting never destroys data: refuse while any row has a value in {table}.{column} (RevertGuard's shape, which the revert "
                  + "check reads).",
            Worded(context, RevertGuard.RefuseIfColumnsHoldValues(context.Migration, table, column)));

    private static string Worded(PlanContext context, string guard)
        => context.IsUp ? guard.Replace(RevertWording, ApplyWording, StringComparison.Ordinal) : guard;
}

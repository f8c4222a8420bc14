using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using StreamVault.Data.Engine;
using StreamVault.Data.Migrations;

namespace StreamVault.Data.Operations;

/// <summary>
/// <c>plan --rehearse-on</c>: runs the planned migrations on a copy of the database (staging, a restored backup) with
/// the real engine, and measures what each statement did there (<see cref="RehearsalObserver"/>). Never on the planned
/// database itself: the two are told apart by the server's identity (<see cref="DatabaseIdentity"/>), not by their
/// connection strings.
/// </summary>
internal static class MigrationRehearsal
{
    /// <summary>Rehearses <paramref name="plan"/> (read from <paramref name="liveConnectionString"/>) on <paramref name="copyConnectionString"/>.</summary>
    /// <exception cref="RehearsalRefusedException">The copy is the live database itself.</exception>
    public static async Task<RehearsalReport> RunAsync(
        string liveConnectionString, string copyConnectionString, PlanReport plan, OperationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        options ??= new OperationOptions();
        var (database, server) = OperationContext.Describe(copyConnectionString);
        await RefuseSameDatabaseAsync(liveConnectionString, copyConnectionString, plan, cancellationToken);

        // The copy's own plan: a copy that is behind or ahead of the live database rehearses another run.
        var copyPlan = await MigrationPlan.ReadAsync(copyConnectionString, plan.Target, options: options, cancellationToken: cancellationToken);
        var differs = Describe(plan) == Describe(copyPlan)
            ? null
            : $"the copy's run differs from the live database's plan: on the copy {Describe(copyPlan)}, on the live database {Describe(plan)}";

        var clock = Stopwatch.StartNew();
        await using var observer = new RehearsalObserver(StreamVaultConnections.DataSource(copyConnectionString));
        string? failure = null;
        await using (var context = ContextOptions.CreateContext(copyConnectionString, (options.Data ?? new StreamVaultDataOptions()) with { Progress = observer }))
        {
            var target = plan.Target is null or "0" ? plan.Target : MigrationNames.Resolve(context.Database.GetMigrations(), plan.Target);
            try
            {
                await context.Database.MigrateAsync(target, cancellationToken);
            }
            catch (Exception failed) when (failed is not OperationCanceledException)
            {
                failure = Message(failed);
            }
        }

        var migrations = await observer.MeasurementsAsync();
        return new RehearsalReport(database, server, migrations, clock.ElapsedMilliseconds, failure, differs);
    }

    private static async Task RefuseSameDatabaseAsync(string liveConnectionString, string copyConnectionString, PlanReport plan, CancellationToken cancellationToken)
    {
        DatabaseIdentity live;
        DatabaseIdentity copy;
        await using (var connection = await StreamVaultConnections.DataSource(liveConnectionString).OpenConnectionAsync(cancellationToken))
        {
            live = await DatabaseIdentity.ReadAsync(connection, cancellationToken);
        }

        await using (var connection = await StreamVaultConnections.DataSource(copyConnectionString).OpenConnectionAsync(cancellationToken))
        {
            copy = await DatabaseIdentity.ReadAsync(connection, cancellationToken);
        }

        if (live == copy)
        {
            throw new RehearsalRefusedException(
                $"refusing to rehearse on {plan.Database} on {plan.Server}: --rehearse-on names the database being planned (same server, same database); name a copy, such as staging or a restored backup");
        }
    }

    /// <summary>A plan's run in a few words: each migration and what happens to it, or <c>nothing</c>.</summary>
    private static string Describe(PlanReport plan)
        => plan.Migrations.Count == 0
            ? "nothing to run"
            : string.Join(", ", plan.Migrations.Select(m => $"{m.Action.ToString().ToLowerInvariant()} {m.Id}"));

    private static string Message(Exception failure)
    {
        for (var e = failure; e is not null; e = e.InnerException)
        {
            if (e is PostgresException pg)
            {
                return pg.SqlState == PostgresErrorCodes.RaiseException ? pg.MessageText : $"{pg.SqlState}: {pg.MessageText}";
            }
        }

        return failure.Message;
    }
}

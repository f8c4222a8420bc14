using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using StreamVault.Data.Engine;
using StreamVault.Data.Ledger;
using StreamVault.Data.Migrations;

namespace StreamVault.Data.Hosting;

/// <summary>
/// <see cref="StreamVaultDataOptions.WaitForMigrationsTimeout"/>: a replica that does not migrate holds host start until
/// the database is at this version's migrations. It waits in <see cref="StartingAsync"/>, which the host runs for every
/// lifecycle service before any hosted service's StartAsync, so nothing (the web server included) starts earlier,
/// whatever the registration order. Each poll is the engine's no-op statement (<see cref="MigrationState.ReadForNoOpAsync"/>,
/// decided by <see cref="MigrationView.IsUpToDate"/>): one connection, one statement, no lock, no EF model.
/// </summary>
internal sealed class StreamVaultMigrationWait(
    StreamVaultDataRegistration registration,
    IOptions<StreamVaultDataOptions> dataOptions,
    IServiceProvider services,
    ILoggerFactory loggerFactory) : IHostedLifecycleService
{
    /// <summary>About how often the database is asked; jittered, so that many replicas do not ask in step.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The least time one poll gets, even at the deadline: the last answer decides, not a cut-off statement. Ten seconds,
    /// so that a busy server's slow answer is still an answer (a connection and one catalog query).
    /// </summary>
    private static readonly TimeSpan MinimumPollTime = TimeSpan.FromSeconds(10);

    private readonly ILogger _logger = loggerFactory.CreateLogger("StreamVault.Data.Migrations");

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        if (dataOptions.Value.WaitForMigrationsTimeout is not { } timeout)
        {
            return;
        }

        if (services.GetService<StartupMigrationsRegistered>() is not null)
        {
            HostingLog.NotWaitingWhileMigrating(_logger);
            return;
        }

        await WaitAsync(timeout, cancellationToken);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var connectionString = registration.ConnectionString;
        var target = StreamVaultConnections.Target(connectionString);
        var database = target.ToString();
        var shownTimeout = timeout.ToString("c", CultureInfo.InvariantCulture);
        var catalog = Catalog();
        var clock = Stopwatch.StartNew();
        string? reported = null;
        while (true)
        {
            string missing;
            Exception? failure = null;
            using (var poll = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                var left = timeout - clock.Elapsed;
                poll.CancelAfter(left > MinimumPollTime ? left : MinimumPollTime);
                try
                {
                    await using var connection = await StreamVaultConnections.DataSource(connectionString).OpenConnectionAsync(poll.Token);
                    var state = await MigrationState.ReadForNoOpAsync(connection, catalog, async: true, poll.Token);
                    // No history table yet reads as no state: nothing applied.
                    var view = state is null ? null : MigrationView.Of(catalog, state);
                    if (view is { IsUpToDate: true })
                    {
                        HostingLog.MigrationsWaitedFor(_logger, database, clock.ElapsedMilliseconds);
                        return;
                    }

                    missing = Missing(catalog, view);
                    if (missing != reported)
                    {
                        HostingLog.WaitingForMigrations(_logger, shownTimeout, database, missing);
                    }
                }
                catch (PostgresException denied) when (denied.SqlState.StartsWith("28", StringComparison.Ordinal))
                {
                    // A wrong password or a role not allowed in does not fix itself; waiting only delays the same error.
                    throw;
                }
                catch (Exception unreachable) when (unreachable is NpgsqlException
                                                    || (unreachable is OperationCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    // Not created yet (3D000), the server still starting (57P03, refused), or no answer in time: keep waiting.
                    failure = unreachable;
                    missing = unreachable is OperationCanceledException
                        ? "the up-to-date check did not answer in time"
                        : "it cannot be reached (" + MigrationFailure.Describe(unreachable) + ")";
                    if (missing != reported)
                    {
                        HostingLog.WaitingForUnreachable(_logger, database, MigrationFailure.Describe(unreachable));
                    }

                    // A pooled connection may have been broken by the outage.
                    StreamVaultConnections.DataSource(connectionString).Clear();
                }
            }

            reported = missing;
            var remaining = timeout - clock.Elapsed;
            if (remaining <= TimeSpan.Zero)
            {
                var message = string.Create(CultureInfo.InvariantCulture,
                    $"Gave up after waiting {shownTimeout} for database \"{target.Database}\" on {target.Server} to be migrated: {missing}; run the migrations (the migration Job or init container, migrations-bundle/migrate.sh, the efbundle) or raise StreamVault:WaitForMigrationsTimeout");
                throw failure is null ? new MigrationWaitTimeoutException(message) : new MigrationWaitTimeoutException(message, failure);
            }

            await Task.Delay(Jittered(remaining), cancellationToken);
        }
    }

    /// <summary>
    /// The migrations the poll compares with: compiled in (<see cref="KnownMigrations"/>), or, for a custom migrations
    /// assembly, EF's, read once here and never per poll.
    /// </summary>
    private IReadOnlyList<LedgerEntry> Catalog()
    {
        var options = dataOptions.Value;
        if (options.MigrationsAssembly is null)
        {
            return KnownMigrations.Entries;
        }

        using var context = ContextOptions.CreateContext(registration.ConnectionString, options);
        return context.GetService<LedgerCatalog>().Entries;
    }

    /// <summary>What keeps the database from being up to date, in the read model's words.</summary>
    private static string Missing(IReadOnlyList<LedgerEntry> catalog, MigrationView? view)
    {
        var notApplied = view is null ? [.. catalog.Select(e => e.MigrationId)] : view.Migrations.Where(m => !m.InHistory).Select(m => m.Id).ToList();
        return notApplied.Count > 0
            ? string.Create(CultureInfo.InvariantCulture,
                $"{notApplied.Count} migration{(notApplied.Count == 1 ? "" : "s")} not applied ({string.Join(", ", notApplied)})")
            : "its applied_migrations ledger is not yet in step with EF history";
    }

    /// <summary>About <see cref="PollInterval"/>, give or take a quarter, and never past the deadline.</summary>
    private static TimeSpan Jittered(TimeSpan remaining)
    {
#pragma warning disable CA5394 // Jitter needs spread, not unpredictability.
        var delay = PollInterval * (0.75 + (Random.Shared.NextDouble() / 2));
#pragma warning restore CA5394
        return delay < remaining ? delay : remaining;
    }
}

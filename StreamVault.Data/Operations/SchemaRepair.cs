using System.Globalization;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using StreamVault.Data.Engine;
using StreamVault.Data.Ledger;

namespace StreamVault.Data.Operations;

/// <summary>
/// <c>repair</c> and <c>mark-applied</c>: mend what is safe to mend, say what is not. Never drops a column,
/// a table or data. Both take the migration run lock (<see cref="RunLock"/>) and migrate's lock-timeout policy
/// (<see cref="LockTimeouts"/>), so they never interleave with a migrate run and never stall the app's queries.
/// </summary>
internal static class SchemaRepair
{
    /// <summary>
    /// Validates, then rebuilds missing or INVALID indexes (CREATE INDEX CONCURRENTLY, dropping an invalid one
    /// first), re-creates missing primary key, unique, foreign key and check constraints as the migrations define
    /// them (unique/PK on a concurrently built index, FK added NOT VALID then validated), and reconciles the
    /// ledger with EF history. Every other difference becomes a refused action that says why. With
    /// <paramref name="dryRun"/> nothing runs and the actions carry the SQL they would run.
    /// </summary>
    public static async Task<RepairReport> RepairAsync(
        string connectionString, bool dryRun = false, OperationOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var operation = OperationContext.Create(connectionString, options);
        var logger = operation.Options.Logger ?? NullLogger.Instance;
        var data = operation.Data;
        // Taken before validating, so what is planned is still true when it runs: a migrate run in progress is
        // waited for (up to RunLockDeadline, naming it), exactly as migrate waits for another run.
        await using var connection = dryRun ? null : await operation.OpenAsync(cancellationToken);
        await using var runLock = connection is null
            ? null
            : await RunLock.AcquireAsync(StreamVaultConnections.DataSource(operation.ConnectionString), data.RunLockDeadline, logger, async: true, cancellationToken);
        var before = await SchemaValidator.RunAsync(operation, cancellationToken);
        var plan = Plan(operation, before);
        if (connection is null || plan.All(a => a.Status != RepairActionStatus.Planned))
        {
            return new RepairReport(operation.Database, operation.Server, dryRun, plan, before.Report, dryRun ? null : before.Report);
        }

        var done = new List<RepairAction>(plan.Count);
        foreach (var action in plan)
        {
            if (action.Status != RepairActionStatus.Planned)
            {
                done.Add(action);
                continue;
            }

            using var span = RepairTelemetry.StartAction(connection, action, done);
            try
            {
                foreach (var statement in action.Sql)
                {
                    OperationsLog.RepairStatement(logger, statement);
                    await ExecuteAsync(connection, statement, operation.Tables, data, action.Name, logger, cancellationToken);
                }

                done.Add(action with { Status = RepairActionStatus.Applied });
            }
            catch (PostgresException failure)
            {
                OperationsLog.RepairFailed(logger, action.Name, failure.MessageText);
                done.Add(action with { Status = RepairActionStatus.Failed, Error = $"{failure.SqlState}: {failure.MessageText}" });
            }
            catch (MigrationLockException failure)
            {
                OperationsLog.RepairFailed(logger, action.Name, failure.Message);
                done.Add(action with { Status = RepairActionStatus.Failed, Error = failure.Message });
            }
        }

        var after = await SchemaValidator.RevalidateAsync(operation, before.Expected, before.Source, cancellationToken);
        return new RepairReport(operation.Database, operation.Server, DryRun: false, done, before.Report, after);
    }

    /// <summary>
    /// The Python guide's manual recovery, done right: records <paramref name="migration"/> (EF id, ledger name or
    /// the name after the timestamp) as applied without running it, by writing its EF history row and a successful
    /// ledger row in one transaction. Refused unless every object the migration creates or changes is present as
    /// it defines it, or <paramref name="force"/> is set. With <paramref name="dryRun"/> only the SQL is returned.
    /// </summary>
    public static async Task<MarkAppliedReport> MarkAppliedAsync(
        string connectionString, string migration, bool force = false, bool dryRun = false,
        OperationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(migration);
        using var operation = OperationContext.Create(connectionString, options);
        var logger = operation.Options.Logger ?? NullLogger.Instance;
        var id = Migrations.MigrationNames.Resolve(operation.Catalog.Select(e => e.MigrationId), migration);
        var index = id is null ? -1 : operation.Catalog.ToList().FindIndex(e => e.MigrationId == id);
        if (index < 0)
        {
            throw new ArgumentException(
                $"No migration '{migration}'. Known: {string.Join(", ", operation.Catalog.Select(e => e.MigrationId))}", nameof(migration));
        }

        var entry = operation.Catalog[index];
        MarkAppliedReport Report(MarkAppliedOutcome outcome, IReadOnlyList<ValidationCheck> checks, IReadOnlyList<string> sql, string message)
            => new(operation.Database, operation.Server, entry.MigrationId, entry.LedgerName, outcome, force, dryRun, checks, sql, message);

        await using var connection = await operation.OpenAsync(cancellationToken);
        // Held from before the state is read to after the write, so a migrate run cannot apply the migration in
        // between; waited for like migrate waits for another run.
        await using var runLock = dryRun
            ? null
            : await RunLock.AcquireAsync(StreamVaultConnections.DataSource(operation.ConnectionString), operation.Data.RunLockDeadline, logger, async: true, cancellationToken);
        var state = await MigrationState.ReadAsync(connection, HistoryTable.Default, cancellationToken);
        if (state.History?.ContainsKey(entry.MigrationId) == true)
        {
            return Report(MarkAppliedOutcome.AlreadyApplied, [], [], $"Migration {entry.MigrationId} is already applied; nothing to do");
        }

        var targets = index == 0
            ? new[] { entry.MigrationId }
            : new[] { operation.Catalog[index - 1].MigrationId, entry.MigrationId };
        var (shapes, _) = await ExpectedShapes.ResolveAsync(operation, targets, cancellationToken);
        var introduced = Introduced(index == 0 ? SchemaShape.Empty : shapes[0], shapes[^1]);
        var live = await SchemaReader.ReadAsync(connection, operation.Tables, cancellationToken);
        var checks = ShapeComparer.Compare(introduced, live, reportExtras: false);
        // A release's variant of an object (a warning) is the object present; only errors mean it is not.
        var missing = checks.Where(c => c.Severity == CheckSeverity.Error).ToList();

        var sql = new[]
        {
            operation.HistoryRepository.GetCreateIfNotExistsScript(),
            operation.HistoryRepository.GetInsertScript(new HistoryRow(entry.MigrationId, ProductInfo.GetVersion())),
        };
        if (missing.Count > 0 && !force)
        {
            return Report(MarkAppliedOutcome.Refused, checks, sql, string.Create(CultureInfo.InvariantCulture,
                $"Refusing to mark {entry.MigrationId} as applied: {missing.Count} of its objects are missing or differ ({string.Join("; ", missing.Select(m => m.Message))}). Create them (or run migrate), or pass force to record it anyway."));
        }

        if (dryRun)
        {
            return Report(MarkAppliedOutcome.Planned, checks, sql, $"Would record {entry.MigrationId} as applied (dry run; nothing written)");
        }

        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            foreach (var statement in sql)
            {
                await using var command = new NpgsqlCommand(statement, connection, transaction);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        OperationsLog.MarkedApplied(logger, entry.MigrationId, force && missing.Count > 0);
        return Report(MarkAppliedOutcome.Applied, checks, sql, missing.Count > 0
            ? $"Recorded {entry.MigrationId} as applied although {missing.Count} of its objects are missing or differ (forced)"
            : $"Recorded {entry.MigrationId} as applied (EF history and applied_migrations row '{entry.LedgerName}'); its objects are present");
    }

    /// <summary>The objects a migration adds or changes: what is in the shape after it but not (or not so) before.</summary>
    private static SchemaShape Introduced(SchemaShape before, SchemaShape after)
    {
        var tables = new List<TableShape>();
        foreach (var table in after.Tables)
        {
            var old = before.Find(table.Name);
            if (old is null)
            {
                tables.Add(table);
                continue;
            }

            var columns = table.Columns.Where(c => !old.Columns.Contains(c)).ToList();
            var indexes = table.Indexes.Where(i => !old.Indexes.Contains(i)).ToList();
            var constraints = table.Constraints.Where(c => !old.Constraints.Contains(c)).ToList();
            var triggers = table.Triggers.Where(g => !old.Triggers.Contains(g)).ToList();
            if (columns.Count + indexes.Count + constraints.Count + triggers.Count > 0)
            {
                tables.Add(new TableShape(table.Name, columns, indexes, constraints, triggers));
            }
        }

        return new SchemaShape(tables);
    }

    private static List<RepairAction> Plan(OperationContext operation, ValidationRun run)
    {
        var actions = new List<RepairAction>();
        var ledgerNeeded = false;
        // Errors only: a warning (an object the app made, a release's variant) is never the migrations' to change.
        foreach (var failure in run.Report.Errors)
        {
            var table = failure.Table;
            switch (failure.Kind, failure.Problem)
            {
                case ("index", "missing" or "invalid"):
                {
                    var definition = run.Expected.Find(table!)!.Indexes.First(i => i.Name == failure.Name).Definition;
                    var sql = new List<string>();
                    if (failure.Problem == "invalid")
                    {
                        sql.Add($"DROP INDEX CONCURRENTLY IF EXISTS {Sql.Identifier(failure.Name)}");
                    }

                    sql.Add(Concurrently(definition));
                    actions.Add(Planned("index", table, failure.Name,
                        failure.Problem == "invalid" ? $"Rebuild INVALID index '{failure.Name}' concurrently" : $"Create missing index '{failure.Name}' concurrently",
                        sql));
                    break;
                }

                case ("constraint", "missing"):
                    actions.Add(PlanConstraint(run, table!, failure.Name));
                    break;
                case ("ledger", "unrecorded"):
                    ledgerNeeded = true;
                    break;
                default:
                    actions.Add(Refused(failure));
                    break;
            }
        }

        if (ledgerNeeded)
        {
            actions.Add(Planned("ledger", null, LedgerSql.Table,
                "Reconcile applied_migrations with EF history (a successful row for every applied migration)",
                [LedgerSql.EnsureTable + "\n" + LedgerSql.Reconcile(HistoryTable.Default, operation.Catalog, AppliedBy.Current)]));
        }

        // Keys first: a foreign key needs the referenced key, and nothing else depends on a foreign key.
        return actions
            .OrderBy(a => a.Status == RepairActionStatus.Refused ? 1 : 0)
            .ThenBy(a => a.Kind == "constraint" && a.Sql.Any(s => s.Contains("FOREIGN KEY", StringComparison.Ordinal)) ? 1 : 0)
            .ToList();
    }

    private static RepairAction PlanConstraint(ValidationRun run, string table, string name)
    {
        var constraint = run.Expected.Find(table)!.Constraints.First(c => c.Name == name);
        var t = Sql.Identifier(table);
        var n = Sql.Identifier(name);
        switch (constraint.Type)
        {
            case "primaryKey" or "unique":
            {
                // Built concurrently and then attached: only the short ALTER takes a strong lock on a large table.
                var columns = constraint.Definition[constraint.Definition.IndexOf('(', StringComparison.Ordinal)..];
                var sql = new List<string>();
                var leftover = run.Live.Find(table)?.Indexes.FirstOrDefault(i => i.Name == name);
                if (leftover is { IsValid: false })
                {
                    sql.Add($"DROP INDEX CONCURRENTLY IF EXISTS {n}");
                }

                sql.Add($"CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS {n} ON {t} {columns}");
                sql.Add($"ALTER TABLE {t} ADD CONSTRAINT {n} {(constraint.Type == "primaryKey" ? "PRIMARY KEY" : "UNIQUE")} USING INDEX {n}");
                return Planned("constraint", table, name, $"Re-create missing constraint '{name}' ({constraint.Definition}) on {table}", sql);
            }

            case "foreignKey":
                // NOT VALID then VALIDATE: existing rows are checked without blocking writes to the table.
                return Planned("constraint", table, name, $"Re-create missing constraint '{name}' ({constraint.Definition}) on {table}",
                [
                    $"ALTER TABLE {t} ADD CONSTRAINT {n} {constraint.Definition} NOT VALID",
                    $"ALTER TABLE {t} VALIDATE CONSTRAINT {n}",
                ]);
            default:
                return Planned("constraint", table, name, $"Re-create missing constraint '{name}' ({constraint.Definition}) on {table}",
                    [$"ALTER TABLE {t} ADD CONSTRAINT {n} {constraint.Definition}"]);
        }
    }

    private static RepairAction Refused(ValidationCheck failure)
    {
        var reason = (failure.Kind, failure.Problem) switch
        {
            ("column", "extra") => "not dropped: removing a column loses its data. Back it up and drop it yourself if nothing uses it",
            ("column", _) => "not changed: column changes can lose or rewrite data. Fix it by hand (or run migrate if migrations are pending)",
            ("table", _) => "not created here: run migrate, which creates the migrations' tables",
            ("index", "extra") => "left in place: an index the migrations do not create may be someone's. Drop it yourself if unwanted",
            ("index", _) => "not rebuilt: an index of that name exists with another definition. Drop it yourself, then repair creates the right one",
            ("constraint", "extra") => "left in place: a constraint the migrations do not create may be someone's. Drop it yourself if unwanted",
            ("constraint", _) => "not replaced: a constraint of that name exists with another definition. Drop it yourself, then repair creates the right one",
            ("migration", "unknown") => "left alone: the database was migrated by a newer version",
            ("migration", _) => "not applied here: run migrate",
            ("checksum", _) => "left alone: the ledger keeps the checksum of the SQL that actually ran. Review the change to the migration",
            _ => "left alone: nothing safe to do automatically",
        };
        return new RepairAction(failure.Kind, failure.Table, failure.Name, RepairActionStatus.Refused, $"{failure.Message} — {reason}", [], null);
    }

    private static RepairAction Planned(string kind, string? table, string name, string message, IReadOnlyList<string> sql)
        => new(kind, table, name, RepairActionStatus.Planned, message, sql, null);

    /// <summary>pg_get_indexdef's CREATE [UNIQUE] INDEX name ... as a concurrent, rerunnable build.</summary>
    private static string Concurrently(string definition)
    {
        const string unique = "CREATE UNIQUE INDEX ";
        const string plain = "CREATE INDEX ";
        return definition.StartsWith(unique, StringComparison.Ordinal)
            ? "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS " + definition[unique.Length..]
            : "CREATE INDEX CONCURRENTLY IF NOT EXISTS " + definition[plain.Length..];
    }

    private static async Task ExecuteAsync(
        NpgsqlConnection connection, string statement, IReadOnlyList<string> tables, StreamVaultDataOptions options, string target,
        ILogger logger, CancellationToken cancellationToken)
    {
        if (statement.Contains("CONCURRENTLY", StringComparison.Ordinal))
        {
            // Concurrent builds refuse transactions and wait for older transactions by design: no lock_timeout, and none
            // of the role's timeouts either (BuildTimeouts), so that a long build is not left INVALID.
            var builds = await BuildTimeouts.ForSessionAsync(connection, options, async: true, cancellationToken);
            await ExecuteOutsideTransactionAsync(connection, builds?.Set, cancellationToken);
            await ExecuteOutsideTransactionAsync(connection, statement, cancellationToken);
            await ExecuteOutsideTransactionAsync(connection, builds?.Reset, cancellationToken);
            return;
        }

        // migrate's policy: a short lock_timeout keeps an ALTER queued behind a long query from stalling the app's
        // writes, the step locks the tables it names as a migration step does (StepLocks: a foreign key names two), and
        // it is retried until LockRetryDeadline.
        var locks = StepLocks.For([statement], tables);
        await LockTimeouts.RetryAsync(
            async () =>
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await using (var timeout = new NpgsqlCommand(LockTimeouts.SetLocal(options), connection, transaction))
                {
                    await timeout.ExecuteNonQueryAsync(cancellationToken);
                }

                await locks.PrepareAsync(connection, async: true, cancellationToken);
                await using (var command = new NpgsqlCommand(statement, connection, transaction) { CommandTimeout = 0 })
                {
                    await command.ExecuteNonQueryAsync(cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
                return true;
            },
            connection, ModelTables.WithLedgers(tables), options, $"repair of {target}",
            (attempt, delay, reason, blockers) => OperationsLog.RepairLockRetry(logger, target, reason, attempt, (long)delay.TotalMilliseconds, blockers),
            async: true, cancellationToken);
    }

    private static async Task ExecuteOutsideTransactionAsync(NpgsqlConnection connection, string? statement, CancellationToken cancellationToken)
    {
        if (statement is not null)
        {
            await using var command = new NpgsqlCommand(statement, connection) { CommandTimeout = 0 };
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

}

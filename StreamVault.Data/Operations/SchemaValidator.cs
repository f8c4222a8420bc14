using StreamVault.Data.Ledger;

namespace StreamVault.Data.Operations;

/// <summary>
/// <c>validate</c>: compares the live database with what the migrations produce (see <see cref="ExpectedShapes"/>)
/// and the ledger with EF history. Read-only apart from the short-lived shadow database.
/// </summary>
public static class SchemaValidator
{
    /// <summary>
    /// Every column, index and constraint of the five tables against a freshly migrated database; every
    /// migration applied, recorded in <c>applied_migrations</c> and unchanged since. See <see cref="ValidationReport"/>.
    /// </summary>
    public static async Task<ValidationReport> ValidateAsync(
        string connectionString, OperationOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var operation = OperationContext.Create(connectionString, options);
        return (await RunAsync(operation, cancellationToken)).Report;
    }

    internal static async Task<ValidationRun> RunAsync(OperationContext operation, CancellationToken cancellationToken)
    {
        var (shapes, source) = await ExpectedShapes.ResolveAsync(operation, [operation.Catalog[^1].MigrationId], cancellationToken);
        var expected = shapes[0];
        await using var connection = await operation.OpenAsync(cancellationToken);
        var live = await SchemaReader.ReadAsync(connection, operation.Tables, cancellationToken);
        var state = await MigrationState.ReadAsync(connection, operation.History, cancellationToken);
        var checks = ShapeComparer.Compare(expected, live, reportExtras: true)
            .Concat(LedgerChecks(operation.Catalog, state))
            .ToList();
        return new ValidationRun(new ValidationReport(operation.Database, operation.Server, source, checks), expected, live, source);
    }

    /// <summary>Re-reads the live database against an expected shape already obtained (after a repair).</summary>
    internal static async Task<ValidationReport> RevalidateAsync(
        OperationContext operation, SchemaShape expected, ExpectedShapeSource source, CancellationToken cancellationToken)
    {
        await using var connection = await operation.OpenAsync(cancellationToken);
        var live = await SchemaReader.ReadAsync(connection, operation.Tables, cancellationToken);
        var state = await MigrationState.ReadAsync(connection, operation.History, cancellationToken);
        var checks = ShapeComparer.Compare(expected, live, reportExtras: true).Concat(LedgerChecks(operation.Catalog, state)).ToList();
        return new ValidationReport(operation.Database, operation.Server, source, checks);
    }

    internal static IEnumerable<ValidationCheck> LedgerChecks(IReadOnlyList<LedgerEntry> catalog, MigrationState state)
    {
        foreach (var entry in catalog)
        {
            var id = entry.MigrationId;
            LedgerRow? row = null;
            state.Ledger?.TryGetValue(entry.LedgerName, out row);
            if (state.History is null || !state.History.ContainsKey(id))
            {
                yield return row is { Success: false }
                    ? ValidationCheck.Fail("migration", null, id, "failed", $"Migration {id} failed and is not applied: {row.Error ?? "(no error recorded)"}")
                    : ValidationCheck.Fail("migration", null, id, "pending", $"Migration {id} is pending (not in EF history)");
                continue;
            }

            if (row is not { Success: true })
            {
                yield return ValidationCheck.Fail("ledger", null, id, "unrecorded",
                    $"Migration {id} is in EF history but applied_migrations has no successful row '{entry.LedgerName}'"
                    + (row?.Error is { } error ? $" (recorded error: {error})" : ""));
                continue;
            }

            yield return ValidationCheck.Pass("ledger", null, id, $"Migration {id} applied and recorded as '{entry.LedgerName}'");
            var matches = row.ChecksumMatches(entry);
            if (matches is null)
            {
                yield return ValidationCheck.Pass("checksum", null, id, $"Migration {id} was recorded without a checksum (adopted legacy row); nothing to compare");
            }
            else if (matches == false)
            {
                yield return ValidationCheck.Fail("checksum", null, id, "changed",
                    $"Migration {id}'s SQL changed since it was applied (ledger checksum {Short(row.Checksum!)}, current {Short(entry.Checksum)})",
                    expected: entry.Checksum, actual: row.Checksum);
            }
            else
            {
                yield return ValidationCheck.Pass("checksum", null, id, $"Migration {id}'s SQL is unchanged since it was applied");
            }
        }

        foreach (var unknown in state.UnknownHistory(catalog))
        {
            yield return ValidationCheck.Fail("migration", null, unknown, "unknown",
                $"EF history lists migration {unknown}, which this version does not contain (migrated by a newer version?)");
        }

        var knownNames = catalog.Select(e => e.LedgerName).ToHashSet(StringComparer.Ordinal);
        foreach (var failed in (state.Ledger?.Values ?? []).Where(r => r.Success == false && !knownNames.Contains(r.Name)))
        {
            yield return ValidationCheck.Fail("ledger", null, failed.Name, "failed",
                $"applied_migrations records a failure of '{failed.Name}': {failed.Error ?? "(no error recorded)"}");
        }
    }

    private static string Short(string checksum) => checksum.Length > 12 ? checksum[..12] + "…" : checksum;
}

/// <summary>A validation together with the expected shape it used, so repair does not build it twice.</summary>
internal sealed record ValidationRun(ValidationReport Report, SchemaShape Expected, SchemaShape Live, ExpectedShapeSource Source);

/// <summary>Turns two shapes into checks: one per expected object, plus one per object the migrations do not create.</summary>
internal static class ShapeComparer
{
    public static List<ValidationCheck> Compare(SchemaShape expected, SchemaShape actual, bool reportExtras)
    {
        var checks = new List<ValidationCheck>();
        foreach (var want in expected.Tables)
        {
            var t = want.Name;
            var have = actual.Find(t);
            if (have is null)
            {
                checks.Add(ValidationCheck.Fail("table", t, t, "missing", $"Table '{t}' is missing"));
                continue;
            }

            checks.Add(ValidationCheck.Pass("table", t, t, $"Table '{t}' exists"));
            CompareColumns(want, have, reportExtras, checks);
            CompareIndexes(want, have, reportExtras, checks);
            CompareConstraints(want, have, reportExtras, checks);
        }

        return checks;
    }

    private static void CompareColumns(TableShape want, TableShape have, bool reportExtras, List<ValidationCheck> checks)
    {
        var t = want.Name;
        foreach (var column in want.Columns)
        {
            var name = $"{t}.{column.Name}";
            var found = have.Columns.FirstOrDefault(c => c.Name == column.Name);
            if (found is null)
            {
                checks.Add(ValidationCheck.Fail("column", t, column.Name, "missing",
                    $"Column '{name}' is missing (expected {Describe(column)})", expected: Describe(column)));
                continue;
            }

            var before = checks.Count;
            if (found.Type != column.Type)
            {
                checks.Add(ValidationCheck.Fail("column", t, column.Name, "type",
                    $"Column '{name}' has type {found.Type}, expected {column.Type}", column.Type, found.Type));
            }

            if (found.NotNull != column.NotNull)
            {
                checks.Add(ValidationCheck.Fail("column", t, column.Name, "nullability",
                    $"Column '{name}' is {Nullability(found)}, expected {Nullability(column)}", Nullability(column), Nullability(found)));
            }

            if (found.Default != column.Default)
            {
                checks.Add(ValidationCheck.Fail("column", t, column.Name, "default",
                    $"Column '{name}' has default {found.Default ?? "(none)"}, expected {column.Default ?? "(none)"}", column.Default, found.Default));
            }

            if (checks.Count == before)
            {
                checks.Add(ValidationCheck.Pass("column", t, column.Name, $"Column '{name}' exists ({Describe(column)})"));
            }
        }

        if (reportExtras)
        {
            foreach (var extra in have.Columns.Where(c => want.Columns.All(w => w.Name != c.Name)))
            {
                checks.Add(ValidationCheck.Fail("column", t, extra.Name, "extra",
                    $"Column '{t}.{extra.Name}' ({Describe(extra)}) is not created by the migrations (extra column)", actual: Describe(extra)));
            }
        }
    }

    private static void CompareIndexes(TableShape want, TableShape have, bool reportExtras, List<ValidationCheck> checks)
    {
        var t = want.Name;
        foreach (var index in want.Indexes)
        {
            var found = have.Indexes.FirstOrDefault(i => i.Name == index.Name);
            if (found is null)
            {
                checks.Add(ValidationCheck.Fail("index", t, index.Name, "missing",
                    $"Index '{index.Name}' is missing (expected {index.Definition})", expected: index.Definition));
            }
            else if (found.Definition != index.Definition)
            {
                checks.Add(ValidationCheck.Fail("index", t, index.Name, "definition",
                    $"Index '{index.Name}' differs: found {found.Definition}, expected {index.Definition}", index.Definition, found.Definition));
            }
            else if (!found.IsValid)
            {
                checks.Add(ValidationCheck.Fail("index", t, index.Name, "invalid",
                    $"Index '{index.Name}' is INVALID (a failed or interrupted build; queries do not use it)", index.Definition, found.Definition + " INVALID"));
            }
            else
            {
                checks.Add(ValidationCheck.Pass("index", t, index.Name, $"Index '{index.Name}' exists"));
            }
        }

        if (reportExtras)
        {
            foreach (var extra in have.Indexes.Where(i => want.Indexes.All(w => w.Name != i.Name)))
            {
                checks.Add(ValidationCheck.Fail("index", t, extra.Name, "extra",
                    $"Index '{extra.Name}' on {t} is not created by the migrations (extra{(extra.IsValid ? "" : ", INVALID")}): {extra.Definition}",
                    actual: extra.Definition));
            }
        }
    }

    private static void CompareConstraints(TableShape want, TableShape have, bool reportExtras, List<ValidationCheck> checks)
    {
        var t = want.Name;
        foreach (var constraint in want.Constraints)
        {
            var found = have.Constraints.FirstOrDefault(c => c.Name == constraint.Name);
            if (found is null)
            {
                checks.Add(ValidationCheck.Fail("constraint", t, constraint.Name, "missing",
                    $"Constraint '{constraint.Name}' is missing (expected {constraint.Definition} on {t})", expected: constraint.Definition));
            }
            else if (found.Type != constraint.Type || found.Definition != constraint.Definition)
            {
                checks.Add(ValidationCheck.Fail("constraint", t, constraint.Name, "definition",
                    $"Constraint '{constraint.Name}' differs: found {found.Definition}, expected {constraint.Definition}",
                    constraint.Definition, found.Definition));
            }
            else
            {
                checks.Add(ValidationCheck.Pass("constraint", t, constraint.Name, $"Constraint '{constraint.Name}' exists ({constraint.Definition})"));
            }
        }

        if (reportExtras)
        {
            foreach (var extra in have.Constraints.Where(c => want.Constraints.All(w => w.Name != c.Name)))
            {
                checks.Add(ValidationCheck.Fail("constraint", t, extra.Name, "extra",
                    $"Constraint '{extra.Name}' on {t} is not created by the migrations (extra): {extra.Definition}", actual: extra.Definition));
            }
        }
    }

    private static string Describe(ColumnShape column)
        => column.Type + (column.NotNull ? " not null" : " null") + (column.Default is null ? "" : " default " + column.Default);

    private static string Nullability(ColumnShape column) => column.NotNull ? "NOT NULL" : "nullable";
}

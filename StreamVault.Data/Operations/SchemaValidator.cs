using StreamVault.Data.Ledger;
using StreamVault.Data.Migrations;
using StreamVault.Data.Engine;

namespace StreamVault.Data.Operations;

/// <summary>
/// <c>validate</c>: compares the live database with what the migrations produce (see <see cref="ExpectedShapes"/>)
/// and the ledger with EF history. Read-only apart from the short-lived shadow database.
/// </summary>
internal static class SchemaValidator
{
    /// <summary>
    /// Every column, index, constraint and trigger of the model's tables against a freshly migrated database; every
    /// migration applied, recorded in <c>applied_migrations</c> and unchanged since. Differences an app release
    /// made, or objects the migrations do not know, are warnings; with <paramref name="strict"/> they fail the
    /// validation too. See <see cref="ValidationReport"/>.
    /// </summary>
    public static async Task<ValidationReport> ValidateAsync(
        string connectionString, OperationOptions? options = null, bool strict = false, CancellationToken cancellationToken = default)
    {
        using var operation = OperationContext.Create(connectionString, options);
        return (await RunAsync(operation, cancellationToken)).Report with { Strict = strict };
    }

    internal static async Task<ValidationRun> RunAsync(OperationContext operation, CancellationToken cancellationToken)
    {
        var (shapes, source) = await ExpectedShapes.ResolveAsync(operation, [operation.Catalog[^1].MigrationId], cancellationToken);
        var expected = shapes[0];
        await using var connection = await operation.OpenAsync(cancellationToken);
        var live = await SchemaReader.ReadAsync(connection, operation.Tables, cancellationToken);
        var state = await MigrationState.ReadAsync(connection, HistoryTable.Default, cancellationToken);
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
        var state = await MigrationState.ReadAsync(connection, HistoryTable.Default, cancellationToken);
        var checks = ShapeComparer.Compare(expected, live, reportExtras: true).Concat(LedgerChecks(operation.Catalog, state)).ToList();
        return new ValidationReport(operation.Database, operation.Server, source, checks);
    }

    internal static IEnumerable<ValidationCheck> LedgerChecks(IReadOnlyList<LedgerEntry> catalog, MigrationState state)
    {
        var view = MigrationView.Of(catalog, state);
        foreach (var migration in view.Migrations)
        {
            var (id, entry, row) = (migration.Id, migration.Entry, migration.Row);
            if (migration.State == MigrationStateKind.Failed)
            {
                yield return ValidationCheck.Fail("migration", null, id, "failed", $"Migration {id} failed and is not applied: {row?.Error ?? "(no error recorded)"}");
                continue;
            }

            if (migration.State == MigrationStateKind.Pending)
            {
                yield return ValidationCheck.Fail("migration", null, id, "pending", $"Migration {id} is pending (not in EF history)");
                continue;
            }

            if (row is not { Success: true })
            {
                yield return ValidationCheck.Fail("ledger", null, id, "unrecorded",
                    $"Migration {id} is in EF history but applied_migrations has no successful row '{entry.LedgerName}'"
                    + (row?.Error is { } error ? $" (recorded error: {error})" : ""));
                continue;
            }

            yield return ValidationCheck.Pass("ledger", null, id,
                $"Migration {id} applied and recorded as '{entry.LedgerName}'{(row.AppliedBy?.EndsWith(AppliedByAdoptedSuffix, StringComparison.Ordinal) == true ? " (adopted: its objects were already present)" : "")}");
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

        foreach (var unknown in view.UnknownHistory)
        {
            yield return ValidationCheck.Fail("migration", null, unknown, "unknown",
                $"EF history lists migration {unknown}, which this version does not contain (migrated by a newer version?)");
        }

        foreach (var failed in view.UnknownFailures)
        {
            yield return ValidationCheck.Fail("ledger", null, failed.Name, "failed",
                $"applied_migrations records a failure of '{failed.Name}': {failed.Error ?? "(no error recorded)"}");
        }
    }

    private static readonly string AppliedByAdoptedSuffix = AppliedBy.Adopted[AppliedBy.Current.Length..];

    private static string Short(string checksum) => checksum.Length > 12 ? checksum[..12] + "…" : checksum;
}

/// <summary>A validation together with the expected shape it used, so repair does not build it twice.</summary>
internal sealed record ValidationRun(ValidationReport Report, SchemaShape Expected, SchemaShape Live, ExpectedShapeSource Source);

/// <summary>
/// Turns two shapes into checks: one per expected object, plus one per object the migrations do not create. A
/// difference is an error when the application could miss something (missing, narrower, another definition,
/// INVALID) and a warning when the database holds a variant that works: one an app release made, an equivalent
/// one, or an object the migrations do not know.
/// </summary>
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
            CompareTriggers(want, have, reportExtras, checks);
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
            if (CompareType(t, column, found) is { } type)
            {
                checks.Add(type);
            }

            if (found.NotNull && !column.NotNull && ReleaseVariants.IsReleaseNotNull(t, column.Name))
            {
                checks.Add(ValidationCheck.Warn("column", t, column.Name, "nullability",
                    $"Column '{name}' is NOT NULL as an app release made it; the migrations allow NULL, which older releases' rows may hold", "nullable", "NOT NULL"));
            }
            else if (found.NotNull && !column.NotNull)
            {
                checks.Add(ValidationCheck.Fail("column", t, column.Name, "nullability",
                    $"Column '{name}' is NOT NULL, expected nullable (the application may store NULL there)", "nullable", "NOT NULL"));
            }
            else if (!found.NotNull && column.NotNull)
            {
                checks.Add(ValidationCheck.Warn("column", t, column.Name, "nullability",
                    $"Column '{name}' is nullable where the migrations make it NOT NULL (wider; as an app release made it)", "NOT NULL", "nullable"));
            }

            if (CompareDefault(t, column, found) is { } @default)
            {
                checks.Add(@default);
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
                checks.Add(ValidationCheck.Warn("column", t, extra.Name, "extra",
                    $"Column '{t}.{extra.Name}' ({Describe(extra)}) is not created by the migrations (extra column, kept)", actual: Describe(extra)));
            }
        }
    }

    private static ValidationCheck? CompareType(string t, ColumnShape want, ColumnShape have)
    {
        if (have.Type == want.Type)
        {
            return null;
        }

        var name = $"{t}.{want.Name}";
        var haveLength = ReleaseVariants.VarcharLength(have.Type);
        var wantLength = ReleaseVariants.VarcharLength(want.Type);
        var wantUnbounded = ReleaseVariants.IsUnboundedText(want.Type);
        var haveUnbounded = ReleaseVariants.IsUnboundedText(have.Type);
        if (haveUnbounded && (wantUnbounded || wantLength is not null))
        {
            return ValidationCheck.Warn("column", t, want.Name, "type",
                $"Column '{name}' has type {have.Type}, the migrations make {want.Type} (holds at least as much)", want.Type, have.Type);
        }

        if (haveLength is { } length && (wantUnbounded || wantLength is not null))
        {
            if (wantLength is { } limit && length >= limit)
            {
                return ValidationCheck.Warn("column", t, want.Name, "type",
                    $"Column '{name}' has type {have.Type}, the migrations make {want.Type} (wider)", want.Type, have.Type);
            }

            return ReleaseVariants.IsReleaseType(t, want.Name, have.Type)
                ? ValidationCheck.Warn("column", t, want.Name, "type",
                    $"Column '{name}' has type {have.Type} as an app release made it; the migrations make {want.Type}", want.Type, have.Type)
                : ValidationCheck.Fail("column", t, want.Name, "type",
                    $"Column '{name}' has type {have.Type}, narrower than {want.Type}: longer values would be refused", want.Type, have.Type);
        }

        return ValidationCheck.Fail("column", t, want.Name, "type", $"Column '{name}' has type {have.Type}, expected {want.Type}", want.Type, have.Type);
    }

    private static ValidationCheck? CompareDefault(string t, ColumnShape want, ColumnShape have)
    {
        if (have.Default == want.Default)
        {
            return null;
        }

        var name = $"{t}.{want.Name}";
        var wanted = ReleaseVariants.Normalize(want.Default);
        var found = ReleaseVariants.Normalize(have.Default);
        if (wanted == found)
        {
            return ValidationCheck.Warn("column", t, want.Name, "default",
                $"Column '{name}' has default {Show(have.Default)}, equivalent to {Show(want.Default)}", want.Default, have.Default);
        }

        if (wanted is null)
        {
            return ValidationCheck.Warn("column", t, want.Name, "default",
                $"Column '{name}' has default {Show(have.Default)} where the migrations set none (extra server default, kept)", want.Default, have.Default);
        }

        return ValidationCheck.Fail("column", t, want.Name, "default",
            $"Column '{name}' has default {Show(have.Default)}, expected {Show(want.Default)}", want.Default, have.Default);
    }

    private static void CompareIndexes(TableShape want, TableShape have, bool reportExtras, List<ValidationCheck> checks)
    {
        var t = want.Name;
        foreach (var index in want.Indexes)
        {
            var found = have.Indexes.FirstOrDefault(i => i.Name == index.Name);
            if (found is null)
            {
                checks.Add(CoveringIndex(have, Signature(index.Definition), IsUnique(index.Definition)) is { } cover
                    ? ValidationCheck.Warn("index", t, index.Name, "covered",
                        $"Index '{index.Name}' is absent, but {cover} indexes the same columns ({Signature(index.Definition)})", index.Definition, cover)
                    : ValidationCheck.Fail("index", t, index.Name, "missing",
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
                checks.Add(extra.IsValid
                    ? ValidationCheck.Warn("index", t, extra.Name, "extra",
                        $"Index '{extra.Name}' on {t} is not created by the migrations (extra, kept): {extra.Definition}", actual: extra.Definition)
                    : ValidationCheck.Fail("index", t, extra.Name, "invalid",
                        $"Index '{extra.Name}' on {t} is INVALID (a failed or interrupted build; queries do not use it): {extra.Definition}",
                        actual: extra.Definition + " INVALID"));
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
                checks.Add(CoveringConstraint(have, constraint) is { } cover
                    ? ValidationCheck.Warn("constraint", t, constraint.Name, "covered",
                        $"Constraint '{constraint.Name}' is absent, but {cover} enforces the same ({constraint.Definition})", constraint.Definition, cover)
                    : ValidationCheck.Fail("constraint", t, constraint.Name, "missing",
                        $"Constraint '{constraint.Name}' is missing (expected {constraint.Definition} on {t})", expected: constraint.Definition));
            }
            else if (found.Type == constraint.Type && ReleaseVariants.IsReleaseConstraint(t, constraint.Name, found.Definition))
            {
                checks.Add(ValidationCheck.Warn("constraint", t, constraint.Name, "definition",
                    $"Constraint '{constraint.Name}' is {found.Definition} as an app release made it; the migrations make {constraint.Definition}",
                    constraint.Definition, found.Definition));
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
                checks.Add(ValidationCheck.Warn("constraint", t, extra.Name, "extra",
                    $"Constraint '{extra.Name}' on {t} is not created by the migrations (extra, kept): {extra.Definition}", actual: extra.Definition));
            }
        }
    }

    private static void CompareTriggers(TableShape want, TableShape have, bool reportExtras, List<ValidationCheck> checks)
    {
        var t = want.Name;
        foreach (var trigger in want.Triggers)
        {
            var found = have.Triggers.FirstOrDefault(g => g.Name == trigger.Name);
            checks.Add(found is null
                ? ValidationCheck.Fail("trigger", t, trigger.Name, "missing", $"Trigger '{trigger.Name}' is missing (expected {trigger.Definition})", expected: trigger.Definition)
                : found.Definition != trigger.Definition
                    ? ValidationCheck.Fail("trigger", t, trigger.Name, "definition",
                        $"Trigger '{trigger.Name}' differs: found {found.Definition}, expected {trigger.Definition}", trigger.Definition, found.Definition)
                    : ValidationCheck.Pass("trigger", t, trigger.Name, $"Trigger '{trigger.Name}' exists"));
        }

        if (!reportExtras)
        {
            return;
        }

        foreach (var extra in have.Triggers.Where(g => want.Triggers.All(w => w.Name != g.Name)))
        {
            checks.Add(ValidationCheck.Warn("trigger", t, extra.Name, "extra",
                $"Trigger '{extra.Name}' on {t} is not created by the migrations (extra, kept): {extra.Definition}", actual: extra.Definition));
            if (want.Triggers.All(w => w.Function != extra.Function) && checks.All(c => c is not { Kind: "function" } || c.Name != extra.Function))
            {
                checks.Add(ValidationCheck.Warn("function", null, extra.Function, "extra",
                    $"Function '{extra.Function}' (run by trigger '{extra.Name}') is not created by the migrations (extra, kept)", actual: extra.Function));
            }
        }
    }

    /// <summary>The part of an index definition after its table: method and columns, e.g. <c>btree (twitch_id)</c>.</summary>
    private static string Signature(string definition)
    {
        var at = definition.IndexOf(" USING ", StringComparison.Ordinal);
        return at < 0 ? definition : definition[(at + 7)..];
    }

    private static bool IsUnique(string definition) => definition.StartsWith("CREATE UNIQUE INDEX ", StringComparison.Ordinal);

    /// <summary>A valid index or key constraint of the live table with these columns (and unique where that is needed).</summary>
    private static string? CoveringIndex(TableShape have, string signature, bool unique)
    {
        var index = have.Indexes.FirstOrDefault(i => i.IsValid && Signature(i.Definition) == signature && (!unique || IsUnique(i.Definition)));
        if (index is not null)
        {
            return $"index '{index.Name}'";
        }

        var key = have.Constraints.FirstOrDefault(c => c.Type is "primaryKey" or "unique" && KeySignature(c) == signature);
        return key is null ? null : $"constraint '{key.Name}'";
    }

    /// <summary>Another constraint or unique index of the live table enforcing what the expected constraint does.</summary>
    private static string? CoveringConstraint(TableShape have, ConstraintShape constraint)
    {
        var same = have.Constraints.FirstOrDefault(c => c.Type == constraint.Type && c.Definition == constraint.Definition);
        if (same is not null)
        {
            return $"constraint '{same.Name}'";
        }

        if (constraint.Type is not ("primaryKey" or "unique"))
        {
            return null;
        }

        var index = have.Indexes.FirstOrDefault(i => i.IsValid && IsUnique(i.Definition) && Signature(i.Definition) == KeySignature(constraint));
        return index is null ? null : $"unique index '{index.Name}'";
    }

    /// <summary>A primary key or unique constraint as the signature of the btree index behind it.</summary>
    private static string KeySignature(ConstraintShape constraint)
    {
        var open = constraint.Definition.IndexOf('(', StringComparison.Ordinal);
        return open < 0 ? constraint.Definition : "btree " + constraint.Definition[open..];
    }

    private static string Show(string? expression) => expression ?? "(none)";

    private static string Describe(ColumnShape column)
        => column.Type + (column.NotNull ? " not null" : " null") + (column.Default is null ? "" : " default " + column.Default);
}

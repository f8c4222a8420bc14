using Microsoft.EntityFrameworkCore.Design;

namespace StreamVault.Data.Design;

/// <summary>
/// The messages with which <c>dotnet ef migrations add</c> stops when a model change has no lock-safe form. Each is
/// an <see cref="OperationException"/>, which dotnet-ef prints as one line without a stack trace; each names the object
/// and says what to do instead.
/// </summary>
internal static class Refusals
{
    private const string NewColumnInstead =
        "Add a new column of the new type, backfill it in batches, switch the app to it, and drop the old column in a later contract step (a migration named "
        + ContractStep.Prefix + "…).";

    public static OperationException NonConstantDefault(string migration, string table, string column, string expression)
        => new($"{migration}: cannot add column {table}.{column} with the default {expression}: it is not a constant, so PostgreSQL would "
               + "either rewrite the whole table under an exclusive lock to give every existing row a value of its own, or give every existing "
               + "row the time of the migration. Add the column nullable without the default first (dotnet ef migrations add), then set the "
               + "default (HasDefaultValueSql) in a later migration: setting a default changes only the catalog and existing rows keep NULL, "
               + "as AddColumnsOfNewerReleases does for timestamps.");

    public static OperationException NotNullWithoutDefault(string migration, string table, string column)
        => new($"{migration}: cannot add column {table}.{column} as NOT NULL without a constant default: the rows {table} already holds "
               + "have no value for it. Give it a constant default (HasDefaultValue), or add it nullable, fill it, and then require it with "
               + $"a check constraint (HasCheckConstraint(\"ck_{table}_{column}_not_null\", \"{column} IS NOT NULL\")), which is added NOT VALID "
               + "and validated without blocking writes.");

    public static OperationException Narrowing(string migration, string table, string column, string from, string to)
        => new($"{migration}: cannot change {table}.{column} from {from} to {to}: narrowing makes PostgreSQL check every row under an "
               + "exclusive lock, and it fails on longer values. " + NewColumnInstead);

    public static OperationException Rewrite(string migration, string table, string column, string from, string to)
        => new($"{migration}: cannot change {table}.{column} from {from} to {to}: PostgreSQL rewrites the whole table under an exclusive "
               + "lock. " + NewColumnInstead);

    public static OperationException SetNotNull(string migration, string table, string column)
        => new($"{migration}: cannot make {table}.{column} NOT NULL: SET NOT NULL scans the whole table under an exclusive lock. Keep "
               + $"the property optional and add HasCheckConstraint(\"ck_{table}_{column}_not_null\", \"{column} IS NOT NULL\") instead: it is "
               + "added NOT VALID, then validated without blocking writes.");

    public static OperationException ColumnChange(string migration, string table, string column, string change)
        => new($"{migration}: cannot change {table}.{column}'s {change}: PostgreSQL rewrites or re-indexes the table under an exclusive "
               + "lock. " + NewColumnInstead);

    public static OperationException DropInUp(string migration, string what)
        => new($"{migration}: refusing to {what} in Up: the app still running during a deployment (or an older replica) may read or "
               + "write it. Drops and renames belong to an explicit contract step, released once no running app uses the object: a "
               + $"migration whose name starts with {ContractStep.Prefix} (dotnet ef migrations add {ContractStep.Prefix}<Change>), whose "
               + "drops refuse at run time while a dropped table or column still holds data.");

    public static OperationException NotPlain(string migration, string kind, string name)
        => new($"{migration}: {kind} name \"{name}\" must be a lower-case snake_case word ([a-z_][a-z0-9_]*): the engine and the revert "
               + "check read such names back from the migration's SQL. Name it with HasDatabaseName / HasConstraintName / ToTable.");

    public static OperationException Unsupported(string migration, string what)
        => new($"{migration}: the migration generator has no lock-safe, idempotent form for {what}; leave this change out of the model, "
               + "or write this migration's SQL by hand (README, \"Adding a migration\").");
}

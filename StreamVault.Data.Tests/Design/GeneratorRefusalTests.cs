using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Xunit;

namespace StreamVault.Data.Tests.Design;

/// <summary>
/// A model change with no lock-safe form stops <c>migrations add</c> with one message naming the object and what to do
/// instead (an <see cref="OperationException"/>, which dotnet-ef prints without a stack trace), and writes nothing.
/// </summary>
public sealed class GeneratorRefusalTests
{
    private const string NewColumnInstead =
        "Add a new column of the new type, backfill it in batches, switch the app to it, and drop the old column in a later contract step "
        + "(a migration named Contract…).";

    private const string NonConstant =
        ": it is not a constant, so PostgreSQL would either rewrite the whole table under an exclusive lock to give every existing row a "
        + "value of its own, or give every existing row the time of the migration. Add the column nullable without the default first "
        + "(dotnet ef migrations add), then set the default (HasDefaultValueSql) in a later migration: setting a default changes only the "
        + "catalog and existing rows keep NULL, as AddColumnsOfNewerReleases does for timestamps.";

    public static TheoryData<string, string> Refused => new()
    {
        { "VolatileDefault", "AddStreamSeenAt: cannot add column streams.seen_at with the default clock_timestamp()" + NonConstant },
        { "NowDefault", "AddStreamerSeenAt: cannot add column streamers.seen_at with the default now()" + NonConstant },
        { "SerialColumn", "AddStreamSequenceNumber: cannot add column streams.sequence_number with the default nextval of a new serial sequence" + NonConstant },
        {
            "NotNullWithoutDefault",
            "AddStreamerRank: cannot add column streamers.rank as NOT NULL without a constant default: the rows streamers already holds have "
            + "no value for it. Give it a constant default (HasDefaultValue), or add it nullable, fill it, and then require it with a check "
            + "constraint (HasCheckConstraint(\"ck_streamers_rank_not_null\", \"rank IS NOT NULL\")), which is added NOT VALID and validated "
            + "without blocking writes."
        },
        {
            "Narrowing",
            "ShortenStreamTitle: cannot change streams.title from character varying to character varying(100): narrowing makes PostgreSQL "
            + "check every row under an exclusive lock, and it fails on longer values. " + NewColumnInstead
        },
        {
            "TextToBoundedVarchar",
            "BoundStreamerDescription: cannot change streamers.description from text to character varying(200): narrowing makes PostgreSQL "
            + "check every row under an exclusive lock, and it fails on longer values. " + NewColumnInstead
        },
        {
            "Rewrite",
            "WidenEpisodeNumber: cannot change streams.episode_number from integer to bigint: PostgreSQL rewrites the whole table under an "
            + "exclusive lock. " + NewColumnInstead
        },
        {
            "SetNotNull",
            "RequireStreamTitle: cannot make streams.title NOT NULL: SET NOT NULL scans the whole table under an exclusive lock. Keep the "
            + "property optional and add HasCheckConstraint(\"ck_streams_title_not_null\", \"title IS NOT NULL\") instead: it is added NOT "
            + "VALID, then validated without blocking writes."
        },
        {
            "DropInUp",
            "RemoveEpisodeNumber: refusing to drop column streams.episode_number in Up: the app still running during a deployment (or an "
            + "older replica) may read or write it. Drops and renames belong to an explicit contract step, released once no running app uses "
            + "the object: a migration whose name starts with Contract (dotnet ef migrations add Contract<Change>), whose drops refuse at run "
            + "time while a dropped table or column still holds data."
        },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void A_change_without_a_lock_safe_form_stops_generation_with_its_message(string change, string message)
    {
        var modelChange = (ModelChange)typeof(ModelChanges).GetField(change)!.GetValue(null)!;

        var refusal = Assert.Throws<OperationException>(() => GeneratorHarness.Generate(modelChange.Name, modelChange));

        Assert.Equal(message, refusal.Message);
    }

    [Fact]
    public void The_same_drop_is_generated_in_a_contract_step()
    {
        var generated = GeneratorHarness.Generate("ContractRemoveEpisodeNumber", ModelChanges.DropInUp);

        Assert.Contains("ALTER TABLE streams DROP COLUMN IF EXISTS episode_number;", generated.Code, StringComparison.Ordinal);
        Assert.Contains("refusing to apply ContractRemoveEpisodeNumber: column streams.% holds values", generated.Code, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ContractorRates", false)]
    [InlineData("Contract", false)]
    [InlineData("ContractDropNotes", true)]
    [InlineData("20990101000000_ContractDropNotes", true)]
    [InlineData("AddContractTable", false)]
    public void A_contract_step_is_a_migration_named_contract_and_then_a_word(string name, bool contract)
        => Assert.Equal(contract, StreamVault.Data.Design.ContractStep.IsContract(name));

    public static TheoryData<string, string> RefusedOperations => new()
    {
        { nameof(EnsureSchemaOperation), "Other: the migration generator has no lock-safe, idempotent form for objects in schema audit (EnsureSchemaOperation): the guards and the revert check work in the connection's schema; leave this change out of the model, or write this migration's SQL by hand (README, \"Adding a migration\")." },
        { nameof(InsertDataOperation), "Other: the migration generator has no lock-safe, idempotent form for seed data (HasData), which changes rows; write an explicit, guarded INSERT … ON CONFLICT DO NOTHING instead; leave this change out of the model, or write this migration's SQL by hand (README, \"Adding a migration\")." },
        { nameof(AlterSequenceOperation), "Other: the migration generator has no lock-safe, idempotent form for AlterSequenceOperation (a sequence's settings): change it by hand where it is needed; leave this change out of the model, or write this migration's SQL by hand (README, \"Adding a migration\")." },
        { nameof(SqlOperation), "Other: the migration generator has no lock-safe, idempotent form for SqlOperation; leave this change out of the model, or write this migration's SQL by hand (README, \"Adding a migration\")." },
        { nameof(CreateIndexOperation), "Other: index name \"IX_Streams_Title\" must be a lower-case snake_case word ([a-z_][a-z0-9_]*): the engine and the revert check read such names back from the migration's SQL. Name it with HasDatabaseName / HasConstraintName / ToTable." },
    };

    [Theory]
    [MemberData(nameof(RefusedOperations))]
    public void An_operation_without_a_guarded_form_is_refused_rather_than_passed_through(string operation, string message)
    {
        MigrationOperation refused = operation switch
        {
            nameof(EnsureSchemaOperation) => new EnsureSchemaOperation { Name = "audit" },
            nameof(InsertDataOperation) => new InsertDataOperation { Table = "global_settings", Columns = ["id"], Values = new object[,] { { 1 } } },
            nameof(AlterSequenceOperation) => new AlterSequenceOperation { Name = "streams_id_seq", IncrementBy = 2 },
            nameof(CreateIndexOperation) => new CreateIndexOperation { Name = "IX_Streams_Title", Table = "streams", Columns = ["title"] },
            _ => new SqlOperation { Sql = "SELECT 1" },
        };

        var refusal = Assert.Throws<OperationException>(() => GeneratorHarness.Generate("Other", [refused], []));

        Assert.Equal(message, refusal.Message);
    }
}

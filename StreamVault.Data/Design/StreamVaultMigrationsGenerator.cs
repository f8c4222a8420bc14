// IOperationReporter is how design-time code reaches dotnet-ef's output (its warnings are printed in yellow); EF keeps it in
// Design.Internal, and this is the one place it is used.
#pragma warning disable EF1001

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Design.Internal;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Design;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Microsoft.EntityFrameworkCore.Storage;

namespace StreamVault.Data.Design;

/// <summary>
/// The C# migration generator <c>dotnet ef migrations add</c> uses for this project (registered by
/// <see cref="DesignTimeServices"/>). It writes every operation EF's differ emits as frozen, reviewable, guarded
/// PostgreSQL in <c>migrationBuilder.Sql("""…""")</c> calls, each with a comment saying why, so the SQL is what the
/// ledger checksums and a released migration never changes. The <c>.Designer.cs</c> metadata and the model snapshot
/// stay EF's own.
/// <list type="bullet">
/// <item><b>AddColumn</b>: <c>ADD COLUMN IF NOT EXISTS</c> in a DO block that checks pg_attribute first (a present
/// column takes no lock). A default that is not a constant (now(), CURRENT_TIMESTAMP, clock_timestamp(), random(),
/// gen_random_uuid(), nextval, serial, identity, a computed column) and NOT NULL without a constant default are refused.</item>
/// <item><b>CreateTable</b>: <c>CREATE TABLE IF NOT EXISTS</c> where the table is missing; where it exists, its missing
/// columns and constraints are added by name, each checked in the catalog. Its foreign keys are added as below.</item>
/// <item><b>CreateIndex</b> on an existing table: <see cref="Migrations.ConcurrentIndexGuard"/>'s preparation (an INVALID
/// leftover is dropped, another definition under the name stops the run), then
/// <c>CREATE [UNIQUE] INDEX CONCURRENTLY IF NOT EXISTS name ON table (…)</c> outside the transaction; a plain guarded
/// build on a table the migration creates. Another index on the same columns is reported (warning now, NOTICE at run time).</item>
/// <item><b>AddForeignKey, AddCheckConstraint</b>: added <c>NOT VALID</c> in a guarded step, then validated by a separate
/// transaction-suppressed command, skipped when already valid.</item>
/// <item><b>Drops and renames in Up</b> are refused unless the migration is an explicit <b>contract step</b>: its name starts
/// with <c>Contract</c> followed by an upper-case letter (<see cref="ContractStep"/>). There, tables and columns are dropped
/// only after a check that refuses while they hold data.</item>
/// <item><b>Down</b>: EF's inverse operations, each guarded; a table or column dropped there is first checked by
/// <see cref="Migrations.RevertGuard"/>'s own text (the revert check reads it).</item>
/// <item><b>AlterColumn</b>: widening a varchar/text type, dropping NOT NULL, a default or comment are generated; narrowing,
/// a rewriting type change and SET NOT NULL are refused with what to do instead.</item>
/// <item>Anything else either has a guarded form (sequences, extensions, table comments) or is refused with a message.</item>
/// </list>
/// A refusal is an <see cref="OperationException"/>: <c>migrations add</c> stops with its one-line message and writes nothing.
/// </summary>
internal sealed class StreamVaultMigrationsGenerator(
    MigrationsCodeGeneratorDependencies dependencies,
    CSharpMigrationsGeneratorDependencies csharpDependencies,
    IMigrationsSqlGenerator sqlGenerator,
    ISqlGenerationHelper sqlGenerationHelper,
    IOperationReporter reporter,
    IModel model)
    : CSharpMigrationsGenerator(dependencies, csharpDependencies)
{
    /// <inheritdoc />
    public override string GenerateMigration(
        string? migrationNamespace,
        string migrationName,
        IReadOnlyList<MigrationOperation> upOperations,
        IReadOnlyList<MigrationOperation> downOperations)
    {
        ArgumentNullException.ThrowIfNull(migrationName);
        ArgumentNullException.ThrowIfNull(upOperations);
        ArgumentNullException.ThrowIfNull(downOperations);
        var names = new SqlNames(sqlGenerationHelper);
        var planner = new MigrationPlanner(new ProviderSql(sqlGenerator, names), names, reporter.WriteWarning);
        var up = planner.Plan(migrationName, up: true, upOperations, model.GetRelationalModel());
        var down = planner.Plan(migrationName, up: false, downOperations, targetModel: null);
        return MigrationFileWriter.Write(migrationNamespace, migrationName, [.. upOperations.Select(Describe)], up, down);
    }

    /// <summary>One model change, as the migration's summary lists it.</summary>
    private static string Describe(MigrationOperation operation)
        => operation switch
        {
            AddColumnOperation c => $"add column {c.Table}.{c.Name}",
            AlterColumnOperation c => $"alter column {c.Table}.{c.Name}",
            DropColumnOperation c => $"drop column {c.Table}.{c.Name}",
            RenameColumnOperation c => $"rename column {c.Table}.{c.Name} to {c.NewName}",
            CreateTableOperation t => $"create table {t.Name}",
            DropTableOperation t => $"drop table {t.Name}",
            RenameTableOperation t => $"rename table {t.Name} to {t.NewName}",
            AlterTableOperation t => $"alter table {t.Name}",
            CreateIndexOperation i => $"create {(i.IsUnique ? "unique " : "")}index {i.Name} on {i.Table}",
            DropIndexOperation i => $"drop index {i.Name}",
            RenameIndexOperation i => $"rename index {i.Name} to {i.NewName}",
            AddForeignKeyOperation f => $"add foreign key {f.Name} on {f.Table}",
            AddCheckConstraintOperation c => $"add check constraint {c.Name} on {c.Table}",
            AddPrimaryKeyOperation k => $"add primary key {k.Name} on {k.Table}",
            AddUniqueConstraintOperation k => $"add unique constraint {k.Name} on {k.Table}",
            DropForeignKeyOperation f => $"drop foreign key {f.Name} of {f.Table}",
            DropCheckConstraintOperation c => $"drop check constraint {c.Name} of {c.Table}",
            DropPrimaryKeyOperation k => $"drop primary key {k.Name} of {k.Table}",
            DropUniqueConstraintOperation k => $"drop unique constraint {k.Name} of {k.Table}",
            CreateSequenceOperation s => $"create sequence {s.Name}",
            DropSequenceOperation s => $"drop sequence {s.Name}",
            _ => operation.GetType().Name,
        };
}

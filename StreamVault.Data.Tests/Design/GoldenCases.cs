using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace StreamVault.Data.Tests.Design;

/// <summary>
/// One generated migration per kind of operation EF's differ emits (from model changes where the model reaches it, else from
/// operations given directly), each with a golden file: its name is the migration's.
/// </summary>
public static class GoldenCases
{
    public const string IdPrefix = "20990101000000_";

    private static readonly ModelChange[] FromModel =
    [
        ModelChanges.NullableColumn, ModelChanges.ConstantDefaultColumn, ModelChanges.NewTable, ModelChanges.IndexOnExistingTable,
        ModelChanges.UniqueIndexOnExistingTable, ModelChanges.ForeignKeyOnExistingTable, ModelChanges.CheckOnExistingTable,
        ModelChanges.SafeColumnChanges, ModelChanges.ContractDrops, ModelChanges.Issue19,
    ];

    public static IEnumerable<string> Names => FromModel.Select(c => c.Name).Concat([ContractRenames, OtherOperations]);

    public const string ContractRenames = "ContractRenamesAndConstraintDrops";
    public const string OtherOperations = "AddSequenceCommentAndExtension";

    public static GeneratedCode Generate(string name)
        => name switch
        {
            ContractRenames => GeneratorHarness.Generate(name,
            [
                new RenameColumnOperation { Table = "streams", Name = "recording_path", NewName = "file_path" },
                new RenameTableOperation { Name = "push_subscriptions", NewName = "web_push_subscriptions" },
                new RenameIndexOperation { Table = "streams", Name = "idx_streams_ended_at", NewName = "idx_streams_end" },
                new DropCheckConstraintOperation { Table = "streams", Name = "ck_streams_episode_number_positive" },
                new DropUniqueConstraintOperation { Table = "stream_chapters", Name = "stream_chapters_stream_id_title_key" },
                new DropPrimaryKeyOperation { Table = "stream_chapters", Name = "stream_chapters_pkey" },
            ],
            [
                new AddPrimaryKeyOperation { Table = "stream_chapters", Name = "stream_chapters_pkey", Columns = ["id"] },
                new AddUniqueConstraintOperation { Table = "stream_chapters", Name = "stream_chapters_stream_id_title_key", Columns = ["stream_id", "title"] },
                new AddCheckConstraintOperation { Table = "streams", Name = "ck_streams_episode_number_positive", Sql = "episode_number > 0" },
                new RenameIndexOperation { Table = "streams", Name = "idx_streams_end", NewName = "idx_streams_ended_at" },
                new RenameTableOperation { Name = "web_push_subscriptions", NewName = "push_subscriptions" },
                new RenameColumnOperation { Table = "streams", Name = "file_path", NewName = "recording_path" },
            ]),
            OtherOperations => GeneratorHarness.Generate(name,
            [
                new CreateSequenceOperation { Name = "recording_numbers", ClrType = typeof(long) },
                new AlterTableOperation { Name = "streams", Comment = "One row per recorded broadcast." },
                WithExtension(new AlterDatabaseOperation(), "pg_trgm"),
            ],
            [
                new DropSequenceOperation { Name = "recording_numbers" },
                new AlterTableOperation { Name = "streams", OldTable = { Comment = "One row per recorded broadcast." } },
            ]),
            _ => GeneratorHarness.Generate(name, FromModel.Single(c => c.Name == name)),
        };

    private static AlterDatabaseOperation WithExtension(AlterDatabaseOperation database, string extension)
    {
        database.AddAnnotation("Npgsql:PostgresExtension:" + extension, $",{extension},");
        return database;
    }
}

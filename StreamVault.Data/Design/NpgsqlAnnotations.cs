namespace StreamVault.Data.Design;

/// <summary>
/// The Npgsql annotation names the generator reads off operations. Npgsql keeps its constants in Metadata.Internal (EF1001);
/// the names themselves are written into every Designer and snapshot file, so they are as stable as those files.
/// </summary>
internal static class NpgsqlAnnotations
{
    public const string ValueGenerationStrategy = "Npgsql:ValueGenerationStrategy";
    public const string IdentityOptions = "Npgsql:IdentitySequenceOptions";
    public const string CreatedConcurrently = "Npgsql:CreatedConcurrently";
    public const string IndexMethod = "Npgsql:IndexMethod";
    public const string IndexOperators = "Npgsql:IndexOperators";
    public const string IndexCollation = "Npgsql:IndexCollation";
    public const string IndexNullSortOrder = "Npgsql:IndexNullSortOrder";
    public const string IndexInclude = "Npgsql:IndexInclude";
    public const string NullsDistinct = "Npgsql:NullsDistinct";
    public const string TsVectorConfig = "Npgsql:TsVectorConfig";
    public const string StorageParameterPrefix = "Npgsql:StorageParameter:";
    public const string PostgresExtensionPrefix = "Npgsql:PostgresExtension:";
}

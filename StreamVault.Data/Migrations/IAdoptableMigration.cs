namespace StreamVault.Data.Migrations;

/// <summary>
/// A migration of the first release that the engine records without running where an app release already created its
/// objects (see <see cref="ReleasedMigrationAdoption"/>): the migration itself says what "already created" means.
/// </summary>
internal interface IAdoptableMigration
{
    /// <summary>A boolean SQL expression, true when all of the migration's objects are present in the current schema.</summary>
    string PresenceCheck { get; }
}

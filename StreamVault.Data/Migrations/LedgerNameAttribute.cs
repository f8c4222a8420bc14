namespace StreamVault.Data.Migrations;

/// <summary>
/// The name a migration is recorded under in <c>applied_migrations</c> when it replaces one of the Python app's "safe"
/// migrations: a still-running Python app checks those names. Every other migration is recorded under its EF id. Read
/// at build time into <see cref="KnownMigrations"/>, and by <see cref="MigrationCatalog"/> for another migrations assembly.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
internal sealed class LedgerNameAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

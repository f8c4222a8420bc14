namespace StreamVault.Data.Hosting;

/// <summary>
/// Registered by <c>AddStreamVaultMigrations</c>: tells <see cref="StreamVaultMigrationWait"/> that this app migrates
/// at startup itself, so there is nothing to wait for.
/// </summary>
internal sealed class StartupMigrationsRegistered;

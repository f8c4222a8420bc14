namespace StreamVault.Data.Hosting;

/// <summary>
/// The connection string <c>AddStreamVaultData</c> was given, for the migration runner and the health check. The
/// options are <c>IOptions&lt;StreamVaultDataOptions&gt;</c>, registered beside it.
/// </summary>
internal sealed record StreamVaultDataRegistration(string ConnectionString);

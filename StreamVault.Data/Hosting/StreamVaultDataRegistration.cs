namespace StreamVault.Data.Hosting;

/// <summary>The connection and options <c>AddStreamVaultData</c> was given, for the migration runner and health check.</summary>
public sealed record StreamVaultDataRegistration(string ConnectionString, StreamVaultDataOptions Options);

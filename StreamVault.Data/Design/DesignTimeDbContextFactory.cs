using Microsoft.EntityFrameworkCore.Design;

namespace StreamVault.Data.Design;

/// <summary>
/// Lets <c>dotnet ef</c> and the efbundle build the context from this class library. The connection comes
/// from <c>--connection</c> (EF sets it after creation), else STREAMVAULT_CONNECTION, else a local default
/// that only matters for commands that never connect (migrations add, has-pending-model-changes).
/// </summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<StreamVaultDbContext>
{
    internal const string LocalDefault = "Host=localhost;Port=5432;Database=streamvault;Username=postgres";

    /// <summary>A context on STREAMVAULT_CONNECTION (or the local default), built by <see cref="StreamVaultDatabase.CreateContext"/>.</summary>
    /// <param name="args">dotnet-ef's application arguments (unused).</param>
    /// <returns>A context dotnet-ef disposes.</returns>
    public StreamVaultDbContext CreateDbContext(string[] args)
    {
        var connection = Environment.GetEnvironmentVariable(StreamVaultDatabase.ConnectionEnvironmentVariable);
        return StreamVaultDatabase.CreateContext(string.IsNullOrWhiteSpace(connection) ? LocalDefault : connection);
    }
}

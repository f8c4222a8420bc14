using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace StreamVault.Data.Engine;

/// <summary>Carries <see cref="StreamVaultDataOptions"/> into EF's internal services (lock, retries, timeouts).</summary>
internal sealed class StreamVaultOptionsExtension(StreamVaultDataOptions options) : IDbContextOptionsExtension
{
    private ExtensionInfo? _info;

    public StreamVaultDataOptions Options { get; } = options;

    public DbContextOptionsExtensionInfo Info => _info ??= new ExtensionInfo(this);

    /// <summary>
    /// The engine's own scoped services: the run's state and the ledger catalog, which the migrator, the history
    /// repository and the command executor receive; and the history repository, registered as itself so that the
    /// migrator gets it by type (EF resolves <see cref="IHistoryRepository"/> to the same instance).
    /// </summary>
    public void ApplyServices(IServiceCollection services)
    {
        services.AddScoped<MigrationRun>();
        services.AddScoped<LedgerCatalog>();
        services.AddScoped<LedgerHistoryRepository>();
        services.Replace(ServiceDescriptor.Scoped<IHistoryRepository>(provider => provider.GetRequiredService<LedgerHistoryRepository>()));
    }

    public void Validate(IDbContextOptions options)
    {
    }

    public static StreamVaultDataOptions From(IDbContextOptions options)
        => options.FindExtension<StreamVaultOptionsExtension>()?.Options ?? new StreamVaultDataOptions();

    private sealed class ExtensionInfo(IDbContextOptionsExtension extension) : DbContextOptionsExtensionInfo(extension)
    {
        public override bool IsDatabaseProvider => false;

        public override string LogFragment => "using StreamVault migration engine ";

        // The values are read at run time, so every set of options can share one internal service provider.
        public override int GetServiceProviderHashCode() => 0;

        public override bool ShouldUseSameServiceProvider(DbContextOptionsExtensionInfo other) => other is ExtensionInfo;

        public override void PopulateDebugInfo(IDictionary<string, string> debugInfo)
            => debugInfo["StreamVault:Engine"] = "1";
    }
}

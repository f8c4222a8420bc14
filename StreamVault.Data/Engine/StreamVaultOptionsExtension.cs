using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace StreamVault.Data.Engine;

/// <summary>Carries <see cref="StreamVaultDataOptions"/> into EF's internal services (lock, retries, timeouts).</summary>
internal sealed class StreamVaultOptionsExtension(StreamVaultDataOptions options) : IDbContextOptionsExtension
{
    private ExtensionInfo? _info;

    public StreamVaultDataOptions Options { get; } = options;

    public DbContextOptionsExtensionInfo Info => _info ??= new ExtensionInfo(this);

    public void ApplyServices(IServiceCollection services)
    {
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

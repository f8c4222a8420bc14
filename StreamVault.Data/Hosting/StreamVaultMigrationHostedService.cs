using Microsoft.Extensions.Hosting;

namespace StreamVault.Data.Hosting;

/// <summary>
/// Migrates in <see cref="StartAsync"/>: the host starts hosted services in registration order and waits for
/// each, so everything registered after this one (including the web server) starts on a migrated schema.
/// </summary>
internal sealed class StreamVaultMigrationHostedService(StreamVaultMigrationRunner runner) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => runner.RunAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

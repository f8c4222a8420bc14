using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using StreamVault.Data.Hosting;
using StreamVault.Data.Engine;

namespace StreamVault.Data;

/// <summary>Registration of StreamVault's data layer, startup migrations and migration health check in a .NET host.</summary>
public static class StreamVaultHostingExtensions
{
    /// <summary>Name of the connection string <see cref="AddStreamVaultData(IServiceCollection, IConfiguration, StreamVaultDataOptions?)"/> reads.</summary>
    public const string ConnectionStringName = "StreamVault";

    /// <summary>Configuration section <see cref="StreamVaultDataOptions"/> is bound from (<c>StreamVault:LockTimeout</c>, …).</summary>
    public const string OptionsSectionName = "StreamVault";

    /// <summary>
    /// Registers <see cref="StreamVaultDbContext"/> built by <see cref="ContextOptions.Configure"/>, and
    /// <c>IOptions&lt;StreamVaultDataOptions&gt;</c>: <paramref name="options"/>, or the defaults. The context, the
    /// migration runner and the health check all read that one options object. With
    /// <see cref="StreamVaultDataOptions.WaitForMigrationsTimeout"/> set, host start waits until the database is migrated.
    /// </summary>
    public static IServiceCollection AddStreamVaultData(
        this IServiceCollection services, string connectionString, StreamVaultDataOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (options is not null)
        {
            services.Replace(ServiceDescriptor.Singleton<IOptions<StreamVaultDataOptions>>(Options.Create(options)));
        }

        return Register(services, connectionString);
    }

    /// <summary>
    /// As <see cref="AddStreamVaultData(IServiceCollection, string, StreamVaultDataOptions?)"/>, with
    /// <c>ConnectionStrings:StreamVault</c>, and <c>IOptions&lt;StreamVaultDataOptions&gt;</c> bound from the
    /// <c>StreamVault</c> section (e.g. <c>"StreamVault": {"LockTimeout": "00:00:05", "RunLockDeadline": "00:15:00"}</c>)
    /// unless <paramref name="options"/> is given.
    /// </summary>
    public static IServiceCollection AddStreamVaultData(
        this IServiceCollection services, IConfiguration configuration, StreamVaultDataOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"No connection string 'ConnectionStrings:{ConnectionStringName}' is configured (appsettings.json or ConnectionStrings__{ConnectionStringName}).");
        }

        if (options is not null)
        {
            return services.AddStreamVaultData(connectionString, options);
        }

        services.AddOptions<StreamVaultDataOptions>().Bind(configuration.GetSection(OptionsSectionName));
        return Register(services, connectionString);
    }

    private static IServiceCollection Register(IServiceCollection services, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);

        // Fail at registration, not at the first query, and without echoing the string (it may hold a password).
        _ = StreamVaultConnections.Parse(connectionString);

        services.TryAddSingleton(new StreamVaultDataRegistration(connectionString));
        services.AddOptions<StreamVaultDataOptions>();
        services.TryAddSingleton<StreamVaultMigrationState>();
        services.TryAddSingleton<StreamVaultMigrationRunner>();
        services.AddOptions<StreamVaultMigrationOptions>();
        services.AddDbContext<StreamVaultDbContext>((provider, builder) => ContextOptions.Configure(
            builder, connectionString, provider.GetRequiredService<IOptions<StreamVaultDataOptions>>().Value));
        // Always registered, idle unless StreamVaultDataOptions.WaitForMigrationsTimeout is set (it may come from
        // configuration, read only when the host starts).
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, StreamVaultMigrationWait>());
        return services;
    }

    /// <summary>
    /// Migrates the database when the host starts, before any hosted service registered after this call.
    /// Needs <c>AddStreamVaultData</c>.
    /// </summary>
    public static IServiceCollection AddStreamVaultMigrations(
        this IServiceCollection services, Action<StreamVaultMigrationOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddOptions<StreamVaultMigrationOptions>();
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        services.TryAddSingleton<StreamVaultMigrationState>();
        services.TryAddSingleton<StreamVaultMigrationRunner>();
        services.TryAddSingleton<StartupMigrationsRegistered>();
        services.AddHostedService<StreamVaultMigrationHostedService>();
        return services;
    }

    /// <summary>Migrates now (e.g. before <c>host.RunAsync()</c>), under the configured <see cref="StreamVaultMigrationOptions"/>.</summary>
    public static Task<StreamVaultMigrationResult> MigrateStreamVaultDatabaseAsync(this IHost host, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        return host.Services.GetRequiredService<StreamVaultMigrationRunner>().RunAsync(cancellationToken);
    }

    /// <summary>Adds the migration health check (Healthy / Degraded while pending / Unhealthy after a failure).</summary>
    /// <remarks>Named apart from <see cref="AddStreamVaultMigrations"/>, which runs migrations: this one only reads.</remarks>
    public static IHealthChecksBuilder AddStreamVaultMigrationsHealthCheck(
        this IHealthChecksBuilder builder,
        string name = "streamvault-migrations",
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<StreamVaultMigrationState>();
        return builder.Add(new HealthCheckRegistration(
            name,
            services => ActivatorUtilities.CreateInstance<StreamVaultMigrationsHealthCheck>(services),
            failureStatus,
            tags));
    }
}

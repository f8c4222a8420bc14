using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace StreamVault.Data.Hosting;

/// <summary>Registration of StreamVault's data layer, startup migrations and migration health check in a .NET host.</summary>
public static class StreamVaultHostingExtensions
{
    /// <summary>Name of the connection string <see cref="AddStreamVaultData(IServiceCollection, IConfiguration, StreamVaultDataOptions?)"/> reads.</summary>
    public const string ConnectionStringName = "StreamVault";

    /// <summary>Registers <see cref="StreamVaultDbContext"/> built by <see cref="StreamVaultDatabase.Configure"/>.</summary>
    public static IServiceCollection AddStreamVaultData(
        this IServiceCollection services, string connectionString, StreamVaultDataOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);

        // Fail at registration, not at the first query, and without echoing the string (it may hold a password).
        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException malformed)
        {
            throw new ArgumentException($"The StreamVault connection string is malformed: {malformed.ParamName ?? "unknown key"}", nameof(connectionString));
        }

        var registration = new StreamVaultDataRegistration(connectionString, options ?? new StreamVaultDataOptions());
        services.TryAddSingleton(registration);
        services.TryAddSingleton<StreamVaultMigrationState>();
        services.TryAddSingleton<StreamVaultMigrationRunner>();
        services.AddOptions<StreamVaultMigrationOptions>();
        services.AddDbContext<StreamVaultDbContext>(builder => StreamVaultDatabase.Configure(builder, connectionString, registration.Options));
        return services;
    }

    /// <summary>As <see cref="AddStreamVaultData(IServiceCollection, string, StreamVaultDataOptions?)"/>, with <c>ConnectionStrings:StreamVault</c>.</summary>
    public static IServiceCollection AddStreamVaultData(
        this IServiceCollection services, IConfiguration configuration, StreamVaultDataOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"No connection string 'ConnectionStrings:{ConnectionStringName}' is configured (appsettings.json or ConnectionStrings__{ConnectionStringName}).");
        }

        return services.AddStreamVaultData(connectionString, options);
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
    public static IHealthChecksBuilder AddStreamVaultMigrations(
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

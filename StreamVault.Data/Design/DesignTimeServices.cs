using System.Globalization;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Design;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace StreamVault.Data.Design;

/// <summary>
/// Design-time hook found by dotnet-ef. Migration ids must carry the dates the Python migrations had
/// (20250522000000_AddStreamIndices, …), so <c>migrations add</c> takes the timestamp from
/// STREAMVAULT_MIGRATION_TIMESTAMP (yyyyMMddHHmmss) when it is set, else the current UTC time. Migrations are written by
/// <see cref="StreamVaultMigrationsGenerator"/>: guarded, idempotent, lock-safe SQL instead of EF's operation calls.
/// </summary>
internal sealed class DesignTimeServices : IDesignTimeServices
{
    /// <summary>
    /// Registers the migration id generator that honours STREAMVAULT_MIGRATION_TIMESTAMP and replaces EF's C# migration
    /// generator with <see cref="StreamVaultMigrationsGenerator"/> (the Designer and snapshot code stay EF's).
    /// </summary>
    /// <param name="serviceCollection">dotnet-ef's design-time services.</param>
    public void ConfigureDesignTimeServices(IServiceCollection serviceCollection)
        => serviceCollection
            .AddSingleton<IMigrationsIdGenerator, TimestampedMigrationsIdGenerator>()
            .Replace(ServiceDescriptor.Singleton<IMigrationsCodeGenerator, StreamVaultMigrationsGenerator>());
}

internal sealed class TimestampedMigrationsIdGenerator : IMigrationsIdGenerator
{
    private const string Format = "yyyyMMddHHmmss";

    public string GenerateId(string name)
    {
        var fixedStamp = Environment.GetEnvironmentVariable("STREAMVAULT_MIGRATION_TIMESTAMP");
        var stamp = string.IsNullOrEmpty(fixedStamp)
            ? DateTime.UtcNow.ToString(Format, CultureInfo.InvariantCulture)
            : DateTime.ParseExact(fixedStamp, Format, CultureInfo.InvariantCulture).ToString(Format, CultureInfo.InvariantCulture);
        return $"{stamp}_{name}";
    }

    public string GetName(string id) => id[(Format.Length + 1)..];

    public bool IsValidId(string value)
        => value.Length > Format.Length + 1
           && value[Format.Length] == '_'
           && value.AsSpan(0, Format.Length).ContainsAnyExceptInRange('0', '9') is false;
}

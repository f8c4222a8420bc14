// The harness builds dotnet-ef's design-time service provider in-process, as DesignTimeServicesBuilder does: Npgsql's
// design-time services, the snapshot processor and the operation reporter are EF/Npgsql internals (EF1001) with no public
// equivalent, and using them is the point: the generator is driven exactly as `migrations add` drives it.
#pragma warning disable EF1001

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Design.Internal;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Design;
using Microsoft.EntityFrameworkCore.Migrations.Internal;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Microsoft.Extensions.DependencyInjection;
using Npgsql.EntityFrameworkCore.PostgreSQL.Design.Internal;
using StreamVault.Data.Design;

namespace StreamVault.Data.Tests.Design;

/// <summary>What the generator wrote for one migration, and the warnings dotnet ef would have printed.</summary>
public sealed record GeneratedCode(string Name, string Code, IReadOnlyList<string> Warnings);

/// <summary>
/// Drives the migration generator through EF's design-time service provider (the context's services, Npgsql's design-time
/// services, EF's, then the project's <see cref="DesignTimeServices"/>), as <c>dotnet ef migrations add</c> does, without
/// spawning a process.
/// </summary>
public static class GeneratorHarness
{
    public const string Namespace = "StreamVault.Data.Migrations";

    /// <summary>
    /// The migration <c>migrations add <paramref name="name"/></c> writes after <paramref name="change"/>: operations from EF's
    /// differ between the project's model snapshot and the changed model, both ways.
    /// </summary>
    public static GeneratedCode Generate(string name, ModelChange change)
    {
        using var changed = ChangedContext.Create(change);
        return WithServices(changed, (services, warnings) =>
        {
            using var project = StreamVaultDatabase.CreateContext("Host=unused");
            var snapshot = project.GetService<IMigrationsAssembly>().ModelSnapshot
                           ?? throw new InvalidOperationException("the project has no model snapshot");
            var last = services.GetRequiredService<ISnapshotModelProcessor>().Process(snapshot.Model)!.GetRelationalModel();
            var target = changed.GetService<IDesignTimeModel>().Model.GetRelationalModel();
            var differ = services.GetRequiredService<IMigrationsModelDiffer>();
            var code = Generator(services).GenerateMigration(Namespace, name, differ.GetDifferences(last, target), differ.GetDifferences(target, last));
            return new GeneratedCode(name, code, warnings);
        });
    }

    /// <summary>The migration the generator writes for operations given directly (kinds the model changes above do not reach).</summary>
    public static GeneratedCode Generate(string name, IReadOnlyList<MigrationOperation> up, IReadOnlyList<MigrationOperation> down)
    {
        using var project = StreamVaultDatabase.CreateContext("Host=unused");
        return WithServices(project, (services, warnings) => new GeneratedCode(name, Generator(services).GenerateMigration(Namespace, name, up, down), warnings));
    }

    /// <summary>The C# generator dotnet ef would select.</summary>
    private static IMigrationsCodeGenerator Generator(IServiceProvider services)
        => services.GetRequiredService<IMigrationsCodeGeneratorSelector>().Select("C#");

    private static GeneratedCode WithServices(DbContext context, Func<IServiceProvider, List<string>, GeneratedCode> generate)
    {
        var warnings = new List<string>();
        var reporter = new OperationReporter(new OperationReportHandler(warningHandler: warnings.Add));
        var services = new ServiceCollection().AddDbContextDesignTimeServices(context);
        new NpgsqlDesignTimeServices().ConfigureDesignTimeServices(services);
        services.AddEntityFrameworkDesignTimeServices(reporter);
        new DesignTimeServices().ConfigureDesignTimeServices(services);
        using var provider = services.BuildServiceProvider();
        return generate(provider, warnings);
    }
}

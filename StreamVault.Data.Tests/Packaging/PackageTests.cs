using System.IO.Compression;
using System.Xml.Linq;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Packaging;

/// <summary>
/// The packages as .NET users take them: `dotnet pack` output, the tool installed from a local folder and run
/// against real PostgreSQL, and a new console app that references the library package and migrates through the
/// hosting API. One pack per run (<see cref="RepositoryTools.EnsurePackagesAsync"/>) serves all three.
/// </summary>
public sealed class PackageTests
{
    [Fact]
    public async Task Pack_produces_the_library_with_docs_readme_license_repository_and_symbols_and_the_tool()
    {
        var packed = await RepositoryTools.EnsurePackagesAsync();

        var library = Path.Combine(packed.Folder, $"StreamVault.Data.{packed.Version}.nupkg");
        var tool = Path.Combine(packed.Folder, $"StreamVault.Cli.{packed.Version}.nupkg");
        Assert.True(File.Exists(Path.Combine(packed.Folder, $"StreamVault.Data.{packed.Version}.snupkg")), "library symbols package");
        Assert.True(File.Exists(Path.Combine(packed.Folder, $"StreamVault.Cli.{packed.Version}.snupkg")), "tool symbols package");

        using (var zip = ZipFile.OpenRead(library))
        {
            var entries = zip.Entries.Select(e => e.FullName).ToHashSet();
            Assert.Contains("lib/net10.0/StreamVault.Data.dll", entries);
            Assert.Contains("lib/net10.0/StreamVault.Data.xml", entries);
            Assert.Contains("README.md", entries);
            var nuspec = Nuspec(zip, "StreamVault.Data.nuspec");
            Assert.Equal(packed.Version, Metadata(nuspec, "version").Value);
            Assert.Equal("MIT", Metadata(nuspec, "license").Value);
            Assert.Equal("expression", Metadata(nuspec, "license").Attribute("type")?.Value);
            Assert.Equal("README.md", Metadata(nuspec, "readme").Value);
            var repository = Metadata(nuspec, "repository");
            Assert.Equal("git", repository.Attribute("type")?.Value);
            Assert.StartsWith("https://github.com/", repository.Attribute("url")?.Value, StringComparison.Ordinal);
            // EF's design-time package stays private: consumers do not get it.
            Assert.DoesNotContain(nuspec.Descendants().Where(e => e.Name.LocalName == "dependency"),
                d => d.Attribute("id")?.Value == "Microsoft.EntityFrameworkCore.Design");
        }

        using (var zip = ZipFile.OpenRead(tool))
        {
            var settings = XDocument.Load(zip.GetEntry("tools/net10.0/any/DotnetToolSettings.xml")!.Open());
            var command = settings.Descendants("Command").Single();
            Assert.Equal("streamvault-db", command.Attribute("Name")?.Value);
            Assert.Equal("streamvault-db.dll", command.Attribute("EntryPoint")?.Value);
            Assert.Equal("DotnetTool", Nuspec(zip, "StreamVault.Cli.nuspec").Descendants().Single(e => e.Name.LocalName == "packageType").Attribute("name")?.Value);
        }
    }

    [Fact]
    public async Task Tool_installed_from_the_package_folder_migrates_a_database()
    {
        var packed = await RepositoryTools.EnsurePackagesAsync();
        var toolPath = Directory.CreateTempSubdirectory("streamvault-tool-").FullName;
        await using var database = await TestDatabase.CreateAsync();
        try
        {
            var install = await ProcessRunner.RunAsync(
                "dotnet",
                ["tool", "install", "--tool-path", toolPath, "--add-source", packed.Folder, "--version", packed.Version, "StreamVault.Cli"],
                timeout: TimeSpan.FromMinutes(3));
            Assert.True(install.ExitCode == 0, install.Output);

            var migrate = await ProcessRunner.RunAsync(
                Path.Combine(toolPath, "streamvault-db"), ["migrate"],
                new Dictionary<string, string?> { [StreamVaultDatabase.ConnectionEnvironmentVariable] = database.ConnectionString });

            Assert.True(migrate.ExitCode == 0, migrate.Output);
            Assert.Contains($"Migration summary: {Infrastructure.Migrations.All().Count} successful, 0 failed", migrate.StandardOutput, StringComparison.Ordinal);
            Assert.Equal(Infrastructure.Migrations.All(), await LedgerReader.HistoryAsync(database.ConnectionString));
            var ledger = await LedgerReader.RowsAsync(database.ConnectionString);
            Assert.Equal(Infrastructure.Migrations.All().Count, ledger.Count(r => r.Success == true));
            Assert.All(ledger, r => Assert.StartsWith($"StreamVault.Data {packed.Version} @ ", r.AppliedBy, StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(toolPath, recursive: true);
        }
    }

    [Fact]
    public async Task Console_app_referencing_the_library_package_migrates_through_the_hosting_api()
    {
        var packed = await RepositoryTools.EnsurePackagesAsync();
        var app = Directory.CreateTempSubdirectory("streamvault-consumer-").FullName;
        await using var database = await TestDatabase.CreateAsync();
        try
        {
            await File.WriteAllTextAsync(Path.Combine(app, "Consumer.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="StreamVault.Data" Version="{packed.Version}" />
                    <PackageReference Include="Microsoft.Extensions.Hosting" Version="10.0.15" />
                  </ItemGroup>
                </Project>
                """, TestContext.Current.CancellationToken);
            await File.WriteAllTextAsync(Path.Combine(app, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <add key="local" value="{packed.Folder}" />
                  </packageSources>
                </configuration>
                """, TestContext.Current.CancellationToken);
            await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), """
                using Microsoft.Extensions.Hosting;
                using StreamVault.Data;

                var builder = Host.CreateApplicationBuilder(args);
                builder.Services.AddStreamVaultData(builder.Configuration);   // ConnectionStrings:StreamVault
                using var host = builder.Build();
                var result = await host.MigrateStreamVaultDatabaseAsync();
                Console.WriteLine($"consumer: {result.Applied.Count} applied, succeeded={result.Succeeded}");
                return result.Succeeded ? 0 : 1;
                """, TestContext.Current.CancellationToken);

            var run = await ProcessRunner.RunAsync(
                "dotnet", ["run", "--project", app],
                new Dictionary<string, string?> { ["ConnectionStrings__StreamVault"] = database.ConnectionString },
                TimeSpan.FromMinutes(5));

            Assert.True(run.ExitCode == 0, run.Output);
            Assert.Contains($"consumer: {Infrastructure.Migrations.All().Count} applied, succeeded=True", run.StandardOutput, StringComparison.Ordinal);
            Assert.Equal(Infrastructure.Migrations.All(), await LedgerReader.HistoryAsync(database.ConnectionString));
            Assert.Equal(Infrastructure.Migrations.All().Count, (await LedgerReader.RowsAsync(database.ConnectionString)).Count(r => r.Success == true));
        }
        finally
        {
            Directory.Delete(app, recursive: true);
        }
    }

    private static XDocument Nuspec(ZipArchive zip, string name) => XDocument.Load(zip.GetEntry(name)!.Open());

    private static XElement Metadata(XDocument nuspec, string name)
        => nuspec.Descendants().Single(e => e.Name.LocalName == name && e.Parent?.Name.LocalName == "metadata");
}

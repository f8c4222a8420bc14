using Xunit;

namespace StreamVault.Data.Tests.Infrastructure;

public sealed class PostgresBinariesTests : IDisposable
{
    private readonly DirectoryInfo root = Directory.CreateTempSubdirectory("sv-harness-test-");

    public void Dispose() => root.Delete(recursive: true);

    [Fact]
    public void Find_returns_null_when_neither_PATH_nor_the_version_root_has_server_programs()
    {
        var emptyPath = Directory.CreateDirectory(Path.Combine(root.FullName, "bin")).FullName;

        Assert.Null(PostgresBinaries.Find(emptyPath, Path.Combine(root.FullName, "missing")));
    }

    [Fact]
    public void Find_picks_the_highest_version_under_the_version_root()
    {
        var versionRoot = Path.Combine(root.FullName, "postgresql");
        CreateServerPrograms(Path.Combine(versionRoot, "9.6", "bin"));
        CreateServerPrograms(Path.Combine(versionRoot, "16", "bin"), withPsql: true);
        CreateServerPrograms(Path.Combine(versionRoot, "15", "bin"));

        var found = PostgresBinaries.Find(pathVariable: null, versionRoot);

        Assert.NotNull(found);
        Assert.Equal(Path.Combine(versionRoot, "16", "bin"), found.BinDirectory);
        Assert.Equal(Path.Combine(versionRoot, "16", "bin", "psql"), found.Psql);
    }

    [Fact]
    public void Find_follows_a_symlinked_initdb_on_PATH_to_the_directory_holding_the_server()
    {
        var real = Path.Combine(root.FullName, "real", "bin");
        CreateServerPrograms(real);
        var linkFarm = Directory.CreateDirectory(Path.Combine(root.FullName, "links")).FullName;
        File.CreateSymbolicLink(Path.Combine(linkFarm, "initdb"), Path.Combine(real, "initdb"));
        var psqlOnPath = Directory.CreateDirectory(Path.Combine(root.FullName, "clients")).FullName;
        CreateExecutable(Path.Combine(psqlOnPath, "psql"));

        var found = PostgresBinaries.Find(
            string.Join(Path.PathSeparator, linkFarm, psqlOnPath), Path.Combine(root.FullName, "missing"));

        Assert.NotNull(found);
        Assert.Equal(real, found.BinDirectory);
        Assert.Equal(Path.Combine(psqlOnPath, "psql"), found.Psql);
    }

    [Fact]
    public async Task Resolving_without_any_server_fails_saying_what_to_install()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => PostgresServer.ResolveAsync(explicitConnection: null, dockerReachable: () => false, findBinaries: () => null));

        Assert.Contains("STREAMVAULT_TEST_CONNECTION", error.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install postgresql", error.Message, StringComparison.Ordinal);
    }

    private static void CreateServerPrograms(string directory, bool withPsql = false)
    {
        Directory.CreateDirectory(directory);
        foreach (var program in withPsql ? ["initdb", "pg_ctl", "postgres", "psql"] : new[] { "initdb", "pg_ctl", "postgres" })
        {
            CreateExecutable(Path.Combine(directory, program));
        }
    }

    private static void CreateExecutable(string path)
    {
        File.WriteAllText(path, "#!/bin/sh\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}

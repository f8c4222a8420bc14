using System.Diagnostics;
using System.Globalization;
using Xunit;

namespace StreamVault.Data.Tests.Infrastructure;

public sealed class LocalClusterTests : IDisposable
{
    /// <summary>Above any Linux pid_max, so it names a process that cannot exist.</summary>
    private const int DeadProcessId = int.MaxValue - 1;

    private readonly DirectoryInfo parent = Directory.CreateTempSubdirectory("sv-harness-test-");

    public LocalClusterTests()
    {
        if (!OperatingSystem.IsWindows())
        {
            // As root the cluster belongs to the postgres user, who must be able to reach it.
            parent.UnixFileMode |= UnixFileMode.GroupExecute | UnixFileMode.OtherExecute | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        }
    }

    public void Dispose() => parent.Delete(recursive: true);

    [Fact]
    public void Stale_cleanup_removes_directories_of_dead_processes_only()
    {
        var dead = CreateClusterDirectory(DeadProcessId);
        File.WriteAllText(Path.Combine(dead, "data", "postmaster.pid"), $"{DeadProcessId}\n{dead}\n");
        var live = CreateClusterDirectory(Environment.ProcessId);
        var unrelated = Directory.CreateDirectory(Path.Combine(parent.FullName, "streamvault-test-pg-notes")).FullName;

        var removed = LocalCluster.RemoveStaleClusters(parent.FullName);

        Assert.Equal([dead], removed);
        Assert.False(Directory.Exists(dead));
        Assert.True(Directory.Exists(live));
        Assert.True(Directory.Exists(unrelated));
    }

    [Fact]
    public void Stale_cleanup_stops_a_postmaster_left_running_by_a_dead_test_process()
    {
        var binaries = PostgresBinaries.Find();
        Assert.SkipWhen(binaries is null, "Needs PostgreSQL server binaries (apt-get install postgresql) to start a cluster to abandon.");
        var cluster = LocalCluster.Start(binaries!, parent.FullName, DeadProcessId);
        var postmasterPid = int.Parse(
            File.ReadLines(Path.Combine(cluster.DataDirectory, "postmaster.pid")).First(), CultureInfo.InvariantCulture);

        var removed = LocalCluster.RemoveStaleClusters(parent.FullName);

        Assert.Equal([cluster.RootDirectory], removed);
        Assert.False(Directory.Exists(cluster.RootDirectory));
        Assert.Throws<ArgumentException>(() => Process.GetProcessById(postmasterPid));
    }

    private string CreateClusterDirectory(int ownerProcessId)
    {
        var directory = Path.Combine(
            parent.FullName, $"{LocalCluster.DirectoryPrefix}{ownerProcessId.ToString(CultureInfo.InvariantCulture)}-0123abcd");
        Directory.CreateDirectory(Path.Combine(directory, "data"));
        return directory;
    }
}

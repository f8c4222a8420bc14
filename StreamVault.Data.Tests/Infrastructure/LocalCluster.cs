using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace StreamVault.Data.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster in a temp directory, tuned for speed over durability.
/// The directory name carries the owning test process id so a later run can recognise and remove leftovers.
/// </summary>
internal sealed partial class LocalCluster
{
    public const string DirectoryPrefix = "streamvault-test-pg-";
    private readonly Lock gate = new();
    private bool stopped;

    private LocalCluster(PostgresBinaries binaries, string rootDirectory, int port, string? password = null)
    {
        Password = password;
        Binaries = binaries;
        RootDirectory = rootDirectory;
        Port = port;
    }

    public PostgresBinaries Binaries { get; }

    public string RootDirectory { get; }

    public string DataDirectory => Path.Combine(RootDirectory, "data");

    public int Port { get; }

    /// <summary>The superuser's password when the cluster requires one (scram-sha-256); null for trust.</summary>
    public string? Password { get; }

    public string ConnectionString => $"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Username=postgres;Database=postgres;Include Error Detail=true"
        + (Password is null ? string.Empty : $";Password={Password}");

    /// <summary>
    /// A cluster of this test process beside the run's server (a server with passwords, with TLS, one to crash, a
    /// primary for a standby), from the local server binaries; without them it fails with
    /// <see cref="PostgresServer.NoServerMessage"/>. With <paramref name="stopAtExit"/> it is stopped when the process
    /// exits; otherwise the caller stops it.
    /// </summary>
    public static LocalCluster StartOwn(string? password = null, bool stopAtExit = false)
    {
        var binaries = PostgresBinaries.Find() ?? throw new InvalidOperationException(PostgresServer.NoServerMessage);
        var cluster = Start(binaries, Path.GetTempPath(), Environment.ProcessId, password);
        if (stopAtExit)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Stop();
        }

        return cluster;
    }

    /// <param name="password">Null for trust authentication (the harness); else every login needs this superuser password.</param>
    public static LocalCluster Start(PostgresBinaries binaries, string parentDirectory, int ownerProcessId, string? password = null)
    {
        var root = Path.Combine(
            parentDirectory,
            $"{DirectoryPrefix}{ownerProcessId.ToString(CultureInfo.InvariantCulture)}-{RandomNumberGenerator.GetHexString(8, lowercase: true)}");
        Directory.CreateDirectory(root);

        try
        {
            string[] authentication = ["-A", "trust"];
            if (password is not null)
            {
                var passwordFile = Path.Combine(root, "superuser-password");
                File.WriteAllText(passwordFile, password);
                authentication = ["-A", "scram-sha-256", $"--pwfile={passwordFile}"];
            }

            // The cluster belongs to the user its server runs as (see ServiceUser).
            ServiceUser.Own(root);
            ServiceUser.Run(
                binaries.Initdb,
                ["-D", Path.Combine(root, "data"), .. authentication, "-U", "postgres", "--encoding=UTF8", "--locale=C", "--no-sync"],
                root);

            // The free port can be taken between probing and binding; a fresh port on retry is enough.
            const int attempts = 3;
            for (var attempt = 1; ; attempt++)
            {
                var cluster = new LocalCluster(binaries, root, FindFreePort(), password);
                try
                {
                    cluster.StartServer();
                    return cluster;
                }
                catch (InvalidOperationException) when (attempt < attempts)
                {
                    cluster.StopServer();
                }
            }
        }
        catch
        {
            DeleteDirectory(root);
            throw;
        }
    }

    /// <summary>Stops the server at once (nothing in it is worth keeping) and deletes its directory. Idempotent.</summary>
    public void Stop()
    {
        lock (gate)
        {
            if (stopped)
            {
                return;
            }

            stopped = true;
            StopServer();
            DeleteDirectory(RootDirectory);
        }
    }

    /// <summary>
    /// Removes cluster directories left by test processes that died without cleaning up (killed runner, crash),
    /// stopping a postmaster still serving one. Directories of live processes are left alone: parallel runs are fine.
    /// </summary>
    public static IReadOnlyList<string> RemoveStaleClusters(string parentDirectory)
    {
        if (!Directory.Exists(parentDirectory))
        {
            return [];
        }

        var removed = new List<string>();
        foreach (var directory in Directory.EnumerateDirectories(parentDirectory, DirectoryPrefix + "*"))
        {
            var match = ClusterDirectoryName().Match(Path.GetFileName(directory));
            if (!match.Success
                || !int.TryParse(match.Groups["pid"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var ownerPid)
                || IsAlive(ownerPid))
            {
                continue;
            }

            KillPostmaster(Path.Combine(directory, "data"));
            // A streaming standby of the cluster (see Standby) lives beside its data directory.
            KillPostmaster(Path.Combine(directory, "standby"));
            DeleteDirectory(directory);
            removed.Add(directory);
        }

        return removed;
    }

    private void StartServer()
    {
        var serverOptions = string.Join(
            ' ',
            "-c fsync=off",
            "-c synchronous_commit=off",
            "-c full_page_writes=off",
            "-c listen_addresses=127.0.0.1",
            $"-p {Port.ToString(CultureInfo.InvariantCulture)}",
            $"-k {RootDirectory}",
            "-c max_connections=200");

        // -l matters beyond logging: without it the postmaster inherits our pipes and the read never ends.
        ServiceUser.Run(
            Binaries.PgCtl,
            ["-D", DataDirectory, "-l", Path.Combine(RootDirectory, "postgres.log"), "-w", "-t", "60", "-o", serverOptions, "start"],
            RootDirectory);
    }

    private void StopServer()
    {
        if (!File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            return;
        }

        try
        {
            ServiceUser.Run(Binaries.PgCtl, ["-D", DataDirectory, "-m", "immediate", "-w", "stop"], RootDirectory);
        }
        catch (InvalidOperationException)
        {
            KillPostmaster(DataDirectory);
        }
    }

    /// <summary>A loopback port free right now (the OS picks it); also the pooler's and the standby's.</summary>
    internal static int FindFreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void KillPostmaster(string dataDirectory)
    {
        var pidFile = Path.Combine(dataDirectory, "postmaster.pid");
        if (!File.Exists(pidFile))
        {
            return;
        }

        var firstLine = File.ReadLines(pidFile).FirstOrDefault();
        if (!int.TryParse(firstLine, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || !IsAlive(pid))
        {
            return;
        }

        try
        {
            using var process = Process.GetProcessById(pid);

            // A recycled pid may now belong to anything; only a postgres process is ours to kill.
            if (!process.ProcessName.StartsWith("postgres", StringComparison.Ordinal))
            {
                return;
            }

            process.Kill(entireProcessTree: true);
            process.WaitForExit(TimeSpan.FromSeconds(10));
        }
        catch (ArgumentException)
        {
            // Exited between the check and the kill.
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
    }

    /// <summary>Whether process <paramref name="pid"/> still runs (the owner of a leftover from an earlier test run).</summary>
    internal static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static void DeleteDirectory(string directory)
    {
        // A just-killed postmaster can still be releasing files; a few short retries avoid a spurious leftover.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (Directory.Exists(directory))
                {
                    Directory.Delete(directory, recursive: true);
                }

                return;
            }
            catch (IOException) when (attempt < 5)
            {
                Thread.Sleep(100 * attempt);
            }
        }
    }

    [GeneratedRegex(@"^streamvault-test-pg-(?<pid>\d+)-[0-9a-f]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ClusterDirectoryName();
}

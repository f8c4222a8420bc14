using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Npgsql;

namespace StreamVault.Data.Tests.Infrastructure;

/// <summary>
/// A real PgBouncer (Debian package <c>pgbouncer</c>) in front of the run's server, in transaction or session pooling
/// mode, on a free port, with trust authentication towards its clients (the server's own authentication still
/// applies: the superuser's password, if any, is in its auth file). As root it runs as the postgres user, since
/// PgBouncer refuses root (<see cref="ServiceUser"/>). Without pgbouncer installed it fails, saying what to install.
/// </summary>
internal sealed class PgBouncer : IAsyncDisposable
{
    public const string NotInstalledMessage = "pgbouncer is not installed: apt-get install pgbouncer (.ci/run installs it)";

    private const string DirectoryPrefix = "streamvault-test-pgbouncer-";
    private static readonly string[] Locations = ["/usr/sbin/pgbouncer", "/usr/bin/pgbouncer"];
    private readonly string directory;
    private readonly PostgresServer server;

    private PgBouncer(PostgresServer server, string directory, int port, string poolMode)
    {
        this.server = server;
        this.directory = directory;
        Port = port;
        PoolMode = poolMode;
    }

    public int Port { get; }

    public string PoolMode { get; }

    /// <summary>
    /// A connection string to <paramref name="database"/> through the pooler, as the server's superuser, with Npgsql's
    /// defaults (its own pool and its session reset on close), as an app that did not tune it for PgBouncer has.
    /// </summary>
    public string ConnectionStringFor(string database)
        => new NpgsqlConnectionStringBuilder(server.ConnectionStringFor(database)) { Host = "127.0.0.1", Port = Port }.ConnectionString;

    /// <param name="poolMode"><c>transaction</c> or <c>session</c>.</param>
    /// <param name="poolSize">Server connections per database and user.</param>
    public static async Task<PgBouncer> StartAsync(string poolMode, int poolSize = 40)
    {
        var program = Locations.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(NotInstalledMessage);
        var server = await PostgresServer.GetAsync();
        var target = new NpgsqlConnectionStringBuilder(server.AdminConnectionString);
        RemoveStale();
        var directory = Path.Combine(
            Path.GetTempPath(),
            $"{DirectoryPrefix}{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-{RandomNumberGenerator.GetHexString(8, lowercase: true)}");
        Directory.CreateDirectory(directory);
        var port = LocalCluster.FindFreePort();
        var users = $"\"{target.Username}\" \"{target.Password ?? ""}\"\n";
        await File.WriteAllTextAsync(Path.Combine(directory, "users.txt"), users);
        await File.WriteAllTextAsync(Path.Combine(directory, "pgbouncer.ini"), $"""
            [databases]
            * = host={target.Host} port={target.Port.ToString(CultureInfo.InvariantCulture)}

            [pgbouncer]
            listen_addr = 127.0.0.1
            listen_port = {port.ToString(CultureInfo.InvariantCulture)}
            unix_socket_dir =
            auth_type = trust
            auth_file = {directory}/users.txt
            pool_mode = {poolMode}
            max_client_conn = 400
            default_pool_size = {poolSize.ToString(CultureInfo.InvariantCulture)}
            ignore_startup_parameters = extra_float_digits
            logfile = {directory}/pgbouncer.log
            pidfile = {directory}/pgbouncer.pid

            """);
        ServiceUser.Own(directory);
        ServiceUser.Run(program, ["-d", Path.Combine(directory, "pgbouncer.ini")], directory);

        var bouncer = new PgBouncer(server, directory, port, poolMode);
        await bouncer.WaitUntilListeningAsync();
        return bouncer;
    }

    public ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        Stop(directory);
        return ValueTask.CompletedTask;
    }

    /// <summary>Stops the pgbouncer of <paramref name="pgbouncerDirectory"/> (from its pid file) and deletes the directory.</summary>
    private static void Stop(string pgbouncerDirectory)
    {
        var pidFile = Path.Combine(pgbouncerDirectory, "pgbouncer.pid");
        if (File.Exists(pidFile)
            && int.TryParse(File.ReadAllText(pidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                // A recycled pid may belong to anything; only a pgbouncer is ours to stop.
                if (process.ProcessName.StartsWith("pgbouncer", StringComparison.Ordinal))
                {
                    process.Kill();
                    process.WaitForExit(TimeSpan.FromSeconds(10));
                }
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
        }

        try
        {
            Directory.Delete(pgbouncerDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }

    /// <summary>A pgbouncer left running by a test process that died (killed runner, crash) is stopped on the next start.</summary>
    private static void RemoveStale()
    {
        foreach (var stale in Directory.EnumerateDirectories(Path.GetTempPath(), DirectoryPrefix + "*"))
        {
            var owner = Path.GetFileName(stale)[DirectoryPrefix.Length..].Split('-')[0];
            if (int.TryParse(owner, NumberStyles.None, CultureInfo.InvariantCulture, out var ownerPid) && !LocalCluster.IsAlive(ownerPid))
            {
                Stop(stale);
            }
        }
    }

    private async Task WaitUntilListeningAsync()
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            // A minute: a busy 2-core machine can take seconds to start a daemon.
            catch (SocketException) when (clock.Elapsed < TimeSpan.FromMinutes(1))
            {
                await Task.Delay(100);
            }
            catch (SocketException)
            {
                var log = Path.Combine(directory, "pgbouncer.log");
                throw new InvalidOperationException(
                    $"pgbouncer did not listen on port {Port} within a minute: {(File.Exists(log) ? await File.ReadAllTextAsync(log) : "no log")}");
            }
        }
    }
}

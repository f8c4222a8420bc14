using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Xunit;

namespace StreamVault.Data.Tests.Infrastructure;

/// <summary>
/// A primary and a real streaming hot standby made from it with <c>pg_basebackup -R</c>: a throwaway local cluster of
/// its own (the run's server may be anything; replication needs local binaries), with <see cref="Databases"/> created
/// on the primary from the June 2025 fixture before the base backup, so the standby has them too. Without the local
/// server binaries it fails, saying what to install.
/// </summary>
public sealed class Standby : IAsyncLifetime
{
    /// <summary>The databases both servers have: June 2025 databases with every migration pending.</summary>
    public static readonly string[] Databases = ["sv_standby_refused", "sv_standby_multihost", "sv_standby_readonly"];

    private LocalCluster? primary;

    public int PrimaryPort => primary!.Port;

    public int StandbyPort { get; private set; }

    private string StandbyDirectory => Path.Combine(primary!.RootDirectory, "standby");

    /// <summary>Connection string of <paramref name="database"/> on the primary.</summary>
    public string PrimaryConnectionString(string database) => On("127.0.0.1", PrimaryPort, database);

    /// <summary>Connection string of <paramref name="database"/> on the standby.</summary>
    public string StandbyConnectionString(string database) => On("127.0.0.1", StandbyPort, database);

    /// <summary>Both servers, standby first, as an operator would list a primary and its standbys.</summary>
    public string MultiHostConnectionString(string database)
        => $"Host=127.0.0.1:{StandbyPort.ToString(CultureInfo.InvariantCulture)},127.0.0.1:{PrimaryPort.ToString(CultureInfo.InvariantCulture)};"
           + $"Username=postgres;Database={database};Pooling=false;Target Session Attributes=primary";

    private static string On(string host, int port, string database)
        => $"Host={host};Port={port.ToString(CultureInfo.InvariantCulture)};Username=postgres;Database={database};Pooling=false";

    public async ValueTask InitializeAsync()
    {
        primary = LocalCluster.StartOwn();
        var binaries = primary.Binaries;
        var fixture = await TestDatabase.ReadFixtureAsync("Fixtures/june-2025.sql");
        foreach (var database in Databases)
        {
            await Sql.ExecuteAsync(PrimaryConnectionString("postgres"), $"CREATE DATABASE {Sql.Identifier(database)}");
            await Sql.ExecuteAsync(PrimaryConnectionString(database), fixture);
        }

        // -R writes standby.signal and primary_conninfo: the copy starts as a streaming hot standby. A fast checkpoint,
        // because the default spread one makes the backup wait minutes.
        ServiceUser.Run(
            Path.Combine(binaries.BinDirectory, "pg_basebackup"),
            ["-D", StandbyDirectory, "-R", "-X", "stream", "--no-sync", "--checkpoint=fast",
             "-h", "127.0.0.1", "-p", PrimaryPort.ToString(CultureInfo.InvariantCulture), "-U", "postgres"],
            primary.RootDirectory);
        StandbyPort = LocalCluster.FindFreePort();
        ServiceUser.Run(
            binaries.PgCtl,
            ["-D", StandbyDirectory, "-l", Path.Combine(primary.RootDirectory, "standby.log"), "-w", "-t", "60",
             "-o", $"-p {StandbyPort.ToString(CultureInfo.InvariantCulture)} -k {primary.RootDirectory} -c listen_addresses=127.0.0.1 -c hot_standby=on -c max_connections=200",
             "start"],
            primary.RootDirectory);
        Assert.True(await ScalarAsync<bool>(StandbyConnectionString("postgres"), "SELECT pg_is_in_recovery()"));
    }

    public ValueTask DisposeAsync()
    {
        if (primary is not null)
        {
            try
            {
                ServiceUser.Run(primary.Binaries.PgCtl, ["-D", StandbyDirectory, "-m", "immediate", "-w", "stop"], primary.RootDirectory);
            }
            catch (InvalidOperationException)
            {
                // Never started; the primary's Stop removes the directory either way.
            }

            primary.Stop();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Waits until the standby has replayed everything the primary has written so far.</summary>
    public async Task WaitForReplayAsync()
    {
        var lsn = await ScalarAsync<string>(PrimaryConnectionString("postgres"), "SELECT pg_current_wal_lsn()::text");
        var clock = Stopwatch.StartNew();
        while (!await ScalarAsync<bool>(StandbyConnectionString("postgres"), $"SELECT pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn"))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"the standby did not replay up to {lsn} within 60 s");
            await Task.Delay(100);
        }
    }

    /// <summary>The first column of the first row on either server (<see cref="Sql.ScalarAsync"/>, never null here).</summary>
    public static async Task<T> ScalarAsync<T>(string connectionString, string sql) => (await Sql.ScalarAsync<T>(connectionString, sql))!;
}

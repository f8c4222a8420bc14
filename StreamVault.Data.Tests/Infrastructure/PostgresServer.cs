using Npgsql;
using Testcontainers.PostgreSql;

namespace StreamVault.Data.Tests.Infrastructure;

/// <summary>
/// The one PostgreSQL server a test run uses, resolved once per process: an explicit connection string,
/// else a Testcontainers container, else a throwaway local cluster. Without any of them every test that
/// needs the database fails with <see cref="NoServerMessage"/>; nothing is skipped.
/// </summary>
public sealed class PostgresServer
{
    public const string ConnectionEnvironmentVariable = "STREAMVAULT_TEST_CONNECTION";

    /// <summary>Pinned so a new upstream image never changes what the tests run against.</summary>
    public const string ContainerImage = "postgres:15.10-alpine";

    public const string NoServerMessage =
        "No PostgreSQL for tests: set " + ConnectionEnvironmentVariable + ", start a Docker engine, "
        + "or install PostgreSQL server binaries (apt-get install postgresql).";

    private static readonly Lock Gate = new();
    private static Task<PostgresServer>? current;
    private static bool processExitHooked;

    private readonly LocalCluster? cluster;
    private readonly PostgreSqlContainer? container;

    private PostgresServer(
        string adminConnectionString, string source, bool isThrowaway, LocalCluster? cluster, PostgreSqlContainer? container)
    {
        AdminConnectionString = adminConnectionString;
        Source = source;
        IsThrowaway = isThrowaway;
        this.cluster = cluster;
        this.container = container;
    }

    /// <summary>Superuser connection to the <c>postgres</c> database; tests create and drop databases through it.</summary>
    public string AdminConnectionString { get; }

    /// <summary>Where the server came from and its version, for the test log.</summary>
    public string Source { get; }

    /// <summary>True when the server is discarded after the run (container or local cluster), so leftovers do not matter.</summary>
    public bool IsThrowaway { get; }

    /// <summary>Directory of the local cluster's server programs; null for the other sources.</summary>
    public string? BinDirectory => cluster?.Binaries.BinDirectory;

    /// <summary>psql next to the local cluster's programs (or on PATH); null for the other sources.</summary>
    public string? PsqlPath => cluster?.Binaries.Psql;

    public string ConnectionStringFor(string database)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(database);
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = database }.ConnectionString;
    }

    /// <summary>The run's server, started on first use. Concurrent callers share one start.</summary>
    public static Task<PostgresServer> GetAsync()
    {
        lock (Gate)
        {
            return current ??= Task.Run(async () =>
            {
                var server = await ResolveAsync(
                    Environment.GetEnvironmentVariable(ConnectionEnvironmentVariable), DockerProbe.IsEngineReachable, PostgresBinaries.Find);
                TestProgressAttribute.Note($"StreamVault tests use PostgreSQL from: {server.Source}");
                return server;
            });
        }
    }

    /// <summary>
    /// Stops a container or local cluster (an explicit server is left running). Later <see cref="GetAsync"/>
    /// calls start a new one, so a test that outlives the fixture still gets a server rather than a dead one.
    /// </summary>
    public static async Task ShutdownAsync()
    {
        Task<PostgresServer>? resolving;
        lock (Gate)
        {
            resolving = current;
            current = null;
        }

        if (resolving is null)
        {
            return;
        }

        await Task.WhenAny(resolving);
        if (!resolving.IsCompletedSuccessfully)
        {
            return;
        }

        var server = resolving.Result;
        NpgsqlConnection.ClearAllPools();
        server.cluster?.Stop();
        if (server.container is not null)
        {
            await server.container.DisposeAsync();
        }
    }

    /// <summary>The resolution order with its inputs passed in, so the no-server failure can be tested anywhere.</summary>
    internal static async Task<PostgresServer> ResolveAsync(
        string? explicitConnection, Func<bool> dockerReachable, Func<PostgresBinaries?> findBinaries)
    {
        if (!string.IsNullOrWhiteSpace(explicitConnection))
        {
            var builder = new NpgsqlConnectionStringBuilder(explicitConnection);
            if (string.IsNullOrEmpty(builder.Database))
            {
                builder.Database = "postgres";
            }

            var admin = builder.ConnectionString;
            var version = await ReadVersionAsync(admin, $"the server in {ConnectionEnvironmentVariable}");
            return new PostgresServer(
                admin,
                $"{ConnectionEnvironmentVariable} ({StreamVaultDatabase.Redact(admin)}), PostgreSQL {version}",
                isThrowaway: false,
                cluster: null,
                container: null);
        }

        if (dockerReachable())
        {
            var container = new PostgreSqlBuilder(ContainerImage)
                .WithDatabase("postgres")
                .WithUsername("postgres")
                .WithPassword("postgres")
                .Build();
            await container.StartAsync();
            var admin = container.GetConnectionString();
            var version = await ReadVersionAsync(admin, $"the {ContainerImage} container");
            return new PostgresServer(
                admin, $"Testcontainers {ContainerImage}, PostgreSQL {version}", isThrowaway: true, cluster: null, container);
        }

        var binaries = findBinaries() ?? throw new InvalidOperationException(NoServerMessage);

        // Leftovers of crashed runs would otherwise pile up in the temp directory and keep servers running.
        LocalCluster.RemoveStaleClusters(Path.GetTempPath());
        var cluster = LocalCluster.Start(binaries, Path.GetTempPath(), Environment.ProcessId);
        HookProcessExit();
        try
        {
            var version = await ReadVersionAsync(cluster.ConnectionString, $"the local cluster in {cluster.RootDirectory}");
            return new PostgresServer(
                cluster.ConnectionString,
                $"local cluster (PostgreSQL {version}, {binaries.BinDirectory}, {cluster.RootDirectory}, port {cluster.Port})",
                isThrowaway: true,
                cluster,
                container: null);
        }
        catch
        {
            cluster.Stop();
            throw;
        }
    }

    private static void HookProcessExit()
    {
        lock (Gate)
        {
            if (processExitHooked)
            {
                return;
            }

            processExitHooked = true;
        }

        // The assembly fixture normally stops the cluster; this covers runs that end without it (runner aborts, Ctrl+C).
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            Task<PostgresServer>? resolving;
            lock (Gate)
            {
                resolving = current;
            }

            if (resolving is { IsCompletedSuccessfully: true })
            {
                resolving.Result.cluster?.Stop();
            }
        };
    }

    private static async Task<string> ReadVersionAsync(string connectionString, string description)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SHOW server_version", connection);
            return (string)(await command.ExecuteScalarAsync())!;
        }
        catch (NpgsqlException exception)
        {
            throw new InvalidOperationException($"Could not connect to {description}: {exception.Message}", exception);
        }
    }
}

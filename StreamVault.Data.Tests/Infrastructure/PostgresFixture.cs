using Xunit;

[assembly: AssemblyFixture(typeof(StreamVault.Data.Tests.Infrastructure.PostgresFixture))]

namespace StreamVault.Data.Tests.Infrastructure;

/// <summary>
/// The run's PostgreSQL server, shared by every test class (an assembly fixture, so classes run in parallel, each
/// test on databases of its own). The server starts on first use (<see cref="PostgresServer.GetAsync"/>), so runs of
/// tests that need no database stay database-free; when the run ends this stops it (a container or local cluster),
/// after dropping the templates from a server that outlives the run. A missing server fails every test that needs
/// one, loudly, with what to install.
/// </summary>
public sealed class PostgresFixture : IAsyncDisposable
{
    /// <summary>Well above the parallel classes (xunit.runner.json's maxParallelThreads) times what one test runs at once.</summary>
    private const int MinThreads = 64;

    /// <summary>
    /// Also starts the run's progress lines (<see cref="TestProgressAttribute"/>) on xunit's diagnostic sink, and gives
    /// the thread pool enough threads up front for the parallel classes.
    /// </summary>
    public PostgresFixture(Xunit.Sdk.IMessageSink diagnostics)
    {
        // On 2 cores the pool starts with 2 threads and adds about one a second; the harness blocks some (initdb, pg_ctl,
        // EF's synchronous Migrate), and a starved pool delays every other test's continuations by seconds, which
        // timing-sensitive assertions would feel. Threads mostly wait here (on PostgreSQL, processes, locks), so many are cheap.
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, MinThreads), Math.Max(completionPorts, MinThreads));
        TestProgressAttribute.Start(diagnostics);
    }

    public async ValueTask DisposeAsync()
    {
        TestProgressAttribute.Stop();
        await TemplateDatabases.DropAllAsync();
        await PostgresServer.ShutdownAsync();
        RepositoryTools.CleanUpPackages();
    }
}

/// <summary>
/// The classes that must run alone: xunit runs this collection after every parallel one, one class at a time. Each
/// member says why in one line; everything else runs in parallel (see docs/testing.md).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunsAlone
{
    public const string Name = "runs alone";
}

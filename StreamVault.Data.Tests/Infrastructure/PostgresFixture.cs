using Xunit;

[assembly: AssemblyFixture(typeof(StreamVault.Data.Tests.Infrastructure.PostgresLifetime))]

namespace StreamVault.Data.Tests.Infrastructure;

/// <summary>
/// Fixture of the "postgres" collection: resolves the run's server before the first test and logs where it came from.
/// A missing server fails the collection's tests here, loudly, with what to install.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public PostgresServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Server = await PostgresServer.GetAsync();
        TestContext.Current.SendDiagnosticMessage($"StreamVault tests use PostgreSQL from: {Server.Source}");
    }

    /// <summary>The server outlives the collection; <see cref="PostgresLifetime"/> stops it when the whole run ends.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>Tests that touch PostgreSQL join this collection: <c>[Collection("postgres")]</c>.</summary>
[CollectionDefinition("postgres")]
public sealed class PostgresCollectionDefinition : ICollectionFixture<PostgresFixture>;

/// <summary>
/// Assembly fixture that stops a container or local cluster when the run ends, before the process exits.
/// It never starts one, so runs of tests that need no database stay database-free.
/// </summary>
public sealed class PostgresLifetime : IAsyncDisposable
{
    /// <summary>Also starts the run's progress lines (<see cref="TestProgressAttribute"/>) on xunit's diagnostic sink.</summary>
    public PostgresLifetime(Xunit.Sdk.IMessageSink diagnostics) => TestProgressAttribute.Start(diagnostics);

    public async ValueTask DisposeAsync()
    {
        TestProgressAttribute.Stop();
        await TemplateDatabases.DropAllAsync();
        await PostgresServer.ShutdownAsync();
        RepositoryTools.CleanUpPackages();
    }
}

using Xunit;

namespace StreamVault.Data.Tests.Infrastructure;

/// <summary>
/// One fully migrated database shared by a class of data-only tests; each test starts from
/// <see cref="ResetAsync"/>, which empties the tables with Respawn and leaves the history and ledger alone.
/// </summary>
public sealed class MigratedDatabaseFixture : IAsyncLifetime
{
    private TestDatabase? _database;
    private DataReset? _reset;

    public string ConnectionString => _database!.ConnectionString;

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        await Migrations.MigrateAsync(_database.ConnectionString);
        _reset = await DataReset.CreateAsync(_database.ConnectionString);
    }

    public Task ResetAsync() => _reset!.ResetAsync();

    public async ValueTask DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}

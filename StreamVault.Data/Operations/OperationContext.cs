using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;
using StreamVault.Data.Engine;
using StreamVault.Data.Ledger;
using StreamVault.Data.Migrations;

namespace StreamVault.Data.Operations;

/// <summary>
/// What the operations need from EF for one database: the migrations (in order, with ledger names and
/// checksums), the history table's names and the modelled tables. Built from the one options builder, so
/// it sees exactly what migrate sees.
/// </summary>
internal sealed class OperationContext : IDisposable
{
    private OperationContext(string connectionString, OperationOptions options)
    {
        ConnectionString = connectionString;
        Options = options;
        Context = ContextOptions.CreateContext(connectionString, options.Data);
        HistoryRepository = Context.GetService<LedgerHistoryRepository>();
        Catalog = Context.GetService<LedgerCatalog>().Entries;
        Tables = Context.Model.GetEntityTypes()
            .Select(e => e.GetTableName())
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        (Database, Server) = Describe(connectionString);
    }

    /// <summary>The database name and <c>host:port</c> that reports show for <paramref name="connectionString"/>.</summary>
    public static (string Database, string Server) Describe(string connectionString)
    {
        var target = StreamVaultConnections.Target(connectionString);
        return (target.Database, target.Server);
    }

    public string ConnectionString { get; }

    public OperationOptions Options { get; }

    /// <summary>The engine options the operation runs with (lock deadlines and timeouts), defaults where none were given.</summary>
    public StreamVaultDataOptions Data => Options.Data ?? DefaultData;

    private static readonly StreamVaultDataOptions DefaultData = new();

    public StreamVaultDbContext Context { get; }


    /// <summary>The engine's history repository: its scripts carry the ledger writes.</summary>
    public LedgerHistoryRepository HistoryRepository { get; }

    public IReadOnlyList<LedgerEntry> Catalog { get; }

    public IReadOnlyList<string> Tables { get; }

    public string Database { get; }

    public string Server { get; }

    public static OperationContext Create(string connectionString, OperationOptions? options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return new OperationContext(connectionString, options ?? new OperationOptions());
    }

    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        return await StreamVaultConnections.DataSource(ConnectionString).OpenConnectionAsync(cancellationToken);
    }

    public void Dispose() => Context.Dispose();
}

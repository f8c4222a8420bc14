// Npgsql's relational connection is internal API; only a subclass can keep a connection string that the EF tools
// set later (dotnet ef / efbundle --connection) on the one shared data source instead of a data source-less string.
#pragma warning disable EF1001

using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure.Internal;
using Npgsql.EntityFrameworkCore.PostgreSQL.Storage.Internal;

namespace StreamVault.Data.Engine;

/// <summary>
/// Npgsql's connection with every connection string on <see cref="StreamVaultConnections.DataSource"/>: the one
/// <see cref="NpgsqlDataSource"/> per string that EF and the engine's own connections (run lock, failure records)
/// share, also when <c>--connection</c> replaces the string after the context was configured.
/// </summary>
internal sealed class StreamVaultRelationalConnection(
    RelationalConnectionDependencies dependencies, NpgsqlDataSourceManager dataSourceManager, IDbContextOptions options)
    : NpgsqlRelationalConnection(dependencies, dataSourceManager, options)
{
    public override string? ConnectionString
    {
        get => base.ConnectionString;
        set
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                base.ConnectionString = value;
                return;
            }

            // Npgsql detaches the data source when a string is set; attaching the shared one keeps one pool per string.
            DbDataSource = StreamVaultConnections.DataSource(value);
        }
    }

    /// <summary>The data source this connection opens from, for the engine's separate connections.</summary>
    public static NpgsqlDataSource DataSourceOf(IRelationalConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return (connection as NpgsqlRelationalConnection)?.DbDataSource as NpgsqlDataSource
               ?? StreamVaultConnections.DataSource(
                   connection.ConnectionString ?? throw new InvalidOperationException("The migration connection has no connection string."));
    }
}

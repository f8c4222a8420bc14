using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using StreamVault.Data.Engine;

namespace StreamVault.Data.Operations;

/// <summary>
/// <c>script</c>: the engine's idempotent psql script (<see cref="PsqlScript"/>) for every migration of the assembly,
/// generated offline.
/// </summary>
internal static class MigrationScript
{
    /// <summary>Never opened: generating SQL needs the model and services, not a server.</summary>
    private const string OfflineConnection = "Host=localhost;Database=streamvault_script";

    /// <summary>The script for every migration of the assembly (no connection is opened).</summary>
    /// <param name="options">Engine settings; only <see cref="StreamVaultDataOptions.MigrationsAssembly"/> matters here.</param>
    /// <returns>The migration ids and the SQL.</returns>
    public static ScriptReport Generate(StreamVaultDataOptions? options = null)
    {
        using var context = ContextOptions.CreateContext(OfflineConnection, options);
        var migrations = context.GetService<IMigrationsAssembly>();
        var provider = context.Database.ProviderName!;
        var all = migrations.Migrations
            .OrderBy(m => m.Key, StringComparer.Ordinal)
            .Select(m => (m.Key, migrations.CreateMigration(m.Value, provider)))
            .ToList();
        var sql = PsqlScript.Build(
            all, context.GetService<IHistoryRepository>(), context.GetService<LedgerHistoryRepository>(), context.GetService<IMigrationsSqlGenerator>());
        return new ScriptReport([.. all.Select(m => m.Key)], sql);
    }
}

/// <summary>
/// Result of <see cref="MigrationScript.Generate"/>. JSON: <c>{"migrations": ["20240705000000_BaseSchema", ...], "sql": "..."}</c>;
/// its text is the SQL itself, ready for a file.
/// </summary>
internal sealed record ScriptReport(IReadOnlyList<string> Migrations, string Sql);

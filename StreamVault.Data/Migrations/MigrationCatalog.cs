using System.Collections.Concurrent;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore.Migrations;

namespace StreamVault.Data.Migrations;

/// <summary>
/// Ledger entries (name and SQL checksum) for every migration of an assembly: this assembly's from
/// <see cref="KnownMigrations"/>, written at build time; another migrations assembly's computed here, once. The checksum is a SHA-256 of
/// the SQL the provider generates for the migration's Up, with line endings normalised, so a migration
/// whose SQL was edited after it was applied can be told apart. Migrations are immutable once compiled,
/// so each assembly is computed once per process.
/// </summary>
internal static class MigrationCatalog
{
    private static readonly ConcurrentDictionary<(Assembly, string), IReadOnlyList<LedgerEntry>> Cache = new();

    /// <summary>The ledger entry of every migration in <paramref name="migrations"/>, ordered by id.</summary>
    /// <param name="migrations">The migrations assembly of the context.</param>
    /// <param name="sqlGenerator">The provider's SQL generator (the checksum is over its output).</param>
    /// <param name="activeProvider">The provider name migrations are created for.</param>
    /// <returns>One entry per migration.</returns>
    public static IReadOnlyList<LedgerEntry> Entries(
        IMigrationsAssembly migrations, IMigrationsSqlGenerator sqlGenerator, string activeProvider)
    {
        ArgumentNullException.ThrowIfNull(migrations);
        ArgumentNullException.ThrowIfNull(sqlGenerator);
        // This assembly's own catalog was computed at build time from the same migrations (a test proves them equal).
        if (migrations.Assembly == typeof(KnownMigrations).Assembly)
        {
            return KnownMigrations.Entries;
        }

        return Cache.GetOrAdd((migrations.Assembly, activeProvider), _ => Compute(migrations, sqlGenerator, activeProvider));
    }

    /// <summary>The entries as EF computes them, from the migration classes and the provider's SQL (no build-time list).</summary>
    internal static IReadOnlyList<LedgerEntry> Compute(IMigrationsAssembly migrations, IMigrationsSqlGenerator sqlGenerator, string activeProvider)
        => migrations.Migrations
            .OrderBy(m => m.Key, StringComparer.Ordinal)
            .Select(m =>
            {
                var migration = migrations.CreateMigration(m.Value, activeProvider);
                return new LedgerEntry(m.Key, m.Value.GetCustomAttribute<LedgerNameAttribute>()?.Name ?? m.Key, Checksum(sqlGenerator, migration));
            })
            .ToList();

    private static string Checksum(IMigrationsSqlGenerator sqlGenerator, Migration migration)
    {
        var sql = new StringBuilder();
        foreach (var command in sqlGenerator.Generate(migration.UpOperations))
        {
            sql.Append(command.CommandText.ReplaceLineEndings("\n")).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql.ToString())));
    }
}

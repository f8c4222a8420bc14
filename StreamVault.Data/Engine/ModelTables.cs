using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using StreamVault.Data.Ledger;

namespace StreamVault.Data.Engine;

/// <summary>The tables a run may change, from the model itself rather than a list that a new entity would outgrow.</summary>
internal static class ModelTables
{
    /// <summary>The model's tables.</summary>
    public static IReadOnlyList<string> Of(DbContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return [.. context.Model.GetEntityTypes().Select(e => e.GetTableName()).OfType<string>().Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The model's tables plus the two ledgers (<c>applied_migrations</c>, EF's history).</summary>
    public static IReadOnlyList<string> WithLedgers(IEnumerable<string> modelTables)
        => [.. modelTables.Append(LedgerSql.Table).Append(HistoryRepository.DefaultTableName).Distinct(StringComparer.Ordinal)];
}

namespace StreamVault.Data.Design;

/// <summary>
/// The marker of an explicit contract step: a migration whose name starts with <c>Contract</c> followed by an
/// upper-case letter (<c>dotnet ef migrations add ContractDropEpisodeNumber</c>). Only such a migration may drop or
/// rename anything in its <c>Up</c>: the app version still running while a deployment migrates (or an older replica)
/// reads and writes what the previous migrations made, so removing it is a step of its own, released after the app
/// stopped using it. The generator and <c>MigrationRules</c> both ask here.
/// </summary>
internal static class ContractStep
{
    /// <summary>The prefix that marks a contract step.</summary>
    public const string Prefix = "Contract";

    /// <summary>Whether <paramref name="migration"/> (a migration's name or its id, <c>yyyyMMddHHmmss_Name</c>) is a contract step.</summary>
    public static bool IsContract(string migration)
    {
        ArgumentNullException.ThrowIfNull(migration);
        var name = migration.Length > 15 && migration[14] == '_' && migration.AsSpan(0, 14).ContainsAnyExceptInRange('0', '9') is false
            ? migration[15..]
            : migration;
        return name.Length > Prefix.Length
               && name.StartsWith(Prefix, StringComparison.Ordinal)
               && char.IsAsciiLetterUpper(name[Prefix.Length]);
    }
}

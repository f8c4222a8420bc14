namespace StreamVault.Data.Design;

/// <summary>
/// One <c>migrationBuilder.Sql(...)</c> call of a generated migration: the SQL, the comment above it saying why it
/// has this shape, and whether it runs outside the migration's transaction. A step without SQL is a comment only
/// (what a <c>Down</c> deliberately leaves as it is).
/// </summary>
/// <param name="Comment">Why the statement looks the way it does, in a sentence or two.</param>
/// <param name="Sql">The frozen SQL, or null for a comment-only step.</param>
/// <param name="SuppressTransaction">
/// True for statements PostgreSQL refuses inside a transaction block, or that must hold their locks only for
/// themselves (<c>CREATE INDEX CONCURRENTLY</c>, <c>VALIDATE CONSTRAINT</c>).
/// </param>
internal sealed record GuardedStep(string Comment, string? Sql, bool SuppressTransaction = false);

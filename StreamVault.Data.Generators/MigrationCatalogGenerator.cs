using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace StreamVault.Data.Generators;

/// <summary>
/// Writes <c>StreamVault.Data.Migrations.KnownMigrations</c>: every migration of the assembly with its ledger name and
/// the checksum of its Up SQL, from the migration classes themselves, at build time. So the catalog has one source (the
/// migration files) and the pre-EF no-op check's list can never be stale. It also enforces what makes that possible and
/// keeps released migrations frozen: an Up is <c>migrationBuilder.Sql(...)</c> calls with constant SQL only.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class MigrationCatalogGenerator : IIncrementalGenerator
{
    private const string MigrationAttribute = "Microsoft.EntityFrameworkCore.Migrations.MigrationAttribute";
    private const string LedgerNameAttribute = "StreamVault.Data.Migrations.LedgerNameAttribute";

    /// <summary>An Up the generator cannot read as constant SQL: the migration's SQL would not be frozen.</summary>
    public static readonly DiagnosticDescriptor NotFrozen = new(
        "SVMIG001",
        "Migration SQL is not frozen",
        "Migration {0}: its Up must be migrationBuilder.Sql(...) calls with constant SQL (raw string literals), so that its SQL is frozen and checksummed; found: {1}",
        "StreamVault.Migrations",
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    /// <summary>Initialises the generator's pipeline.</summary>
    /// <param name="context">The compiler's context.</param>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var migrations = context.SyntaxProvider.ForAttributeWithMetadataName(
            MigrationAttribute,
            static (node, _) => node is ClassDeclarationSyntax,
            static (attributed, cancellationToken) => Read(attributed, cancellationToken));
        context.RegisterSourceOutput(migrations.Collect(), static (output, all) => Emit(output, all));
    }

    private static MigrationInfo Read(GeneratorAttributeSyntaxContext attributed, CancellationToken cancellationToken)
    {
        var type = (INamedTypeSymbol)attributed.TargetSymbol;
        var id = attributed.Attributes[0].ConstructorArguments.FirstOrDefault().Value as string ?? type.Name;
        var ledgerName = type.GetAttributes()
            .FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == LedgerNameAttribute)?
            .ConstructorArguments.FirstOrDefault().Value as string;

        var statements = new List<string>();
        string? problem = null;
        Location? location = null;
        var up = type.GetMembers("Up").OfType<IMethodSymbol>().FirstOrDefault(m => m.IsOverride);
        var declaration = up?.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) as MethodDeclarationSyntax;
        if (declaration?.Body is not { } body)
        {
            problem = "no Up method with a body";
            location = type.Locations.FirstOrDefault();
        }
        else
        {
            var model = attributed.SemanticModel.Compilation.GetSemanticModel(declaration.SyntaxTree);
            foreach (var statement in body.Statements)
            {
                if (IsArgumentCheck(statement))
                {
                    continue;
                }

                if (statement is ExpressionStatementSyntax { Expression: InvocationExpressionSyntax call }
                    && call.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Sql" }
                    && call.ArgumentList.Arguments.Count > 0
                    && model.GetConstantValue(call.ArgumentList.Arguments[0].Expression, cancellationToken) is { HasValue: true, Value: string sql })
                {
                    statements.Add(sql);
                    continue;
                }

                problem = statement.ToString().Split('\n')[0].Trim();
                location = statement.GetLocation();
                break;
            }
        }

        return new MigrationInfo(
            id, ledgerName ?? id, problem is null ? Checksum(statements) : "", problem, location is null ? null : LocationInfo.From(location));
    }

    private static bool IsArgumentCheck(StatementSyntax statement)
        => statement is ExpressionStatementSyntax { Expression: InvocationExpressionSyntax call }
           && call.Expression.ToString() == "ArgumentNullException.ThrowIfNull";

    /// <summary>
    /// The ledger's checksum: SHA-256 over the SQL EF's PostgreSQL generator makes of the Up (each Sql operation's text
    /// and a line break, as one command), with line endings normalised, each command followed by a line break.
    /// </summary>
    private static string Checksum(IEnumerable<string> statements)
    {
        var text = new StringBuilder();
        foreach (var sql in statements)
        {
            text.Append(NormaliseLineEndings(sql + "\n")).Append('\n');
        }

        using var sha = SHA256.Create();
        var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(text.ToString()));
        return string.Concat(hash.Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
    }

    /// <summary>What .NET's string.ReplaceLineEndings("\n") does.</summary>
    private static string NormaliseLineEndings(string text)
        => text.Replace("\r\n", "\n").Replace('\r', '\n').Replace('\f', '\n').Replace('\u0085', '\n').Replace('\u2028', '\n').Replace('\u2029', '\n');

    private static void Emit(SourceProductionContext output, ImmutableArray<MigrationInfo> migrations)
    {
        foreach (var broken in migrations.Where(m => m.Problem is not null))
        {
            output.ReportDiagnostic(Diagnostic.Create(NotFrozen, broken.Location?.ToLocation(), broken.Id, broken.Problem));
        }

        var source = new StringBuilder();
        source.Append("// <auto-generated/> by StreamVault.Data.Generators (MigrationCatalogGenerator) from the migration classes.\n");
        source.Append("namespace StreamVault.Data.Migrations;\n\n");
        source.Append("internal static partial class KnownMigrations\n{\n");
        source.Append("    public static readonly global::System.Collections.Generic.IReadOnlyList<LedgerEntry> Entries =\n    [\n");
        foreach (var migration in migrations.OrderBy(m => m.Id, StringComparer.Ordinal))
        {
            source.Append("        new(").Append(Literal(migration.Id)).Append(", ").Append(Literal(migration.LedgerName)).Append(", ")
                .Append(Literal(migration.Checksum)).Append("),\n");
        }

        source.Append("    ];\n}\n");
        output.AddSource("KnownMigrations.g.cs", SourceText.From(source.ToString(), Encoding.UTF8));
    }

    private static string Literal(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    /// <summary>One migration as the catalog needs it; equatable, so the pipeline caches it.</summary>
    private sealed record MigrationInfo(string Id, string LedgerName, string Checksum, string? Problem, LocationInfo? Location);

    /// <summary>A diagnostic's location without holding on to the syntax tree.</summary>
    private sealed record LocationInfo(string Path, TextSpan Span, LinePositionSpan Lines)
    {
        public static LocationInfo From(Location location) => new(location.SourceTree?.FilePath ?? "", location.SourceSpan, location.GetLineSpan().Span);

        public Location ToLocation() => Location.Create(Path, Span, Lines);
    }
}

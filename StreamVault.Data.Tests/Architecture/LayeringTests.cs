using ArchUnitNET.Domain;
using ArchUnitNET.Loader;
using Xunit;

namespace StreamVault.Data.Tests.Architecture;

/// <summary>
/// StreamVault.Data's dependencies run one way (issue #22), so a newcomer can learn one layer at a time:
/// Contract ← Model (Entities, Configurations, the context) ← Migrations (and the catalog) ← Ledger ← Engine ← Operations
/// ← Hosting, Design and the public entry points. A type may use its own layer and the ones before it, never a later one.
/// </summary>
public sealed class LayeringTests
{
    private const string Root = "StreamVault.Data";

    /// <summary>Public types of the root namespace that wire the layers together for a caller: they sit on top.</summary>
    private static readonly HashSet<string> EntryPoints = new(StringComparer.Ordinal)
    {
        "StreamVaultDatabase", "StreamVaultUpToDateCheck", "StreamVaultHostingExtensions",
    };

    /// <summary>The root namespace's part of the model.</summary>
    private static readonly HashSet<string> ModelTypes = new(StringComparer.Ordinal) { "StreamVaultDbContext" };

    /// <summary>The layers in order; a type belongs to the first layer whose test it passes.</summary>
    private static readonly (string Name, Func<IType, bool> Contains)[] Layers =
    [
        ("Contract", t => Ns(t) == Root && !EntryPoints.Contains(t.Name) && !ModelTypes.Contains(t.Name)),
        ("Model", t => InNamespace(t, "Entities") || InNamespace(t, "Configurations") || (Ns(t) == Root && ModelTypes.Contains(t.Name))),
        ("Migrations", t => InNamespace(t, "Migrations")),
        ("Ledger", t => InNamespace(t, "Ledger")),
        ("Engine", t => InNamespace(t, "Engine")),
        ("Operations", t => InNamespace(t, "Operations")),
        ("Hosting", t => InNamespace(t, "Hosting") || InNamespace(t, "Design") || (Ns(t) == Root && EntryPoints.Contains(t.Name))),
    ];

    private static readonly Lazy<ArchUnitNET.Domain.Architecture> Library = new(() =>
        new ArchLoader().LoadAssemblies(typeof(StreamVaultDbContext).Assembly).Build());

    [Fact]
    public void Every_type_of_the_library_belongs_to_a_layer()
    {
        var unplaced = OwnTypes().Where(t => LayerOf(t) < 0).Select(t => t.FullName).ToList();
        Assert.True(unplaced.Count == 0, "types in no layer (add their namespace to LayeringTests.Layers): " + string.Join(", ", unplaced));
    }

    [Fact]
    public void No_type_depends_on_a_later_layer()
    {
        var violations = UpwardDependencies(OwnTypes()).ToList();
        Assert.True(violations.Count == 0, "dependencies against the layering:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void A_planted_upward_dependency_is_reported()
    {
        // The rule's own check: a Migrations type that used the engine is exactly what it must refuse.
        var migrationsType = OwnTypes().First(t => LayerOf(t) == Index("Migrations"));
        var engineType = OwnTypes().First(t => LayerOf(t) == Index("Engine"));
        var found = Violation(migrationsType, engineType);
        Assert.Equal($"{migrationsType.FullName} (Migrations) -> {engineType.FullName} (Engine)", found);
    }

    /// <summary>Each violation as "from (layer) -> to (layer)", once per pair of types.</summary>
    internal static IEnumerable<string> UpwardDependencies(IEnumerable<IType> types)
        => types
            .SelectMany(type => type.Dependencies
                .Select(d => d.Target)
                .Where(IsOwn)
                .Select(target => Violation(type, target)))
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);

    private static string? Violation(IType from, IType to)
    {
        var source = LayerOf(from);
        var target = LayerOf(to);
        return target > source ? $"{from.FullName} ({Layers[source].Name}) -> {to.FullName} ({Layers[target].Name})" : null;
    }

    private static IEnumerable<IType> OwnTypes() => Library.Value.Types.Where(IsOwn);

    // Compiler-generated types (closures, state machines, <PrivateImplementationDetails>) belong to the type that made them.
    private static bool IsOwn(IType type)
        => Ns(type).StartsWith(Root, StringComparison.Ordinal) && !type.Name.Contains('<', StringComparison.Ordinal);

    private static string Ns(IType type) => type.Namespace?.FullName ?? "";

    private static int LayerOf(IType type) => Array.FindIndex(Layers, l => l.Contains(type));

    private static int Index(string layer) => Array.FindIndex(Layers, l => l.Name == layer);

    private static bool InNamespace(IType type, string child)
        => Ns(type) == $"{Root}.{child}" || Ns(type).StartsWith($"{Root}.{child}.", StringComparison.Ordinal);
}

using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.EntityFrameworkCore.Migrations;

namespace StreamVault.Data.Tests.Design;

/// <summary>
/// A generated migration file compiled with Roslyn in-process (C# warnings are errors, as in the project) and instantiated:
/// its Up and Down operations are what the file's text really says, which is what the rules and the database tests read.
/// The project's analyzers judge the file in the scaffold test, which builds a copy of the project.
/// </summary>
public static class CompiledMigration
{
    private static readonly Lazy<MetadataReference[]> References = new(() =>
    [
        .. AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => !a.IsDynamic && a.Location.Length > 0)
            .Select(a => (MetadataReference)MetadataReference.CreateFromFile(a.Location)),
    ]);

    public static Migration Compile(GeneratedCode generated)
    {
        ArgumentNullException.ThrowIfNull(generated);

        // Loaded before the references are collected, so that they are among them.
        _ = typeof(Migration).Assembly;
        _ = typeof(StreamVaultDbContext).Assembly;
        var compilation = CSharpCompilation.Create(
            "Generated_" + generated.Name + "_" + Guid.NewGuid().ToString("N"),
            [
                CSharpSyntaxTree.ParseText(generated.Code, path: generated.Name + ".cs"),
                // What the project's ImplicitUsings give every file.
                CSharpSyntaxTree.ParseText("global using System;"),
            ],
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        var problems = result.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        if (!result.Success || problems.Count > 0)
        {
            throw new InvalidOperationException(
                $"the generated migration {generated.Name} does not compile cleanly:\n{string.Join('\n', problems)}\n\n{generated.Code}");
        }

        var assembly = Assembly.Load(image.ToArray());
        var type = assembly.GetType(GeneratorHarness.Namespace + "." + generated.Name, throwOnError: true)!;
        return (Migration)Activator.CreateInstance(type)!;
    }
}

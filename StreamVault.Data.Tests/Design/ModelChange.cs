using Microsoft.EntityFrameworkCore;

namespace StreamVault.Data.Tests.Design;

/// <summary>A change to StreamVault's model, as a developer would make it in an entity configuration, with a name of its own.</summary>
/// <param name="Name">Names the change (and its model in EF's model cache).</param>
/// <param name="Apply">Runs after the project's own configurations.</param>
public sealed record ModelChange(string Name, Action<ModelBuilder> Apply)
{
    public override string ToString() => Name;
}

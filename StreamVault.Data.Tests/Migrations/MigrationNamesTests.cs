using StreamVault.Data.Migrations;
using Xunit;

namespace StreamVault.Data.Tests.Migrations;

/// <summary>migrate &lt;target&gt; and mark-applied take a migration by the same rule.</summary>
public sealed class MigrationNamesTests
{
    [Theory]
    [InlineData("20250620000000_AddPushSubscriptions")]
    [InlineData("20250620000000_addpushsubscriptions")]
    [InlineData("AddPushSubscriptions")]
    [InlineData("ADDPUSHSUBSCRIPTIONS")]
    [InlineData("20250620_add_push_subscriptions")]
    [InlineData("20250620_ADD_PUSH_SUBSCRIPTIONS")]
    public void Every_form_of_a_name_resolves_to_the_ef_id(string name)
        => Assert.Equal("20250620000000_AddPushSubscriptions", MigrationNames.Resolve(Infrastructure.Migrations.All(), name));

    [Theory]
    [InlineData("AddPushSubscription")]
    [InlineData("20250620")]
    [InlineData("add_push_subscriptions")]
    public void Anything_else_resolves_to_nothing(string name)
        => Assert.Null(MigrationNames.Resolve(Infrastructure.Migrations.All(), name));
}

using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.MigrationsBundle;

/// <summary>
/// The order of the connection sources is coded once in .NET (<see cref="ConnectionSources"/>, which streamvault-db and the
/// design-time factory use); migrate.sh decides before the CLI exists whether to start a local server, so it keeps the same
/// order in shell, held to the .NET one here for every combination of the four sources (blank values included).
/// </summary>
public sealed class ConnectionOrderTests
{
    private static readonly string?[] Values = [null, "   ", "Host=given"];

    public static TheoryData<string?, bool, string?, bool> Combinations()
    {
        var data = new TheoryData<string?, bool, string?, bool>();
        foreach (var option in Values)
        {
            foreach (var fileOption in new[] { false, true })
            {
                foreach (var variable in Values)
                {
                    foreach (var fileVariable in new[] { false, true })
                    {
                        data.Add(option, fileOption, variable, fileVariable);
                    }
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public async Task Migrate_sh_takes_the_connection_from_the_source_dotnet_takes_it_from(
        string? option, bool fileOption, string? variable, bool fileVariable)
    {
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, "Host=from-file\n", TestContext.Current.CancellationToken);
        try
        {
            var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                [StreamVaultDatabase.ConnectionEnvironmentVariable] = variable,
                [StreamVaultDatabase.ConnectionFileEnvironmentVariable] = fileVariable ? file : null,
            };
            string[] arguments =
            [
                Path.Combine(RepositoryTools.Root, "migrations-bundle", "migrate.sh"), "--which-connection",
                .. option is null ? Array.Empty<string>() : ["--connection", option],
                .. fileOption ? ["--connection-file", file] : Array.Empty<string>(),
            ];

            string expected;
            try
            {
                expected = ConnectionSources.Resolve(option, fileOption ? file : null, name => environment.GetValueOrDefault(name))?.Source
                           ?? "the local server";
            }
            catch (InvalidOperationException conflict)
            {
                expected = "migrate.sh: " + conflict.Message;
            }

            var run = await ProcessRunner.RunAsync("bash", arguments, environment);

            Assert.Equal(expected, (run.ExitCode == 0 ? run.StandardOutput : run.StandardError).TrimEnd('\n'));
            Assert.Equal(expected.StartsWith("migrate.sh: ", StringComparison.Ordinal) ? 2 : 0, run.ExitCode);
        }
        finally
        {
            File.Delete(file);
        }
    }
}

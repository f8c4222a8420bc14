using System.Text;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Ci;

/// <summary>
/// .ci/failures.sh: the end of a CI log names every failed test and the start of its message (docs/testing.md, CI), from
/// the TRX reports the main run and the matrix write.
/// </summary>
public sealed class FailureListTests
{
    private static readonly string Script = Path.Combine(RepositoryTools.Root, ".ci", "failures.sh");

    [Fact]
    public async Task Lists_each_failed_test_with_the_first_four_lines_of_its_message_and_skips_passed_ones_and_missing_reports()
    {
        var folder = Directory.CreateTempSubdirectory("failures-");
        try
        {
            var main = Path.Combine(folder.FullName, "Main.trx");
            await File.WriteAllTextAsync(main, Report(
                Result("Suite.Passes", failed: false, message: null),
                Result("Suite.Theory(state: &quot;a&lt;b&quot;)", failed: true,
                    message: "Assert.Equal() Failure\nExpected: &quot;x &amp; y&quot;\nActual:   3\nline four\nline five")), TestContext.Current.CancellationToken);
            var matrix = Path.Combine(folder.FullName, "pg13.trx");
            await File.WriteAllTextAsync(matrix, Report(Result("Suite.Single", failed: true, message: "one line")), TestContext.Current.CancellationToken);

            var run = await ProcessRunner.RunAsync("bash", [Script, main, Path.Combine(folder.FullName, "*.none"), matrix]);

            Assert.Equal(0, run.ExitCode);
            Assert.Equal("", run.StandardError);
            Assert.Equal(
                "  Main.trx: Suite.Theory(state: \"a<b\")\n" +
                "      Assert.Equal() Failure\n" +
                "      Expected: \"x & y\"\n" +
                "      Actual:   3\n" +
                "      line four\n" +
                "  pg13.trx: Suite.Single\n" +
                "      one line\n",
                run.StandardOutput);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Names_ten_failed_tests_and_counts_the_rest()
    {
        var folder = Directory.CreateTempSubdirectory("failures-");
        try
        {
            var report = Path.Combine(folder.FullName, "Main.trx");
            await File.WriteAllTextAsync(report, Report(Enumerable.Range(1, 13)
                .Select(i => Result($"Suite.Test{i}", failed: true, message: "m")).ToArray()), TestContext.Current.CancellationToken);

            var run = await ProcessRunner.RunAsync("bash", [Script, report]);

            Assert.Equal(0, run.ExitCode);
            var lines = run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(
                Enumerable.Range(1, 10).Select(i => $"  Main.trx: Suite.Test{i}").ToList(),
                lines.Where(l => l.StartsWith("  Main.trx: ", StringComparison.Ordinal)).ToList());
            Assert.Equal("  ... and 3 more failed tests (see the reports)", lines[^1]);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>The shape of a TRX report as dotnet test writes it: one UnitTestResult element per test, the message inside.</summary>
    private static string Report(params string[] results)
    {
        var text = new StringBuilder();
        text.Append("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<TestRun xmlns=\"http://microsoft.com/schemas/VisualStudio/TeamTest/2010\">\n  <Results>\n");
        foreach (var result in results)
        {
            text.Append(result);
        }

        text.Append("  </Results>\n  <ResultSummary outcome=\"Failed\">\n    <Counters total=\"1\" passed=\"0\" failed=\"1\" />\n  </ResultSummary>\n</TestRun>\n");
        return text.ToString();
    }

    private static string Result(string escapedName, bool failed, string? message)
    {
        var outcome = failed ? "Failed" : "Passed";
        var attributes = $"executionId=\"e\" testId=\"t\" testName=\"{escapedName}\" computerName=\"vm\" duration=\"00:00:01\" outcome=\"{outcome}\" testListId=\"l\"";
        // A passed test's element is empty, as dotnet test writes it.
        return message is null
            ? $"    <UnitTestResult {attributes} />\n"
            : $"    <UnitTestResult {attributes}>\n      <Output>\n        <ErrorInfo>\n          <Message>{message}</Message>\n          <StackTrace>   at Suite.Method()</StackTrace>\n        </ErrorInfo>\n      </Output>\n    </UnitTestResult>\n";
    }
}

using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using StreamVault.Cli;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Cli;

/// <summary>migrate's progress lines during a long index build (in-process, output not a terminal), and the health check meanwhile.</summary>
public sealed class MigrateProgressTests
{
    private const int Streams = 500_000;

    [Fact]
    public async Task Long_index_build_prints_its_phase_and_percentage_every_10_s_and_the_health_check_is_degraded_meanwhile()
    {
        await using var database = await StartingStates.CreateWithBulkStreamsAsync(StartingStates.PreJune2025, Streams);
        Assert.True(await database.ScalarAsync<long>("SELECT count(*) FROM streams") >= Streams);
        await using var held = await HeldIndexBuild.OpenAsync(database.ConnectionString);
        // Another process's view of the run: an app's health check, from the database (the run lock and the build's progress).
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddStreamVaultData(database.ConnectionString);
        services.AddHealthChecks().AddStreamVaultMigrationsHealthCheck();
        await using var provider = services.BuildServiceProvider();
        var health = provider.GetRequiredService<HealthCheckService>();

        var clock = Stopwatch.StartNew();
        using var error = new SharedText();
        var running = InProcessCli.RunAsync(["migrate", "--connection", database.ConnectionString], timeout: TimeSpan.FromMinutes(10), error: error);
        var build = await held.WaitUntilHeldAsync(database.ConnectionString, running);
        var line = build.Line;
        var during = (await health.CheckHealthAsync(TestContext.Current.CancellationToken)).Entries["streamvault-migrations"];
        // Held until two 10 s marks have printed the build's line (each from a reading under 3 s old), however long a busy
        // machine takes to get there.
        while (ProgressLines(error.ToString(), line) < 2)
        {
            Assert.False(running.IsCompleted, $"the run ended while its build was held:\n{error}");
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(3), $"expected two lines '{line}' within 3 min:\n{error}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        await held.ReleaseAsync();
        var run = await running;
        var elapsed = clock.Elapsed;

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal("streams", build.Table);
        var errorLines = run.StandardError.Split('\n');
        // One line per 10 s mark of a migration: the build's line stands in for "still running" while there is a build to
        // read, never both (other steps of the run, between builds, say "still running"). The marks of all migrations
        // together are at most the run's seconds / 10.
        var marks = errorLines.Count(l => l.StartsWith("building ", StringComparison.Ordinal) || l.StartsWith("still running ", StringComparison.Ordinal));
        Assert.True(marks <= (int)(elapsed.TotalSeconds / 10), $"{marks} progress lines in {elapsed.TotalSeconds:0} s:\n{run.StandardError}");
        Assert.Equal(HealthStatus.Degraded, during.Status);
        Assert.Equal("Migration running in another session: " + line, during.Description);
        Assert.Equal(Math.Floor(build.Percent), during.Data["percent"]);
    }

    private static int ProgressLines(string error, string line) => error.Split('\n').Count(l => l == line);

    [Fact]
    public async Task On_a_terminal_the_build_is_one_live_line_rewritten_in_place_and_cleared_when_the_migration_finishes()
    {
        await using var database = await StartingStates.CreateWithBulkStreamsAsync(StartingStates.PreJune2025, Streams);
        await using var held = await HeldIndexBuild.OpenAsync(database.ConnectionString);
        using var output = new StringWriter();
        using var error = new SharedText();
        // Synchronized as the console is: a WriteLine from one thread stays whole beside another thread's writes.
        var progress = new ConsoleProgress(TextWriter.Synchronized(output), TextWriter.Synchronized(error), live: true);

        var running = Infrastructure.Migrations.MigrateAsync(database.ConnectionString, options: new StreamVaultDataOptions { Progress = progress });
        var build = await held.WaitUntilHeldAsync(database.ConnectionString, running);
        // The live line shows the build: carriage return, the line with the step's seconds, erase to the end of the line (a
        // tick each second, from a reading under 3 s old). Held until it has been drawn, however long a busy machine takes.
        var drawn = new Regex($@"\r{Regex.Escape(build.Line)} \(\d+ s\)\u001b\[K");
        var clock = Stopwatch.StartNew();
        while (!drawn.IsMatch(error.ToString()))
        {
            Assert.False(running.IsCompleted, $"the run ended while its build was held: {error}");
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(1), $"no live line of the held build in a minute: {error}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        await held.ReleaseAsync();
        await running;
        progress.Complete();
        progress.Dispose();

        var live = error.ToString();
        // Never a new line; cleared at the end.
        Assert.DoesNotContain("\n", live, StringComparison.Ordinal);
        Assert.EndsWith("\r\u001b[K", live, StringComparison.Ordinal);
        Assert.Contains("Applied  ", output.ToString(), StringComparison.Ordinal);
    }
}

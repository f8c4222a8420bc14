using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using StreamVault.Data;
using StreamVault.Data.Engine;
using StreamVault.Data.Migrations;

namespace StreamVault.Cli.Commands;

/// <summary><c>streamvault-db migrate [target]</c>: the same engine as dotnet ef, the bundle and the app.</summary>
internal static class MigrateCommand
{
    public static Command Create()
    {
        var target = new Argument<string?>("target")
        {
            Description = "Migration to migrate to (id or name; 0 reverts all). Default: the latest.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        // Without this an unknown option after "migrate" would be taken for the target.
        target.Validators.Add(result =>
        {
            if (result.Tokens is [{ Value: var value }] && value.StartsWith('-'))
            {
                result.AddError($"unknown option '{value}'");
            }
        });
        var createDatabase = new Option<bool>("--create-database")
        {
            Description = "Create the database if it does not exist (without it, a missing database is refused: exit 3)",
        };
        var command = new Command("migrate", "Apply pending migrations, or migrate up or down to a target") { target, createDatabase };
        command.SetAction((parseResult, cancellationToken) => CliSession.RunAsync(
            parseResult, session => RunAsync(session, parseResult.GetValue(target), parseResult.GetValue(createDatabase), cancellationToken)));
        return command;
    }

    private static async Task<int> RunAsync(CliSession session, string? target, bool createDatabase, CancellationToken cancellationToken)
    {
        var connectionString = session.ConnectionString;
        // A live line only where stderr is the console and a terminal; a test's writer or a redirected log gets plain lines.
        using var progress = new ConsoleProgress(
            session.Out, session.Error, live: ReferenceEquals(session.Error, Console.Error) && !Console.IsErrorRedirected);
        // Before EF exists: an up-to-date database costs one connection and one statement (issue #13).
        if (target is null && await QuickAnswers.MigrateIsNoOpAsync(connectionString, session.Out, session.DataOptions(progress), cancellationToken))
        {
            return ExitCodes.Ok;
        }

        await using var context = StreamVaultDatabase.CreateContext(
            connectionString, session.DataOptions(progress) with { CreateDatabaseIfMissing = createDatabase });
        if (target is not null && target != "0")
        {
            target = MigrationNames.Resolve(context.Database.GetMigrations(), target) ?? throw new CliException($"unknown migration '{target}'");
        }

        if (target is not null)
        {
            await session.Out.WriteLineAsync(QuickAnswers.MigratingLine(connectionString));
        }

        try
        {
            await context.Database.MigrateAsync(target, cancellationToken);
        }
        catch (Exception failure)
        {
            // An interrupted migration did not fail: it was rolled back, and the next run applies it.
            var interrupted = failure is MigrationInterruptedException;
            progress.Fail(interrupted);
            if (progress.Current is not null || progress.Succeeded > 0)
            {
                var current = progress.Current is null ? 0 : 1;
                await session.Out.WriteLineAsync(interrupted
                    ? $"Migration summary: {progress.Succeeded} successful, {current} interrupted"
                    : $"Migration summary: {progress.Succeeded} successful, {current} failed");
            }

            throw;
        }

        progress.Complete();
        // One closing line: a run that changed nothing says so instead of a summary of zeros (as the README documents).
        await session.Out.WriteLineAsync(progress.Succeeded == 0
            ? QuickAnswers.UpToDateLine
            : $"Migration summary: {progress.Succeeded} successful, 0 failed");
        return ExitCodes.Ok;
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using StreamVault.Data.Engine;
using Xunit;

namespace StreamVault.Data.Tests.Engine;

/// <summary>
/// The statement parser that <c>plan</c> and <c>migrate</c>'s skipped-statement count share. No database: it reads SQL.
/// </summary>
public sealed class StatementParserTests
{
    [Fact]
    public void Every_statement_of_every_migration_parses_up_and_down()
    {
        using var context = StreamVaultDatabase.CreateContext("Host=unused");
        var migrations = context.GetService<IMigrationsAssembly>();
        var generator = context.GetService<IMigrationsSqlGenerator>();
        var provider = context.Database.ProviderName!;

        var parsed = 0;
        foreach (var id in context.Database.GetMigrations())
        {
            var migration = migrations.CreateMigration(migrations.Migrations[id], provider);
            foreach (var command in generator.Generate(migration.UpOperations).Concat(generator.Generate(migration.DownOperations)))
            {
                var statement = StatementParser.Parse(command.CommandText, !command.TransactionSuppressed);
                Assert.Equal(command.CommandText, statement.Sql);
                parsed++;
            }
        }

        Assert.True(parsed > context.Database.GetMigrations().Count(), $"{parsed} statements");
    }

    [Fact]
    public void A_comment_before_a_block_for_an_absent_table_does_not_shift_which_clauses_the_block_holds()
    {
        // A comment longer than the block: blanking it to one space once moved the block past the index after it.
        var comment = "-- " + new string('x', 400);
        var sql = $"""
            DO $block$
            BEGIN
                {comment}
                IF to_regclass('recordings') IS NULL THEN
                    CREATE INDEX ix_recordings_stream_id ON recordings (stream_id);
                END IF;
                CREATE INDEX IF NOT EXISTS ix_streams_title ON streams (title);
            END
            $block$;
            """;

        var clauses = StatementParser.Parse(sql, transactional: true).Clauses;

        Assert.Equal(
            [("ix_recordings_stream_id", "recordings"), ("ix_streams_title", null)],
            clauses.Where(c => c.Kind == ClauseKind.CreateIndex).Select(c => (c.Name, c.OnlyWhenAbsent)));
    }
}

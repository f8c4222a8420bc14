using System.Security.Cryptography;
using System.Text.Json;
using Npgsql;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Engine;

/// <summary>
/// Roles: the database owner without superuser migrates everything (and validate falls back to its snapshot); a role
/// lacking rights is refused before anything changes, in one line naming the role, the object and whose role to use;
/// and with nothing to do even a DML-only role's run succeeds (the no-op only reads).
/// </summary>
public sealed class RoleTests
{
    private const string Password = "role-test-password";

    [Fact]
    public async Task The_database_owner_without_superuser_migrates_a_june_2025_database_and_validate_falls_back_to_the_snapshot()
    {
        // Roles first: disposed last, after the database they own is dropped.
        await using var owner = await Role.CreateAsync("sv_owner");
        await using var db = await StartingStates.CreateAsync(StartingStates.June2025);
        await GiveAwayAsync(db, owner.Name);
        var asOwner = await ConnectionStringAsync(db, owner.Name);

        var migrate = await InProcessCli.RunAsync(["migrate", "--connection", asOwner]);
        var validate = await InProcessCli.RunAsync(["validate", "--json", "--connection", asOwner]);

        Assert.True(migrate.ExitCode == 0, migrate.Output);
        Assert.Equal(Infrastructure.Migrations.All(), await LedgerReader.HistoryAsync(db.ConnectionString));
        Assert.True(validate.ExitCode == 0, validate.Output);
        using var report = JsonDocument.Parse(validate.StandardOutput);
        Assert.Equal("snapshot", report.RootElement.GetProperty("expectedShapeSource").GetString());
    }

    [Fact]
    public async Task A_dml_only_role_is_refused_naming_the_role_the_schema_and_the_database_owner()
    {
        await using var owner = await Role.CreateAsync("sv_owner");
        await using var dml = await Role.CreateAsync("sv_rw");
        await using var db = await StartingStates.CreateAsync(StartingStates.Empty);
        await GiveAwayAsync(db, owner.Name);
        await db.ExecuteSqlAsync($"""
            REVOKE CREATE ON SCHEMA public FROM PUBLIC;
            GRANT USAGE ON SCHEMA public TO {dml.Name};
            ALTER DEFAULT PRIVILEGES FOR ROLE {owner.Name} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {dml.Name}
            """);

        var asDml = await ConnectionStringAsync(db, dml.Name);
        var expected = $"role \"{dml.Name}\" cannot create in schema public; run migrations as the owner of database \"{db.Name}\" (role \"{owner.Name}\")";

        var run = await InProcessCli.RunAsync(["migrate", "--connection", asDml]);
        var inProcess = await Assert.ThrowsAsync<MigrationRefusedException>(() => Infrastructure.Migrations.MigrateAsync(asDml));

        AssertRefused(run, "streamvault-db: " + expected);
        Assert.Equal(expected, inProcess.Message);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace"));
    }

    [Fact]
    public async Task A_role_that_does_not_own_the_tables_is_refused_naming_the_table_and_its_owner_and_runs_the_no_op_once_migrated()
    {
        await using var owner = await Role.CreateAsync("sv_owner");
        await using var writer = await Role.CreateAsync("sv_rw");
        await using var db = await StartingStates.CreateAsync(StartingStates.June2025);
        await GiveAwayAsync(db, owner.Name);
        // May create in the schema, and read and write every table, but owns none of them.
        await db.ExecuteSqlAsync($"""
            GRANT CREATE, USAGE ON SCHEMA public TO {writer.Name};
            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {writer.Name};
            ALTER DEFAULT PRIVILEGES FOR ROLE {owner.Name} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {writer.Name}
            """);
        var asWriter = await ConnectionStringAsync(db, writer.Name);
        var tablesBefore = await db.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace");

        var expected = $"role \"{writer.Name}\" cannot alter table applied_migrations, which migrations change; run migrations as the owner of table applied_migrations (role \"{owner.Name}\")";

        var refused = await InProcessCli.RunAsync(["migrate", "--connection", asWriter]);
        var inProcess = await Assert.ThrowsAsync<MigrationRefusedException>(() => Infrastructure.Migrations.MigrateAsync(asWriter));

        AssertRefused(refused, "streamvault-db: " + expected);
        Assert.Equal(expected, inProcess.Message);
        Assert.Equal(tablesBefore, await db.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace"));

        var byOwner = await InProcessCli.RunAsync(["migrate", "--connection", await ConnectionStringAsync(db, owner.Name)]);
        var noOp = await InProcessCli.RunAsync(["migrate", "--connection", asWriter]);

        Assert.True(byOwner.ExitCode == 0, byOwner.Output);
        Assert.True(noOp.ExitCode == 0, noOp.Output);
        Assert.Equal("Database is up to date", noOp.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
    }

    private static void AssertRefused(ToolResult run, string line)
    {
        Assert.True(run.ExitCode == 1, $"exit {run.ExitCode}:\n{run.Output}");
        Assert.Equal([line], run.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("   at ", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, run.Output, StringComparison.Ordinal);
    }

    /// <summary>Makes <paramref name="role"/> the owner of the database and of every table, as the app's own role is.</summary>
    private static Task GiveAwayAsync(TestDatabase db, string role)
        => db.ExecuteSqlAsync($$"""
            ALTER DATABASE {{Sql.Identifier(db.Name)}} OWNER TO {{role}};
            DO $$
            DECLARE t record;
            BEGIN
                FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP
                    EXECUTE format('ALTER TABLE public.%I OWNER TO {{role}}', t.tablename);
                END LOOP;
            END $$
            """);

    private static async Task<string> ConnectionStringAsync(TestDatabase db, string role)
    {
        var server = await PostgresServer.GetAsync();
        return new NpgsqlConnectionStringBuilder(server.ConnectionStringFor(db.Name)) { Username = role, Password = Password }.ConnectionString;
    }

    /// <summary>A login role of the test server (roles are server-wide, so the name is unique), dropped afterwards.</summary>
    private sealed class Role : IAsyncDisposable
    {
        private Role(string name) => Name = name;

        public string Name { get; }

        public static async Task<Role> CreateAsync(string prefix)
        {
            var role = new Role(prefix + "_" + RandomNumberGenerator.GetHexString(6, lowercase: true));
            var server = await PostgresServer.GetAsync();
            await Sql.ExecuteAsync(server.AdminConnectionString,
                $"CREATE ROLE {role.Name} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '{Password}'");
            return role;
        }

        public async ValueTask DisposeAsync()
        {
            // The test database is dropped after this; what the role owns there goes with it, the rest is reassigned.
            var server = await PostgresServer.GetAsync();
            NpgsqlConnection.ClearAllPools();
            await Sql.ExecuteAsync(server.AdminConnectionString, $"DROP OWNED BY {Name}; DROP ROLE IF EXISTS {Name}");
        }
    }
}

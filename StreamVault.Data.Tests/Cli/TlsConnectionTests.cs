using System.Security.Cryptography;
using StreamVault.Data.Tests.Infrastructure;
using Xunit;

namespace StreamVault.Data.Tests.Cli;

/// <summary>
/// streamvault-db (in-process) against a server that accepts TLS logins only, with a certificate from a self-signed CA:
/// SSL Mode=Require encrypts, VerifyFull with the CA file verifies, the wrong CA is one line and exit 3, and the
/// password never shows.
/// </summary>
public sealed class TlsConnectionTests
{
    [Fact]
    public async Task Ssl_mode_require_migrates_over_tls()
    {
        var server = await TlsServer.GetAsync();
        await using var database = await CreateDatabaseAsync(server);

        var run = await MigrateAsync(server.With("SSL Mode=Require", database.Name));

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains($"Migration summary: {Infrastructure.Migrations.All().Count} successful, 0 failed", run.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(TlsServer.Password, run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ssl_mode_verify_full_with_the_ca_file_migrates()
    {
        var server = await TlsServer.GetAsync();
        await using var database = await CreateDatabaseAsync(server);

        var run = await MigrateAsync(server.With($"SSL Mode=VerifyFull;Root Certificate={server.CaFile}", database.Name));

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains($"Migration summary: {Infrastructure.Migrations.All().Count} successful, 0 failed", run.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(TlsServer.Password, run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ssl_mode_verify_full_with_the_wrong_ca_exits_3_in_one_line_without_the_password()
    {
        var server = await TlsServer.GetAsync();

        var run = await MigrateAsync(server.With($"SSL Mode=VerifyFull;Root Certificate={server.OtherCaFile}"));

        Assert.True(run.ExitCode == 3, run.Output);
        Assert.Equal(
            [$"streamvault-db: cannot connect to 127.0.0.1:{server.PortText}: the server's TLS certificate was rejected (not issued by the Root Certificate, or not for this host name)"],
            run.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain(TlsServer.Password, run.Output, StringComparison.Ordinal);
    }

    /// <summary>The server really refuses plain connections, so the passing tests above did use TLS.</summary>
    [Fact]
    public async Task Unencrypted_login_is_refused_by_the_tls_only_server()
    {
        var server = await TlsServer.GetAsync();

        var run = await MigrateAsync(server.With("SSL Mode=Disable"));

        Assert.True(run.ExitCode == 3, run.Output);
        Assert.Equal(
            ["streamvault-db: no pg_hba.conf entry for host \"127.0.0.1\", user \"postgres\", database \"postgres\", no encryption"],
            run.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private static Task<ToolResult> MigrateAsync(string connectionString) => InProcessCli.RunAsync(["migrate", "--connection", connectionString]);

    private static async Task<TlsDatabase> CreateDatabaseAsync(TlsServer.Started server)
    {
        var name = "sv_tls_" + RandomNumberGenerator.GetHexString(8, lowercase: true);
        await Sql.ExecuteAsync(server.With("SSL Mode=Require"), $"CREATE DATABASE {Sql.Identifier(name)}");
        return new TlsDatabase(server, name);
    }

    private sealed record TlsDatabase(TlsServer.Started Server, string Name) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Sql.ClearPool(Server.With("SSL Mode=Require", Name));
            await Sql.ExecuteAsync(Server.With("SSL Mode=Require"), $"DROP DATABASE IF EXISTS {Sql.Identifier(Name)} WITH (FORCE)");
        }
    }
}

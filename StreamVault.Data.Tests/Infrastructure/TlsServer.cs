using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace StreamVault.Data.Tests.Infrastructure;

/// <summary>
/// A throwaway cluster that accepts only TLS connections (hostssl, scram-sha-256), with a server certificate for
/// 127.0.0.1 issued by a self-signed test CA, both made with openssl; started once for the TLS tests. A second,
/// unrelated CA stands for "the wrong CA file". Without openssl or the server binaries the tests fail, never skip.
/// </summary>
public static class TlsServer
{
    public const string Password = "Tls-Pw-4d1e8b-secret";

    private static readonly Lazy<Task<Started>> Instance = new(() => Task.Run(StartAsync));

    /// <summary>The running server: its base connection string (no SSL settings), the CA file, and the wrong CA file.</summary>
    public static Task<Started> GetAsync() => Instance.Value;

    private static async Task<Started> StartAsync()
    {
        var cluster = LocalCluster.StartOwn(Password, stopAtExit: true);
        var certificates = Directory.CreateTempSubdirectory("streamvault-tls-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(certificates, recursive: true);

        var ca = Path.Combine(certificates, "ca.pem");
        var otherCa = Path.Combine(certificates, "other-ca.pem");
        SelfSignedCa(certificates, "ca", "StreamVault Test CA");
        SelfSignedCa(certificates, "other-ca", "Unrelated Test CA");
        var serverKey = Path.Combine(cluster.DataDirectory, "server.key");
        var serverCertificate = Path.Combine(cluster.DataDirectory, "server.crt");
        var extensions = Path.Combine(certificates, "server.ext");
        await File.WriteAllTextAsync(extensions, "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n");
        var request = Path.Combine(certificates, "server.csr");
        OpenSsl(certificates, "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", serverKey, "-out", request, "-subj", "/CN=127.0.0.1");
        OpenSsl(certificates, "x509", "-req", "-in", request, "-CA", ca, "-CAkey", Path.Combine(certificates, "ca.key"), "-CAcreateserial",
            "-days", "2", "-out", serverCertificate, "-extfile", extensions);
        // PostgreSQL refuses a key that others can read, or (as the postgres user) one it does not own.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(serverKey, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        ServiceUser.Own(serverKey, serverCertificate);

        // SSL and pg_hba.conf are reloadable (PostgreSQL 10+): no restart, the cluster harness stays as it is.
        // One statement each: ALTER SYSTEM refuses to run in the implicit transaction of a multi-statement batch.
        await Sql.ExecuteAsync(cluster.ConnectionString, $"ALTER SYSTEM SET ssl_cert_file = '{serverCertificate}'");
        await Sql.ExecuteAsync(cluster.ConnectionString, $"ALTER SYSTEM SET ssl_key_file = '{serverKey}'");
        await Sql.ExecuteAsync(cluster.ConnectionString, "ALTER SYSTEM SET ssl = on");
        await File.WriteAllTextAsync(
            Path.Combine(cluster.DataDirectory, "pg_hba.conf"),
            "local all all scram-sha-256\nhostssl all all 127.0.0.1/32 scram-sha-256\n");
        await Sql.ExecuteAsync(cluster.ConnectionString, "SELECT pg_reload_conf()");

        var started = new Started(cluster.ConnectionString, ca, otherCa);
        await WaitForTlsAsync(started.With("SSL Mode=Require"));
        return started;
    }

    /// <summary>
    /// The postmaster applies a reload asynchronously: wait until a TLS login works, for up to a minute (a busy 2-core
    /// machine can take seconds).
    /// </summary>
    private static async Task WaitForTlsAsync(string connectionString)
    {
        for (var clock = Stopwatch.StartNew(); ;)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", connection);
                if ((bool)(await command.ExecuteScalarAsync())!)
                {
                    return;
                }
            }
            catch (NpgsqlException) when (clock.Elapsed < TimeSpan.FromMinutes(1))
            {
            }

            if (clock.Elapsed >= TimeSpan.FromMinutes(1))
            {
                throw new InvalidOperationException("the TLS test server did not start accepting TLS connections within a minute");
            }

            await Task.Delay(200);
        }
    }

    private static void SelfSignedCa(string directory, string name, string commonName)
        => OpenSsl(directory, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-keyout", Path.Combine(directory, name + ".key"), "-out", Path.Combine(directory, name + ".pem"),
            "-subj", "/CN=" + commonName, "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");

    private static void OpenSsl(string directory, params string[] arguments)
        => ProcessRunner.RunChecked("openssl", arguments, directory, TimeSpan.FromSeconds(60));

    /// <summary>What the TLS tests connect with.</summary>
    public sealed record Started(string ConnectionString, string CaFile, string OtherCaFile)
    {
        /// <summary>The base connection string plus <paramref name="settings"/> (e.g. <c>SSL Mode=VerifyFull;Root Certificate=…</c>).</summary>
        public string With(string settings) => ConnectionString + ";" + settings;

        /// <summary>The same, on database <paramref name="database"/>.</summary>
        public string With(string settings, string database)
            => new NpgsqlConnectionStringBuilder(With(settings)) { Database = database }.ConnectionString;

        public int Port => new NpgsqlConnectionStringBuilder(ConnectionString).Port;

        public string PortText => Port.ToString(CultureInfo.InvariantCulture);
    }
}

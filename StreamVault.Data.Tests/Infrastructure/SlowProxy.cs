using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace StreamVault.Data.Tests.Infrastructure;

/// <summary>
/// A server that answers, but slowly: a TCP proxy on 127.0.0.1 that holds each new connection for a while before it
/// connects it to the real server, then passes the bytes both ways. Every session through it starts that much later.
/// </summary>
public sealed class SlowProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly string _host;
    private readonly int _port;
    private readonly TimeSpan _delay;
    private readonly Task _accepting;

    private SlowProxy(string connectionString, TimeSpan delay)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        _host = target.Host!;
        _port = target.Port;
        _delay = delay;
        _listener.Start();
        var through = new NpgsqlConnectionStringBuilder(connectionString) { Host = "127.0.0.1", Port = ((IPEndPoint)_listener.LocalEndpoint).Port };
        ConnectionString = through.ConnectionString;
        _accepting = AcceptAsync();
    }

    /// <summary>The connection string of the server, through the proxy.</summary>
    public string ConnectionString { get; }

    /// <summary>Starts a proxy to the server of <paramref name="connectionString"/> that holds each connection for <paramref name="delay"/>.</summary>
    public static SlowProxy Start(string connectionString, TimeSpan delay) => new(connectionString, delay);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception stopped) when (stopped is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var server = new TcpClient())
        {
            try
            {
                await Task.Delay(_delay, _stop.Token);
                await server.ConnectAsync(_host, _port, _stop.Token);
                var clientStream = client.GetStream();
                var serverStream = server.GetStream();
                // Either side closing ends the session.
                await Task.WhenAny(
                    clientStream.CopyToAsync(serverStream, _stop.Token),
                    serverStream.CopyToAsync(clientStream, _stop.Token));
            }
            catch (Exception ended) when (ended is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
            {
                // The client gave up, the server went away or the proxy stops: the session just ends.
            }
        }
    }
}

using System.Net.Sockets;

namespace StreamVault.Data.Tests.Infrastructure;

/// <summary>
/// Answers "is a Docker engine listening?" within a fraction of a second. Testcontainers' own discovery
/// retries for much longer, which would tax every run on machines that simply have no Docker.
/// </summary>
internal static class DockerProbe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(500);

    public static bool IsEngineReachable()
    {
        foreach (var endpoint in CandidateEndpoints())
        {
            if (CanConnect(endpoint))
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<EndPointCandidate> CandidateEndpoints()
    {
        var dockerHost = Environment.GetEnvironmentVariable("DOCKER_HOST");
        if (!string.IsNullOrWhiteSpace(dockerHost) && Uri.TryCreate(dockerHost, UriKind.Absolute, out var uri))
        {
            if (uri.Scheme == "unix")
            {
                yield return new EndPointCandidate(uri.AbsolutePath, null, 0);
            }
            else if (uri.Scheme is "tcp" or "http" or "https")
            {
                yield return new EndPointCandidate(null, uri.Host, uri.Port > 0 ? uri.Port : 2375);
            }

            // An explicit DOCKER_HOST is the answer; falling back to default sockets would second-guess it.
            yield break;
        }

        yield return new EndPointCandidate("/var/run/docker.sock", null, 0);

        var runtimeDirectory = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        if (!string.IsNullOrEmpty(runtimeDirectory))
        {
            yield return new EndPointCandidate(Path.Combine(runtimeDirectory, "docker.sock"), null, 0);
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        yield return new EndPointCandidate(Path.Combine(home, ".docker", "run", "docker.sock"), null, 0);
        yield return new EndPointCandidate(Path.Combine(home, ".docker", "desktop", "docker.sock"), null, 0);
    }

    private static bool CanConnect(EndPointCandidate candidate)
    {
        if (candidate.SocketPath is not null && !File.Exists(candidate.SocketPath))
        {
            return false;
        }

        using var cancellation = new CancellationTokenSource(Timeout);
        try
        {
            if (candidate.SocketPath is not null)
            {
                using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                socket.ConnectAsync(new UnixDomainSocketEndPoint(candidate.SocketPath), cancellation.Token)
                    .AsTask().GetAwaiter().GetResult();
            }
            else
            {
                using var client = new TcpClient();
                client.ConnectAsync(candidate.Host!, candidate.Port, cancellation.Token)
                    .AsTask().GetAwaiter().GetResult();
            }

            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private sealed record EndPointCandidate(string? SocketPath, string? Host, int Port);
}

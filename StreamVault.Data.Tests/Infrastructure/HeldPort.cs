using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace StreamVault.Data.Tests.Infrastructure;

/// <summary>
/// A TCP port on 127.0.0.1 held the way the local end of a client's connection holds it: bound, not listening, without
/// SO_REUSEADDR. A connect probe sees nothing there, yet PostgreSQL cannot bind it. (.NET's own sockets always bind
/// with SO_REUSEADDR on Unix, and PostgreSQL, which sets it too, could bind beside one of those.)
/// </summary>
internal sealed partial class HeldPort : IDisposable
{
    private const int AddressFamilyInet = 2;
    private const int SocketStream = 1;

    private readonly int descriptor;

    private HeldPort(int descriptor, int port)
    {
        this.descriptor = descriptor;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The port held, or null when something else already holds it.</summary>
    public static HeldPort? TryHold(int port)
    {
        var descriptor = socket(AddressFamilyInet, SocketStream, 0);
        if (descriptor < 0)
        {
            throw new InvalidOperationException($"socket() failed: {Marshal.GetLastPInvokeErrorMessage()}");
        }

        // struct sockaddr_in: family (host order), port (network order), 127.0.0.1, 8 bytes of zero.
        Span<byte> address = stackalloc byte[16];
        address.Clear();
        MemoryMarshal.Write(address, (ushort)AddressFamilyInet);
        BinaryPrimitives.WriteUInt16BigEndian(address[2..], checked((ushort)port));
        address[4] = 127;
        address[7] = 1;
        if (bind(descriptor, address, address.Length) != 0)
        {
            _ = close(descriptor);
            return null;
        }

        return new HeldPort(descriptor, port);
    }

    public void Dispose() => _ = close(descriptor);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int socket(int domain, int type, int protocol);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int bind(int socket, ReadOnlySpan<byte> address, int length);

    [LibraryImport("libc")]
    private static partial int close(int descriptor);
}

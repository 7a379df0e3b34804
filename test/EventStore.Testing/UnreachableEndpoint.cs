using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace EventStore.Testing;

/// <summary>
/// A loopback endpoint that nothing answers on for as long as this lives: its port is bound but never listened on, so a
/// connection to it is refused at once, and in the meantime the kernel gives it neither to a bind to port 0 (Kestrel in
/// the tests' servers) nor to an outgoing connection. A port that was merely free a moment ago could be taken by one of
/// them while the test counts on it being unreachable.
/// </summary>
public sealed class UnreachableEndpoint : IDisposable
{
    private readonly Socket _socket;

    /// <summary>Binds a free loopback port and keeps it.</summary>
    public UnreachableEndpoint()
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        }
        catch
        {
            _socket.Dispose();
            throw;
        }

        Port = ((IPEndPoint)_socket.LocalEndPoint!).Port;
    }

    /// <summary>The port kept.</summary>
    public int Port { get; }

    /// <summary><c>http://127.0.0.1:{port}/</c>.</summary>
    public Uri Url => new($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/");

    /// <summary>Lets the port go.</summary>
    public void Dispose() => _socket.Dispose();
}

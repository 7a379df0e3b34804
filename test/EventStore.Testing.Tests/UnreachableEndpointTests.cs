using System.Net;
using System.Net.Sockets;

namespace EventStore.Testing.Tests;

public sealed class UnreachableEndpointTests
{
    [Fact]
    public async Task Connect_WhileItLives_IsRefusedAtOnce()
    {
        using var endpoint = new UnreachableEndpoint();
        using var client = new TcpClient();

        var connecting = () => client.ConnectAsync(IPAddress.Loopback, endpoint.Port);

        (await connecting.Should().ThrowAsync<SocketException>()).Which.SocketErrorCode.Should().Be(SocketError.ConnectionRefused);
        endpoint.Url.Should().Be(new Uri($"http://127.0.0.1:{endpoint.Port}/"));
    }
}

using System.Text.Json;
using EventStore.Testing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using static ServerlessEventStore.Server.Tests.Http.HttpAssertions;

namespace ServerlessEventStore.Server.Tests.Http;

/// <summary>
/// Requests whose framing is broken get a 4xx, never a 5xx. Those that reach the app (a broken chunked body) get problem
/// details with a request id; those Kestrel refuses before any app code runs (a malformed request line or headers, a
/// request line or headers too long) get Kestrel's own empty answer, which no hook of the framework can change.
/// </summary>
public sealed class FramingTests(EventStoreServerFixture server) : IClassFixture<EventStoreServerFixture>, IDisposable
{
    private readonly HttpClient _client = server.CreateHttpClient();

    public void Dispose() => _client.Dispose();

    [Theory]
    [InlineData("fffffffffffffffff\r\n")]
    [InlineData("zz\r\n")]
    [InlineData("5\r\n{\"ev\r\nnot-a-size\r\n")]
    public async Task AppendEvents_BrokenChunkedBody_Returns400ProblemAndStoresNothing(string chunks)
    {
        var type = NewType();
        var id = Guid.NewGuid();

        var response = await RawHttp.SendAsync(
            server.BaseAddress,
            $"PUT /streams/{type}/{id}/events/1 HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n{chunks}");

        response.Status.Should().Be(400, response.Body);
        response.Headers["Content-Type"].Should().Be("application/problem+json");
        var problem = JsonDocument.Parse(response.Body).RootElement;
        problem.GetProperty("requestId").GetString().Should().Be(response.Headers["X-Request-Id"]);
        (await _client.CountStreamsAsync(type)).Should().Be(0);
    }

    [Theory]
    [InlineData(414, "GET /{long} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")]
    [InlineData(431, "GET /liveness-check HTTP/1.1\r\nHost: localhost\r\nX-Long: {long}\r\nConnection: close\r\n\r\n")]
    [InlineData(400, "NOT HTTP AT ALL\r\n\r\n")]
    [InlineData(400, "GET /liveness-check HTTP/1.1\r\nHost: localhost\r\nBad Header\r\n\r\n")]
    public async Task Request_RefusedByKestrel_GetsAClientErrorWithoutBody(int status, string request)
    {
        var response = await RawHttp.SendAsync(server.BaseAddress, request.Replace("{long}", new string('a', 70_000), StringComparison.Ordinal));

        response.Status.Should().Be(status);
        response.Body.Should().BeEmpty("Kestrel answers these itself, before the app; the README says so");
    }
}

/// <summary>A body that arrives too slowly is a 408 with problem details: Kestrel reports it to the app, which answers it.</summary>
[Trait("Server", "InProcess")]
public sealed class SlowBodyTests : IAsyncLifetime
{
    private readonly EventStoreServerFixture _server = EventStoreServerFixture.Create(configureServices: services =>
        services.Configure<KestrelServerOptions>(kestrel => kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 100, gracePeriod: TimeSpan.FromSeconds(1.5))));

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task AppendEvents_BodyStopsArriving_Returns408Problem()
    {
        var response = await RawHttp.SendAsync(
            _server.BaseAddress,
            $"PUT /streams/{NewType()}/{Guid.NewGuid()}/events/1 HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{\"event\"");

        response.Status.Should().Be(408, response.Body);
        response.Headers["Content-Type"].Should().Be("application/problem+json");
        JsonDocument.Parse(response.Body).RootElement.GetProperty("requestId").GetString().Should().Be(response.Headers["X-Request-Id"]);
    }
}

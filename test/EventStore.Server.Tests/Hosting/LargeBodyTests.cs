using System.Net;
using System.Text;
using EventStore.Server.Hosting;
using EventStore.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EventStore.Server.Tests.Hosting;

/// <summary>
/// Large bodies are read a bounded number at a time: the others wait their turn, and one that can't get it within the
/// queue timeout is answered 503 with Retry-After — memory stays bounded however many arrive at once.
/// </summary>
public sealed class LargeBodyTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly EventStoreServerFixture _server;

    public LargeBodyTests()
    {
        _server = EventStoreServerFixture.Create(
            new Dictionary<string, string?> { ["EventStore:Http:MaxConcurrentLargeBodies"] = "1", ["EventStore:Http:LargeBodyQueueTimeout"] = "00:00:10" },
            services => services.AddSingleton<TimeProvider>(_time));
    }

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task AppendEvents_MoreLargeBodiesThanTurns_TheOneThatWaitsTooLongGets503()
    {
        using var client = _server.CreateHttpClient();
        var admission = _server.Services.GetRequiredService<LargeBodyAdmission>();
        var (type, first, second) = ($"t-{Guid.NewGuid():N}", Guid.NewGuid(), Guid.NewGuid());
        var slow = new HeldBackContent(LargeBody());
        var holding = client.PutAsync(new Uri($"streams/{type}/{first}/events/1", UriKind.Relative), slow);
        await Poll.UntilAsync(() => admission.InUse == 1, TimeSpan.FromSeconds(10), () => "the first large request holds the turn");

        var waiting = client.PutAsync(new Uri($"streams/{type}/{second}/events/1", UriKind.Relative), Json(LargeBody()));
        await Poll.UntilAsync(() => admission.Waiting == 1, TimeSpan.FromSeconds(10), () => "the second large request waits");
        _time.Advance(TimeSpan.FromSeconds(10));

        using (var refused = await waiting)
        {
            refused.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            refused.Headers.RetryAfter.Should().NotBeNull();
            (await refused.Content.ReadAsStringAsync()).Should().Contain("retry later");
        }

        slow.Release();
        (await holding).StatusCode.Should().Be(HttpStatusCode.Created);
        using var next = await client.PutAsync(new Uri($"streams/{type}/{second}/events/1", UriKind.Relative), Json(LargeBody()));
        next.StatusCode.Should().Be(HttpStatusCode.Created);
    }

    private static string LargeBody() => $$$"""{"event":{"eventType":"e","payload":"{{{new string('x', 100 * 1024)}}}"}}""";

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    /// <summary>A body whose second half is sent only when the test says so.</summary>
    private sealed class HeldBackContent : HttpContent
    {
        private readonly byte[] _bytes;
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public HeldBackContent(string body)
        {
            _bytes = Encoding.UTF8.GetBytes(body);
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }

        public void Release() => _released.TrySetResult();

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(_bytes.AsMemory(0, _bytes.Length / 2));
            await stream.FlushAsync();
            await _released.Task;
            await stream.WriteAsync(_bytes.AsMemory(_bytes.Length / 2));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _bytes.Length;
            return true;
        }
    }
}

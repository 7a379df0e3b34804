using System.Net;
using System.Text;
using ServerlessEventStore.Server.Hosting;
using ServerlessEventStore.Server.Storage.Sqlite;
using EventStore.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ServerlessEventStore.Server.Tests.Hosting;

/// <summary>
/// Large bodies are received in full, then parsed and stored a bounded number at a time: the others wait their turn,
/// and one that can't get it within the queue timeout is answered 503 with Retry-After; a slow sender holds no turn.
/// Memory stays bounded however many arrive at once.
/// </summary>
public sealed class LargeBodyTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly EventStoreServerFixture _server;

    public LargeBodyTests()
    {
        _server = EventStoreServerFixture.Create(
            new Dictionary<string, string?>
            {
                ["EventStore:Http:MaxConcurrentLargeBodies"] = "1",
                ["EventStore:Http:LargeBodyQueueTimeout"] = "00:00:10",
                ["EventStore:Sqlite:BusyTimeout"] = "00:01:00",
            },
            services => services.AddSingleton<TimeProvider>(_time));
    }

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task AppendEvents_MoreLargeBodiesThanTurns_TheOneThatWaitsTooLongGets503()
    {
        using var client = _server.CreateHttpClient();
        var admission = _server.Services.GetRequiredService<LargeBodyAdmission>();
        var storage = _server.Services.GetRequiredService<SqliteEventStorage>();
        var type = $"t-{Guid.NewGuid():N}";

        // The first large append holds the only turn while it waits for the database another process has locked.
        await using (var otherProcess = new SqliteConnection($"Data Source={_server.Services.GetRequiredService<IOptions<SqliteStorageOptions>>().Value.Path};Pooling=False"))
        {
            await otherProcess.OpenAsync();
            await using var locked = otherProcess.BeginTransaction(deferred: false);
            var holding = client.PutAsync(new Uri($"streams/{type}/{Guid.NewGuid()}/events/1", UriKind.Relative), Json(LargeBody()));
            await Poll.UntilAsync(() => storage.WritesInStore == 1, TimeSpan.FromSeconds(10), () => "the first large append is in the store");

            var waiting = client.PutAsync(new Uri($"streams/{type}/{Guid.NewGuid()}/events/1", UriKind.Relative), Json(LargeBody()));
            await Poll.UntilAsync(() => admission.Waiting == 1, TimeSpan.FromSeconds(10), () => "the second large append waits for a turn");
            _time.Advance(TimeSpan.FromSeconds(10));

            using (var refused = await waiting)
            {
                refused.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
                refused.Headers.RetryAfter.Should().NotBeNull();
                (await refused.Content.ReadAsStringAsync()).Should().Contain("retry later");
            }

            await locked.RollbackAsync();
            (await holding).StatusCode.Should().Be(HttpStatusCode.Created);
        }

        (await _server.CreateHttpClient().GetAsync(new Uri($"streams/{type}", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AppendEvents_SlowSenderOfALargeBody_HoldsNoTurn()
    {
        using var client = _server.CreateHttpClient();
        var type = $"t-{Guid.NewGuid():N}";
        var slow = new HeldBackContent(LargeBody());
        var sending = client.PutAsync(new Uri($"streams/{type}/{Guid.NewGuid()}/events/1", UriKind.Relative), slow);
        await slow.HalfSent;

        using (var other = await client.PutAsync(new Uri($"streams/{type}/{Guid.NewGuid()}/events/1", UriKind.Relative), Json(LargeBody())))
        {
            other.StatusCode.Should().Be(HttpStatusCode.Created, "the only turn is not held by a body still arriving");
        }

        slow.Release();
        (await sending).StatusCode.Should().Be(HttpStatusCode.Created);
    }

    private static string LargeBody() => $$$"""{"event":{"eventType":"e","payload":"{{{new string('x', 100 * 1024)}}}"}}""";

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    /// <summary>A body whose second half is sent only when the test says so.</summary>
    private sealed class HeldBackContent : HttpContent
    {
        private readonly byte[] _bytes;
        private readonly TaskCompletionSource _halfSent = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public HeldBackContent(string body)
        {
            _bytes = Encoding.UTF8.GetBytes(body);
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }

        public Task HalfSent => _halfSent.Task;

        public void Release() => _released.TrySetResult();

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(_bytes.AsMemory(0, _bytes.Length / 2));
            await stream.FlushAsync();
            _halfSent.TrySetResult();
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

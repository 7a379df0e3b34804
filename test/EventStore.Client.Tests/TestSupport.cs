using System.Net;
using EventStore.Testing;
using ServerlessEventStore.Types;

namespace ServerlessEventStore.Client.Tests;

internal static class TestSupport
{
    public static string NewStreamType() => $"t-{Guid.NewGuid():N}";

    public static EventStoreClient CreateClient(this EventStoreServerFixture fixture, int pageSize = 100) =>
        new(fixture.CreateHttpClient(), new EventStoreClientOptions { BaseAddress = fixture.BaseAddress, PageSize = pageSize });

    public static EventStoreClient CreateClient(this EventStoreServerFixture fixture, DelegatingHandler handler, int pageSize = 100)
    {
        handler.InnerHandler = new SocketsHttpHandler();
        return new(new HttpClient(handler), new EventStoreClientOptions { BaseAddress = fixture.BaseAddress, PageSize = pageSize });
    }

    public static NewEvent CountedEvent(int number) => NewEvent.Create("counted", new Counted(number));

    /// <summary>Creates a stream of <paramref name="count"/> events, numbered 1 to count, in batches.</summary>
    public static async Task<Guid> CreateStreamWithEventsAsync(this EventStoreClient client, string streamType, int count)
    {
        var streamId = Guid.NewGuid();
        var revision = 0;
        while (revision < count)
        {
            var batch = Enumerable.Range(revision + 1, Math.Min(50, count - revision)).Select(CountedEvent).ToList();
            var stream = await client.AppendAsync(streamType, streamId, revision, batch);
            revision = stream.Revision;
        }

        return streamId;
    }
}

internal sealed record Counted(int Number);

/// <summary>Counts the requests that reach the server.</summary>
internal sealed class CountingHandler : DelegatingHandler
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<HttpRequestMessage> _requests = new();

    public int Count => _requests.Count;

    /// <summary>The requests, in the order they were sent.</summary>
    public IReadOnlyList<HttpRequestMessage> Requests => [.. _requests];

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        _requests.Enqueue(request);
        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>Answers the first request with a 503 (a storage fault the real server cannot be made to produce on demand), and passes the rest on.</summary>
internal sealed class FaultOnceHandler : DelegatingHandler
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _count) == 1)
        {
            var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)
            {
                Content = new StringContent("""{"title":"Storage unavailable","status":503,"requestId":"fault-1"}""", null, "application/problem+json"),
            };
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.Zero);
            return Task.FromResult(response);
        }

        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>Answers every request with one canned response: for faults of proxies and gateways, which no real server here produces.</summary>
internal sealed class CannedResponseHandler(HttpStatusCode status, string body, string mediaType) : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, null, mediaType) });
}

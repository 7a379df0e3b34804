using System.Net;
using EventStore.Server.Storage;
using EventStore.Testing;
using EventStore.Types;
using Microsoft.Extensions.DependencyInjection;
using static EventStore.Server.Tests.Http.HttpAssertions;

namespace EventStore.Server.Tests.Http;

/// <summary>
/// Failures SQLite can't be made to produce on demand, through a storage that throws. (The only fake in this suite.)
/// </summary>
public sealed class StorageFaultTests : IAsyncLifetime
{
    private readonly ThrowingStorage _storage = new();
    private readonly EventStoreServerFixture _server;

    public StorageFaultTests()
    {
        _server = EventStoreServerFixture.Create(configureServices: services => services.AddSingleton<IEventStorage>(_storage));
    }

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Theory]
    [InlineData("PUT", "streams/t/{id}/events/1")]
    [InlineData("POST", "streams/t")]
    [InlineData("GET", "streams/t/{id}/events")]
    [InlineData("GET", "streams/t/{id}/details")]
    [InlineData("GET", "streams/t")]
    public async Task Request_StorageUnavailable_Returns503WithRetryAfter(string method, string path)
    {
        _storage.Failure = new StorageUnavailableException("throttled: secret internal detail");
        using var client = _server.CreateHttpClient();

        using var response = await client.SendAsync(Request(method, path));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter.Should().NotBeNull();
        response.Headers.RetryAfter!.Delta.Should().BePositive();
        problem.ToString().Should().NotContain("secret");
    }

    [Fact]
    public async Task AppendEvents_UnexpectedError_Returns500WithoutDetails()
    {
        _storage.Failure = new InvalidOperationException("secret internal detail");
        using var client = _server.CreateHttpClient();

        using var response = await client.SendAsync(Request("PUT", "streams/t/{id}/events/1"));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.InternalServerError);
        problem.ToString().Should().NotContain("secret");
        problem.TryGetProperty("detail", out _).Should().BeFalse();
    }

    private static HttpRequestMessage Request(string method, string path)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path.Replace("{id}", Guid.NewGuid().ToString(), StringComparison.Ordinal), UriKind.Relative));
        if (method != "GET")
        {
            request.Content = Json(method == "POST" ? $$"""{"initialEvent":{{EventJson()}}}""" : $$"""{"event":{{EventJson()}}}""");
        }

        return request;
    }

    private sealed class ThrowingStorage : IEventStorage
    {
        public Exception Failure { get; set; } = new StorageUnavailableException();

        public Task InitializeAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<AppendOutcome> AppendAsync(StreamAppend append, CancellationToken cancellationToken) => throw Failure;

        public Task<StreamDetails?> GetStreamAsync(string streamType, Guid streamId, CancellationToken cancellationToken) => throw Failure;

        public Task<EventPage?> GetEventsAsync(string streamType, Guid streamId, int afterRevision, int limit, CancellationToken cancellationToken) => throw Failure;

        public Task<StreamPage> GetStreamsAsync(string streamType, DateTimeOffset updatedAfter, StreamPageKey? after, int limit, CancellationToken cancellationToken) => throw Failure;
    }
}

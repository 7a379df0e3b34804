using System.Net;
using ServerlessEventStore.Server.Storage;
using EventStore.Testing;
using ServerlessEventStore.Types;
using Microsoft.Extensions.DependencyInjection;
using static ServerlessEventStore.Server.Tests.Http.HttpAssertions;

namespace ServerlessEventStore.Server.Tests.Http;

/// <summary>
/// Failures no real store can be made to produce on demand through the API, through a storage that throws: SQLite
/// never fails so, and DynamoDB's item and transaction limits lie beyond what the API's own limits let in. (The only
/// fake in this suite.)
/// </summary>
[Trait("Server", "InProcess")]
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
    [InlineData("POST", "streams/t/{id}/events")]
    [InlineData("DELETE", "streams/t/{id}")]
    [InlineData("DELETE", "streams/t/{id}/events?before-revision=2")]
    [InlineData("GET", "streams")]
    [InlineData("GET", "streams/t/events")]
    public async Task Request_StorageUnavailable_Returns503WithRetryAfter(string method, string path)
    {
        using var response = await SendAsync(new StorageUnavailableException("throttled: secret internal detail"), method, path);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter.Should().NotBeNull();
        response.Headers.RetryAfter!.Delta.Should().BePositive();
        problem.ToString().Should().NotContain("secret");
    }

    [Theory]
    [InlineData("PUT", "streams/t/{id}/events/1")]
    [InlineData("POST", "streams/t")]
    public async Task Append_StorageLimitExceeded_Returns413WithoutRetryAfter(string method, string path)
    {
        using var response = await SendAsync(
            new StorageLimitExceededException("The append needs 4194305 bytes; a DynamoDB transaction holds at most 4194304."), method, path);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        response.Headers.RetryAfter.Should().BeNull("the same request would fail again");
        problem.ToString().Should().NotContain("DynamoDB").And.NotContain("4194304");
    }

    [Fact]
    public async Task AppendEvents_UnexpectedError_Returns500WithoutDetails()
    {
        var marker = $"secret internal detail {Guid.NewGuid():N}";
        using var response = await SendAsync(new InvalidOperationException(marker), "PUT", "streams/t/{id}/events/1");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.InternalServerError);
        problem.ToString().Should().NotContain("secret");
        problem.TryGetProperty("detail", out _).Should().BeFalse();
        File.ReadAllText(UnexpectedErrorLog.Path).Should().Contain($"System.InvalidOperationException: {marker}", "the exception behind a 500 is kept for after the run");
    }

    /// <summary>Sends the request while every storage operation throws <paramref name="failure"/>.</summary>
    private async Task<HttpResponseMessage> SendAsync(Exception failure, string method, string path)
    {
        _storage.Failure = failure;
        using var client = _server.CreateHttpClient();
        return await client.SendAsync(Request(method, path));
    }

    private static HttpRequestMessage Request(string method, string path)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path.Replace("{id}", Guid.NewGuid().ToString(), StringComparison.Ordinal), UriKind.Relative));
        if (method is "PUT" or "POST")
        {
            request.Content = Json(method == "POST" && !path.EndsWith("/events", StringComparison.Ordinal) ? $$"""{"initialEvent":{{EventJson()}}}""" : $$"""{"event":{{EventJson(eventId: Guid.NewGuid())}}}""");
        }

        return request;
    }

    private sealed class ThrowingStorage : IEventStorage
    {
        public Exception Failure { get; set; } = new StorageUnavailableException();

        public Task InitializeAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<AppendOutcome> AppendAsync(StreamAppend append, CancellationToken cancellationToken) => throw Failure;

        public Task<RemovalOutcome> RemoveAsync(StreamRemoval removal, CancellationToken cancellationToken) => throw Failure;

        public Task<StreamDetails?> GetStreamAsync(string streamType, Guid streamId, CancellationToken cancellationToken) => throw Failure;

        public Task<EventPage?> GetEventsAsync(EventRead read, CancellationToken cancellationToken) => throw Failure;

        public Task<StreamPage> GetStreamsAsync(string streamType, DateTimeOffset updatedAfter, StreamPageKey? after, int limit, CancellationToken cancellationToken) => throw Failure;

        public Task<StreamTypePage> GetStreamTypesAsync(StreamTypePageKey? after, int limit, CancellationToken cancellationToken) => throw Failure;

        public Task<StreamTypeEventPage> GetStreamTypeEventsAsync(string streamType, EventCheckpoint after, int limit, CancellationToken cancellationToken) => throw Failure;
    }
}

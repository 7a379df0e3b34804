using System.Net;
using EventStore.Testing;
using static ServerlessEventStore.Server.Tests.Http.HttpAssertions;

namespace ServerlessEventStore.Server.Tests.Http;

/// <summary><c>DELETE /streams/{type}/{id}</c> and <c>DELETE …/events?before-revision=N</c>, on both stores.</summary>
public abstract class RemovalTests<TServer>(TServer server) : IClassFixture<TServer>, IDisposable
    where TServer : EventStoreServerFixture
{
    private readonly HttpClient _client = server.CreateHttpClient();

    public void Dispose() => _client.Dispose();

    [Theory]
    [InlineData("")]
    [InlineData("?mode=soft")]
    [InlineData("?mode=hard")]
    [InlineData("?mode=hard&expected-revision=2")]
    public async Task DeleteStream_ThenEveryReadAndAppend_Answers410(string query)
    {
        var type = NewType();
        var id = await _client.CreateStreamAsync(type, events: 2);

        using var deleted = await DeleteAsync($"streams/{type}/{id}{query}");
        using var again = await DeleteAsync($"streams/{type}/{id}{query}");

        deleted.StatusCode.Should().Be(HttpStatusCode.OK);
        again.StatusCode.Should().Be(HttpStatusCode.OK, "a delete is idempotent");
        foreach (var path in new[] { $"streams/{type}/{id}/details", $"streams/{type}/{id}/events", $"streams/{type}/{id}/events?direction=backward&limit=1", $"streams/{type}/{id}/events?after-revision=1&before-revision=2" })
        {
            using var read = await _client.GetAsync(new Uri(path, UriKind.Relative));
            (await read.ShouldBeProblemAsync(HttpStatusCode.Gone)).GetProperty("detail").GetString().Should().Contain("deleted");
        }

        using var append = await _client.PutAsync(new Uri($"streams/{type}/{id}/events/3", UriKind.Relative), Json($$"""{"event":{{EventJson()}}}"""));
        using var create = await _client.PutAsync(new Uri($"streams/{type}/{id}/events/1", UriKind.Relative), Json($$"""{"event":{{EventJson()}}}"""));
        using var any = await _client.PostAsync(new Uri($"streams/{type}/{id}/events", UriKind.Relative), Json($$"""{"event":{{EventJson(eventId: Guid.NewGuid())}}}"""));
        await append.ShouldBeProblemAsync(HttpStatusCode.Gone);
        await create.ShouldBeProblemAsync(HttpStatusCode.Gone);
        await any.ShouldBeProblemAsync(HttpStatusCode.Gone);
        (await _client.CountStreamsAsync(type)).Should().Be(0, "a deleted stream leaves its type's listing");
    }

    [Fact]
    public async Task DeleteStream_AtAnotherRevision_Returns409AndDeletesNothing()
    {
        var type = NewType();
        var id = await _client.CreateStreamAsync(type, events: 3);

        using var response = await DeleteAsync($"streams/{type}/{id}?expected-revision=2");

        (await response.ShouldBeProblemAsync(HttpStatusCode.Conflict)).GetProperty("currentRevision").GetInt32().Should().Be(3);
        (await _client.GetRevisionAsync(type, id)).Should().Be(3);
    }

    [Fact]
    public async Task DeleteStream_Unknown_Returns404()
    {
        using var response = await DeleteAsync($"streams/{NewType()}/{Guid.NewGuid()}");

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("?mode=Hard", "mode")]
    [InlineData("?mode=purge", "mode")]
    [InlineData("?expected-revision=no-stream", "expected-revision")]
    [InlineData("?expected-revision=01", "expected-revision")]
    public async Task DeleteStream_BadQuery_Returns400NamingIt(string query, string field)
    {
        var type = NewType();
        var id = await _client.CreateStreamAsync(type);

        using var response = await DeleteAsync($"streams/{type}/{id}{query}");

        (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty(field, out _).Should().BeTrue();
        (await _client.GetRevisionAsync(type, id)).Should().Be(1);
    }

    [Fact]
    public async Task TruncateStream_ReadsStartAtTheRevisionAndAppendsGoOn()
    {
        var type = NewType();
        var id = await _client.CreateStreamAsync(type, events: 4);

        using var truncated = await DeleteAsync($"streams/{type}/{id}/events?before-revision=3");
        using var append = await _client.PutAsync(new Uri($"streams/{type}/{id}/events/5", UriKind.Relative), Json($$"""{"event":{{EventJson()}}}"""));

        truncated.StatusCode.Should().Be(HttpStatusCode.OK);
        await append.ReadJsonAsync(HttpStatusCode.Created);
        using var read = await _client.GetAsync(new Uri($"streams/{type}/{id}/events", UriKind.Relative));
        var events = (await read.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("eventPage").GetProperty("events");
        events.EnumerateArray().Select(e => e.GetProperty("revision").GetInt32()).Should().Equal(3, 4, 5);
    }

    [Theory]
    [InlineData("?before-revision=1", HttpStatusCode.BadRequest)]
    [InlineData("?before-revision=02", HttpStatusCode.BadRequest)]
    [InlineData("", HttpStatusCode.BadRequest)]
    [InlineData("?before-revision=4", HttpStatusCode.Conflict)]
    public async Task TruncateStream_OutOfRange_IsRefused(string query, HttpStatusCode status)
    {
        var type = NewType();
        var id = await _client.CreateStreamAsync(type, events: 2);

        using var response = await DeleteAsync($"streams/{type}/{id}/events{query}");

        await response.ShouldBeProblemAsync(status);
        (await _client.GetRevisionAsync(type, id)).Should().Be(2);
    }

    [Fact]
    public async Task TruncateStream_Deleted_Returns410()
    {
        var type = NewType();
        var id = await _client.CreateStreamAsync(type, events: 2);
        using var deleted = await DeleteAsync($"streams/{type}/{id}");

        using var response = await DeleteAsync($"streams/{type}/{id}/events?before-revision=2");

        await response.ShouldBeProblemAsync(HttpStatusCode.Gone);
    }

    private Task<HttpResponseMessage> DeleteAsync(string path) => _client.DeleteAsync(new Uri(path, UriKind.Relative));
}

public sealed class RemovalTestsOnSqlite(EventStoreServerFixture server) : RemovalTests<EventStoreServerFixture>(server);

public sealed class RemovalTestsOnDynamoDb(DynamoDbServerFixture server) : RemovalTests<DynamoDbServerFixture>(server);

using System.Net;
using System.Text.Json;
using EventStore.Testing;
using static ServerlessEventStore.Server.Tests.Http.HttpAssertions;

namespace ServerlessEventStore.Server.Tests.Http;

/// <summary>Requests exactly as the original Go service's clients send them, and its response shapes.</summary>
public abstract class WireCompatibilityTests<TServer>(TServer server) : IClassFixture<TServer>, IDisposable
    where TServer : EventStoreServerFixture
{
    private readonly HttpClient _client = server.CreateHttpClient();

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task OriginalClient_CreateAppendAndRead_WorksWithStringPayloads()
    {
        var type = NewType();

        using var created = await _client.PostAsync(
            new Uri($"streams/{type}", UriKind.Relative),
            Json("""{"initialEvent":{"eventType":"user-created","payload":"{\"name\":\"test name\"}"}}"""));
        var stream = (await created.ReadJsonAsync(HttpStatusCode.Created)).ShouldHaveExactly("stream").GetProperty("stream");
        stream.ShouldHaveExactly("streamId", "streamType", "revision", "updatedAt");
        var id = stream.GetProperty("streamId").GetGuid();

        using var appended = await _client.PutAsync(
            new Uri($"streams/{type}/{id}/events/2", UriKind.Relative),
            Json("""{"event":{"eventType":"user-renamed","payload":"{\"name\":\"new name\"}"}}"""));
        (await appended.ReadJsonAsync(HttpStatusCode.Created)).ShouldHaveExactly("stream")
            .GetProperty("stream").GetProperty("revision").GetInt32().Should().Be(2);

        using var read = await _client.GetAsync(new Uri($"streams/{type}/{id}/events?after-revision=0", UriKind.Relative));
        var page = (await read.ReadJsonAsync(HttpStatusCode.OK)).ShouldHaveExactly("eventPage").GetProperty("eventPage");
        page.ShouldHaveExactly("events", "hasMore", "lastEvaluatedRevision");
        page.GetProperty("hasMore").GetBoolean().Should().BeFalse();
        page.GetProperty("lastEvaluatedRevision").GetInt32().Should().Be(2);
        var first = page.GetProperty("events")[0];
        first.ShouldHaveExactly("streamId", "revision", "eventType", "payload", "createdAt");
        first.GetProperty("payload").ValueKind.Should().Be(JsonValueKind.String);
        first.GetProperty("payload").GetString().Should().Be("{\"name\":\"test name\"}");
        first.GetProperty("eventType").GetString().Should().Be("user-created");
    }

    [Fact]
    public async Task OriginalClient_ListsStreamsWithNextPageKeyParameter_AdvancesThroughPages()
    {
        var type = NewType();
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            using var created = await _client.PostAsync(
                new Uri($"streams/{type}", UriKind.Relative),
                Json("""{"initialEvent":{"eventType":"x","payload":"{}"}}"""));
            ids.Add((await created.ReadJsonAsync(HttpStatusCode.Created)).GetProperty("stream").GetProperty("streamId").GetGuid());
        }

        using var firstResponse = await _client.GetAsync(new Uri($"streams/{type}?updated-after=2000-01-01T00:00:00Z&limit=2", UriKind.Relative));
        var first = (await firstResponse.ReadJsonAsync(HttpStatusCode.OK)).ShouldHaveExactly("streamPage").GetProperty("streamPage");
        first.ShouldHaveExactly("streams", "hasMore", "nextPageKey");
        var key = first.GetProperty("nextPageKey").GetString();
        using var secondResponse = await _client.GetAsync(new Uri($"streams/{type}?updated-after=2000-01-01T00:00:00Z&limit=2&nextPageKey={Uri.EscapeDataString(key!)}", UriKind.Relative));
        var second = (await secondResponse.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("streamPage");

        first.GetProperty("streams").EnumerateArray().Select(s => s.GetProperty("streamId").GetGuid()).Should().Equal(ids[0], ids[1]);
        second.GetProperty("streams").EnumerateArray().Select(s => s.GetProperty("streamId").GetGuid()).Should().Equal(ids[2]);
        second.GetProperty("hasMore").GetBoolean().Should().BeFalse();
        first.GetProperty("streams")[0].ShouldHaveExactly("streamId", "streamType", "revision", "updatedAt");
    }

    [Fact]
    public async Task OriginalClient_LivenessCheck_HasStatusAndTime()
    {
        using var response = await _client.GetAsync(new Uri("liveness-check", UriKind.Relative));

        (await response.ReadJsonAsync(HttpStatusCode.OK)).ShouldHaveExactly("status", "at");
    }

    [Fact]
    public async Task OriginalClient_AppendAtTakenRevision_Gets409()
    {
        var type = NewType();
        var id = await _client.CreateStreamAsync(type);

        using var response = await _client.PutAsync(
            new Uri($"streams/{type}/{id}/events/1", UriKind.Relative),
            Json("""{"event":{"eventType":"x","payload":"{}"}}"""));

        response.StatusCode.Should().Be(HttpStatusCode.Conflict);
    }
}

public sealed class WireCompatibilityTestsOnSqlite(EventStoreServerFixture server) : WireCompatibilityTests<EventStoreServerFixture>(server);

public sealed class WireCompatibilityTestsOnDynamoDb(DynamoDbServerFixture server) : WireCompatibilityTests<DynamoDbServerFixture>(server);

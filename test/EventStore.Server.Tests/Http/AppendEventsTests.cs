using System.Net;
using EventStore.Testing;
using static ServerlessEventStore.Server.Tests.Http.HttpAssertions;

namespace ServerlessEventStore.Server.Tests.Http;

public abstract class AppendEventsTests<TServer>(TServer server) : IClassFixture<TServer>, IDisposable
    where TServer : EventStoreServerFixture
{
    private readonly HttpClient _client = server.CreateHttpClient();

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task AppendEvents_RevisionOneOnMissingStream_CreatesStreamWithCallersId()
    {
        var (type, id) = (NewType(), Guid.NewGuid());

        using var response = await PutAsync(type, id, 1, $$"""{"event":{{EventJson()}}}""");

        var stream = (await response.ReadJsonAsync(HttpStatusCode.Created)).GetProperty("stream");
        stream.GetProperty("streamId").GetGuid().Should().Be(id);
        stream.GetProperty("streamType").GetString().Should().Be(type);
        stream.GetProperty("revision").GetInt32().Should().Be(1);
        response.Headers.Location!.ToString().Should().Be($"/streams/{type}/{id}/details");
    }

    [Fact]
    public async Task AppendEvents_NextRevision_Returns201WithNewRevision()
    {
        var type = NewType();
        var id = await _client.CreateStreamAsync(type);

        using var response = await PutAsync(type, id, 2, $$"""{"events":[{{EventJson()}},{{EventJson()}}]}""");

        (await response.ReadJsonAsync(HttpStatusCode.Created)).GetProperty("stream").GetProperty("revision").GetInt32().Should().Be(3);
        (await _client.GetRevisionAsync(type, id)).Should().Be(3);
    }

    [Fact]
    public async Task AppendEvents_RepeatWithSameEventIds_Returns200AndStoresNothing()
    {
        var type = NewType();
        var id = await _client.CreateStreamAsync(type);
        var body = $$"""{"events":[{{EventJson(eventId: Guid.NewGuid())}},{{EventJson(eventId: Guid.NewGuid())}}]}""";
        using var first = await PutAsync(type, id, 2, body);
        await first.ReadJsonAsync(HttpStatusCode.Created);

        using var repeat = await PutAsync(type, id, 2, body);

        (await repeat.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("stream").GetProperty("revision").GetInt32().Should().Be(3);
        (await _client.GetRevisionAsync(type, id)).Should().Be(3);
    }

    [Fact]
    public async Task AppendEvents_RepeatWithoutEventIds_Returns409()
    {
        var type = NewType();
        var id = await _client.CreateStreamAsync(type);
        var body = $$"""{"event":{{EventJson()}}}""";
        using var first = await PutAsync(type, id, 2, body);
        await first.ReadJsonAsync(HttpStatusCode.Created);

        using var repeat = await PutAsync(type, id, 2, body);

        (await repeat.ShouldBeProblemAsync(HttpStatusCode.Conflict)).GetProperty("currentRevision").GetInt32().Should().Be(2);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    public async Task AppendEvents_WrongRevision_Returns409WithCurrentRevision(int revision)
    {
        var type = NewType();
        var id = await _client.CreateStreamAsync(type);

        using var response = await PutAsync(type, id, revision, $$"""{"event":{{EventJson(eventId: Guid.NewGuid())}}}""");

        (await response.ShouldBeProblemAsync(HttpStatusCode.Conflict)).GetProperty("currentRevision").GetInt32().Should().Be(1);
        (await _client.GetRevisionAsync(type, id)).Should().Be(1);
    }

    [Fact]
    public async Task AppendEvents_RevisionAboveOneOnMissingStream_Returns404()
    {
        var (type, id) = (NewType(), Guid.NewGuid());

        using var response = await PutAsync(type, id, 2, $$"""{"event":{{EventJson()}}}""");

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await _client.CountStreamsAsync(type)).Should().Be(0);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task AppendEvents_StreamOfOtherType_Returns404(int revision)
    {
        var type = NewType();
        var id = await _client.CreateStreamAsync(type);

        using var response = await PutAsync(NewType(), id, revision, $$"""{"event":{{EventJson()}}}""");

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await _client.GetRevisionAsync(type, id)).Should().Be(1);
    }

    [Theory]
    [InlineData("\"a string\"")]
    [InlineData("{\"name\":\"test name\",\"n\":[1,2.5,null]}")]
    [InlineData("12.5")]
    [InlineData("null")]
    [InlineData("true")]
    public async Task GetEvents_AppendedPayload_ReturnedAsTheSameJsonValue(string payload)
    {
        var type = NewType();
        var id = Guid.NewGuid();
        var eventId = Guid.NewGuid();
        using var put = await PutAsync(type, id, 1, "{\"event\":{\"eventId\":\"" + eventId + "\",\"eventType\":\"x\",\"payload\":" + payload + ",\"metadata\":{\"correlationId\":\"c-1\"}}}");
        await put.ReadJsonAsync(HttpStatusCode.Created);

        using var response = await _client.GetAsync(new Uri($"streams/{type}/{id}/events", UriKind.Relative));

        var stored = (await response.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("eventPage").GetProperty("events")[0];
        stored.GetProperty("payload").GetRawText().Should().Be(payload);
        stored.GetProperty("eventId").GetGuid().Should().Be(eventId);
        stored.GetProperty("metadata").GetProperty("correlationId").GetString().Should().Be("c-1");
    }

    [Fact]
    public async Task GetEvents_EventWithoutIdOrMetadata_OmitsThoseMembers()
    {
        var type = NewType();
        var id = Guid.NewGuid();
        using var put = await PutAsync(type, id, 1, $$"""{"event":{{EventJson()}}}""");
        await put.ReadJsonAsync(HttpStatusCode.Created);

        using var response = await _client.GetAsync(new Uri($"streams/{type}/{id}/events", UriKind.Relative));

        var stored = (await response.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("eventPage").GetProperty("events")[0];
        stored.TryGetProperty("eventId", out _).Should().BeFalse();
        stored.TryGetProperty("metadata", out _).Should().BeFalse();
    }

    private Task<HttpResponseMessage> PutAsync(string type, Guid id, int revision, string json) =>
        _client.PutAsync(new Uri($"streams/{type}/{id}/events/{revision}", UriKind.Relative), Json(json));
}

public sealed class AppendEventsTestsOnSqlite(EventStoreServerFixture server) : AppendEventsTests<EventStoreServerFixture>(server);

public sealed class AppendEventsTestsOnDynamoDb(DynamoDbServerFixture server) : AppendEventsTests<DynamoDbServerFixture>(server);

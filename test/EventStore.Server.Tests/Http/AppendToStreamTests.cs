using System.Net;
using EventStore.Testing;
using static ServerlessEventStore.Server.Tests.Http.HttpAssertions;

namespace ServerlessEventStore.Server.Tests.Http;

/// <summary><c>POST /streams/{type}/{id}/events?expected-revision=…</c>: appends by expected revision, on both stores.</summary>
public abstract class AppendToStreamTests<TServer>(TServer server) : IClassFixture<TServer>, IDisposable
    where TServer : EventStoreServerFixture
{
    private readonly HttpClient _client = server.CreateHttpClient();

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task AppendToStream_WithoutExpectedRevision_IsAnyAndCreatesTheStream()
    {
        var (type, id) = (NewType(), Guid.NewGuid());

        using var response = await PostAsync(type, id, null, $$"""{"event":{{EventJson(eventId: Guid.NewGuid())}}}""");

        (await response.ReadJsonAsync(HttpStatusCode.Created)).GetProperty("stream").GetProperty("revision").GetInt32().Should().Be(1);
        response.Headers.Location!.ToString().Should().Be($"/streams/{type}/{id}/details");
    }

    [Fact]
    public async Task AppendToStream_RepeatAfterOtherAppends_Returns200WithTheStreamAsItIs()
    {
        var type = NewType();
        var id = await _client.CreateStreamAsync(type);
        var body = $$"""{"events":[{{EventJson(eventId: Guid.NewGuid())}},{{EventJson(eventId: Guid.NewGuid())}}]}""";
        using var first = await PostAsync(type, id, "any", body);
        await first.ReadJsonAsync(HttpStatusCode.Created);
        using var other = await PostAsync(type, id, "stream-exists", $$"""{"event":{{EventJson(eventId: Guid.NewGuid())}}}""");
        await other.ReadJsonAsync(HttpStatusCode.Created);

        using var repeat = await PostAsync(type, id, "any", body);

        (await repeat.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("stream").GetProperty("revision").GetInt32().Should().Be(4);
        (await _client.GetRevisionAsync(type, id)).Should().Be(4);
    }

    [Fact]
    public async Task AppendToStream_StreamExistsOnMissingStream_Returns404()
    {
        using var response = await PostAsync(NewType(), Guid.NewGuid(), "stream-exists", $$"""{"event":{{EventJson(eventId: Guid.NewGuid())}}}""");

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AppendToStream_NoStreamOnExistingStream_Returns409WithCurrentRevision()
    {
        var type = NewType();
        var id = await _client.CreateStreamAsync(type, events: 2);

        using var response = await PostAsync(type, id, "no-stream", $$"""{"event":{{EventJson()}}}""");

        (await response.ShouldBeProblemAsync(HttpStatusCode.Conflict)).GetProperty("currentRevision").GetInt32().Should().Be(2);
    }

    [Fact]
    public async Task AppendToStream_ExactRevision_AppendsAfterItOr409()
    {
        var type = NewType();
        var id = await _client.CreateStreamAsync(type, events: 2);

        using var appended = await PostAsync(type, id, "2", $$"""{"event":{{EventJson()}}}""");
        using var stale = await PostAsync(type, id, "2", $$"""{"event":{{EventJson()}}}""");

        (await appended.ReadJsonAsync(HttpStatusCode.Created)).GetProperty("stream").GetProperty("revision").GetInt32().Should().Be(3);
        (await stale.ShouldBeProblemAsync(HttpStatusCode.Conflict)).GetProperty("currentRevision").GetInt32().Should().Be(3);
    }

    [Fact]
    public async Task AppendToStream_FirstEventIdOfAStoredAppendWithOtherEvents_Returns409NamingTheId()
    {
        var type = NewType();
        var id = await _client.CreateStreamAsync(type);
        var first = Guid.NewGuid();
        using var stored = await PostAsync(type, id, "any", $$"""{"event":{{EventJson(eventId: first)}}}""");
        await stored.ReadJsonAsync(HttpStatusCode.Created);

        using var reused = await PostAsync(type, id, "any", $$"""{"events":[{{EventJson(eventId: first)}},{{EventJson(eventId: Guid.NewGuid())}}]}""");

        var problem = await reused.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        problem.GetProperty("detail").GetString().Should().Contain(first.ToString("D"));
        problem.GetProperty("currentRevision").GetInt32().Should().Be(2);
    }

    [Theory]
    [InlineData("Any")]
    [InlineData("01")]
    [InlineData("-1")]
    [InlineData("+2")]
    [InlineData("exists")]
    [InlineData("")]
    public async Task AppendToStream_ExpectedRevisionNotInTheApisSpelling_Returns400NamingIt(string expected)
    {
        using var response = await PostAsync(NewType(), Guid.NewGuid(), Uri.EscapeDataString(expected), $$"""{"event":{{EventJson(eventId: Guid.NewGuid())}}}""");

        (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("expected-revision", out _).Should().BeTrue();
    }

    [Fact]
    public async Task AppendToStream_ExpectedRevisionGivenTwice_Returns400()
    {
        var (type, id) = (NewType(), Guid.NewGuid());

        using var response = await _client.PostAsync(
            new Uri($"streams/{type}/{id}/events?expected-revision=any&expected-revision=any", UriKind.Relative), Json($$"""{"event":{{EventJson(eventId: Guid.NewGuid())}}}"""));

        (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("expected-revision")[0].GetString().Should().Contain("2 times");
    }

    [Fact]
    public async Task AppendToStream_AtTheEndWithoutEventIds_Returns400NamingTheEvent()
    {
        var (type, id) = (NewType(), Guid.NewGuid());

        using var response = await PostAsync(type, id, "any", $$"""{"events":[{{EventJson(eventId: Guid.NewGuid())}},{{EventJson()}}]}""");

        (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("events[1].eventId", out _).Should().BeTrue();
        (await _client.GetAsync(new Uri($"streams/{type}/{id}/details", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("any", 98, HttpStatusCode.Created)]
    [InlineData("any", 99, HttpStatusCode.BadRequest)]
    [InlineData("no-stream", 99, HttpStatusCode.Created)]
    public async Task AppendToStream_BatchSize_AtTheEndHoldsOneEventLess(string expected, int count, HttpStatusCode status)
    {
        var body = $$"""{"events":[{{string.Join(",", Enumerable.Range(0, count).Select(_ => EventJson(eventId: Guid.NewGuid())))}}]}""";

        using var response = await PostAsync(NewType(), Guid.NewGuid(), expected, body);

        response.StatusCode.Should().Be(status, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AppendToStream_SixteenWritersAtTheEndOfOneStream_AllLandAndNoneAnswers500()
    {
        var type = NewType();
        var id = await _client.CreateStreamAsync(type);

        var statuses = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            using var response = await PostAsync(type, id, "any", $$"""{"event":{{EventJson(eventId: Guid.NewGuid())}}}""");
            return response.StatusCode;
        })));

        statuses.Should().AllBeEquivalentTo(HttpStatusCode.Created);
        (await _client.GetRevisionAsync(type, id)).Should().Be(17);
    }

    private Task<HttpResponseMessage> PostAsync(string type, Guid id, string? expectedRevision, string json) =>
        _client.PostAsync(
            new Uri(expectedRevision is null ? $"streams/{type}/{id}/events" : $"streams/{type}/{id}/events?expected-revision={expectedRevision}", UriKind.Relative),
            Json(json));
}

public sealed class AppendToStreamTestsOnSqlite(EventStoreServerFixture server) : AppendToStreamTests<EventStoreServerFixture>(server);

public sealed class AppendToStreamTestsOnDynamoDb(DynamoDbServerFixture server) : AppendToStreamTests<DynamoDbServerFixture>(server);

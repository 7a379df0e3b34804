using System.Net;
using EventStore.Testing;
using ServerlessEventStore.Types;
using static ServerlessEventStore.Server.Tests.Http.HttpAssertions;

namespace ServerlessEventStore.Server.Tests.Http;

/// <summary>Every kind of bad input gets a problem details 4xx and changes nothing.</summary>
public abstract class BadInputTests<TServer>(TServer server) : IClassFixture<TServer>, IDisposable
    where TServer : EventStoreServerFixture
{
    private readonly HttpClient _client = server.CreateHttpClient();

    public void Dispose() => _client.Dispose();

    [Theory]
    [MemberData(nameof(BadInputData.AppendBodies), MemberType = typeof(BadInputData))]
    public async Task AppendEvents_BadBody_Returns400AndStoresNothing(string body)
    {
        var type = NewType();
        var id = await _client.CreateStreamAsync(type);

        using var response = await _client.PutAsync(new Uri($"streams/{type}/{id}/events/2", UriKind.Relative), Json(body));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        (await _client.GetRevisionAsync(type, id)).Should().Be(1);
    }

    [Theory]
    [MemberData(nameof(BadInputData.AppendBodies), MemberType = typeof(BadInputData))]
    public async Task AppendEvents_BadBodyAtRevisionOne_Returns400AndCreatesNothing(string body)
    {
        var type = NewType();

        using var response = await _client.PutAsync(new Uri($"streams/{type}/{Guid.NewGuid()}/events/1", UriKind.Relative), Json(body));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        (await _client.CountStreamsAsync(type)).Should().Be(0);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("{}")]
    [InlineData("""{"initialEvent":null}""")]
    [InlineData("""{"initialEvent":{"eventType":"x"}}""")]
    [InlineData("""{"initialEvent":{"payload":"x"}}""")]
    [InlineData("""{"initialEvent":{"eventType":["x"],"payload":"x"}}""")]
    [InlineData("""{"initialEvent":{"eventId":"nope","eventType":"x","payload":"x"}}""")]
    public async Task CreateStream_BadBody_Returns400AndCreatesNothing(string body)
    {
        var type = NewType();

        using var response = await _client.PostAsync(new Uri($"streams/{type}", UriKind.Relative), Json(body));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        (await _client.CountStreamsAsync(type)).Should().Be(0);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("1.5")]
    [InlineData("99999999999")]
    public async Task AppendEvents_BadRevision_Returns400(string revision)
    {
        var type = NewType();
        var id = await _client.CreateStreamAsync(type);

        using var response = await _client.PutAsync(new Uri($"streams/{type}/{id}/events/{revision}", UriKind.Relative), Json($$"""{"event":{{EventJson()}}}"""));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        (await _client.GetRevisionAsync(type, id)).Should().Be(1);
    }

    [Theory]
    [InlineData("PUT", "streams/{type}/not-a-uuid/events/1")]
    [InlineData("GET", "streams/{type}/not-a-uuid/details")]
    [InlineData("GET", "streams/{type}/12345/events")]
    [InlineData("GET", "streams/{type}/{id}/events?after-revision=-1")]
    [InlineData("GET", "streams/{type}/{id}/events?after-revision=x")]
    [InlineData("GET", "streams/{type}/{id}/events?limit=0")]
    [InlineData("GET", "streams/{type}/{id}/events?limit=1001")]
    [InlineData("GET", "streams/{type}/{id}/events?limit=ten")]
    [InlineData("GET", "streams/{type}/{id}/events?before-revision=0")]
    [InlineData("GET", "streams/{type}/{id}/events?before-revision=-1")]
    [InlineData("GET", "streams/{type}/{id}/events?before-revision=+3")]
    [InlineData("GET", "streams/{type}/{id}/events?direction=Backward")]
    [InlineData("GET", "streams/{type}/{id}/events?direction=1")]
    [InlineData("GET", "streams/{type}/{id}/events?direction=sideways")]
    [InlineData("GET", "streams/{type}/{id}/events?direction=backward&direction=forward")]
    [InlineData("GET", "streams/{type}?limit=0")]
    [InlineData("GET", "streams/{type}?limit=1001")]
    [InlineData("GET", "streams/{type}?updated-after=yesterday")]
    [InlineData("GET", "streams/{type}?stream-next-page-key=garbage")]
    [InlineData("GET", "streams/{type}?nextPageKey=garbage")]
    [InlineData("GET", "streams/{type}?nextPageKey=AAAA")]
    [InlineData("GET", "streams?limit=0")]
    [InlineData("GET", "streams?limit=1001")]
    [InlineData("GET", "streams?limit=ten")]
    [InlineData("GET", "streams?limit=+5")]
    [InlineData("GET", "streams?limit=010")]
    [InlineData("GET", "streams?limit=5&limit=6")]
    [InlineData("GET", "streams?next-page-key=garbage!")]
    [InlineData("GET", "streams?next-page-key=b3JkZXI=")]
    [InlineData("GET", "streams?next-page-key=%20b3JkZXI")]
    [InlineData("GET", "streams?next-page-key=Lg")]
    [InlineData("GET", "streams?next-page-key=_w")]
    [InlineData("GET", "streams?next-page-key=JA")]
    [InlineData("GET", "streams/bad$type")]
    [InlineData("POST", "streams/bad$type")]
    [InlineData("GET", "streams/bad$type/{id}/details")]
    [InlineData("GET", "streams/bad$type/{id}/events")]
    [InlineData("PUT", "streams/bad$type/{id}/events/2")]
    [InlineData("PUT", "streams/{long}/{id}/events/2")]
    [InlineData("GET", "streams/{long}")]
    public async Task Request_BadPathOrQuery_Returns400AndStoresNothing(string method, string template)
    {
        var type = NewType();
        var id = await _client.CreateStreamAsync(type);
        var path = template.Replace("{type}", type, StringComparison.Ordinal)
            .Replace("{id}", id.ToString(), StringComparison.Ordinal)
            .Replace("{long}", new string('a', 101), StringComparison.Ordinal);
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        if (method != "GET")
        {
            request.Content = Json(method == "POST" ? $$"""{"initialEvent":{{EventJson()}}}""" : $$"""{"event":{{EventJson()}}}""");
        }

        using var response = await _client.SendAsync(request);

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        (await _client.GetRevisionAsync(type, id)).Should().Be(1);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/json; charset=utf-16")]
    [InlineData("application/json; charset=latin1")]
    public async Task AppendEvents_NonJsonContentType_Returns415(string mediaType)
    {
        var type = NewType();
        var id = await _client.CreateStreamAsync(type);

        using var response = await _client.PutAsync(
            new Uri($"streams/{type}/{id}/events/2", UriKind.Relative),
            Json($$"""{"event":{{EventJson()}}}""").WithContentType(mediaType));

        await response.ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType);
        (await _client.GetRevisionAsync(type, id)).Should().Be(1);
    }

    [Fact]
    public async Task CreateStream_NonJsonContentType_Returns415()
    {
        var type = NewType();

        using var response = await _client.PostAsync(new Uri($"streams/{type}", UriKind.Relative), Json($$"""{"initialEvent":{{EventJson()}}}""").WithContentType("text/plain"));

        await response.ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType);
        (await _client.CountStreamsAsync(type)).Should().Be(0);
    }

    [Fact]
    public async Task AppendEvents_BodyOverOneMegabyte_Returns413AndStoresNothing()
    {
        var type = NewType();
        var id = await _client.CreateStreamAsync(type);
        // Five payloads each under the payload limit, together over the body limit.
        var payload = $"\"{new string('x', 250 * 1024)}\"";
        var body = $$"""{"events":[{{string.Join(",", Enumerable.Repeat(EventJson(payload: payload), 5))}}]}""";
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri($"streams/{type}/{id}/events/2", UriKind.Relative)) { Content = Json(body) };
        // The server refuses before the body is sent; without this its early 413 races the upload (a broken pipe).
        request.Headers.ExpectContinue = true;

        using var response = await _client.SendAsync(request);

        await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        (await _client.GetRevisionAsync(type, id)).Should().Be(1);
    }

    [Fact]
    public async Task AppendEvents_PayloadOver256Kilobytes_Returns413AndStoresNothing()
    {
        var type = NewType();
        var id = await _client.CreateStreamAsync(type);
        var payload = $"\"{new string('x', 256 * 1024)}\"";

        using var response = await _client.PutAsync(new Uri($"streams/{type}/{id}/events/2", UriKind.Relative), Json($$"""{"event":{{EventJson(payload: payload)}}}"""));

        await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        (await _client.GetRevisionAsync(type, id)).Should().Be(1);
    }

    [Fact]
    public async Task AppendEvents_PayloadOf256KilobytesExactly_IsStored()
    {
        var type = NewType();
        var id = await _client.CreateStreamAsync(type);
        // The limit counts the UTF-8 bytes of the payload's JSON text, quotes included.
        var payload = $"\"{new string('x', (256 * 1024) - 2)}\"";

        using var response = await _client.PutAsync(new Uri($"streams/{type}/{id}/events/2", UriKind.Relative), Json($$"""{"event":{{EventJson(payload: payload)}}}"""));

        await response.ReadJsonAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task CreateStream_PayloadOver256Kilobytes_Returns413AndCreatesNothing()
    {
        var type = NewType();
        var payload = $"{{\"data\":\"{new string('é', 130 * 1024)}\"}}";

        using var response = await _client.PostAsync(new Uri($"streams/{type}", UriKind.Relative), Json($$"""{"initialEvent":{{EventJson(payload: payload)}}}"""));

        await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        (await _client.CountStreamsAsync(type)).Should().Be(0);
    }

    [Fact]
    public async Task AppendEvents_BadEvent_ProblemNamesTheField()
    {
        var type = NewType();
        var id = await _client.CreateStreamAsync(type);

        using var response = await _client.PutAsync(
            new Uri($"streams/{type}/{id}/events/2", UriKind.Relative),
            Json($$"""{"events":[{{EventJson()}},{"eventType":"x"}]}"""));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").TryGetProperty("events[1].payload", out _).Should().BeTrue(problem.ToString());
    }

    [Fact]
    public async Task AppendEvents_ProblemsOfEveryKind_OneProblemNamesThemAll()
    {
        var type = NewType();
        var id = await _client.CreateStreamAsync(type);
        var duplicate = Guid.NewGuid();
        var tooLarge = $"\"{new string('x', EventStoreLimits.MaxPayloadBytes)}\"";

        // A missing payload, a JSON problem and a missing event (the request's own checks) with an empty event type, a
        // repeated id and a payload over the limit (the append's rules): one 400, every field named, nothing stored.
        string[] events =
        [
            """{"eventType":"x"}""", EventJson(eventType: ""), EventJson(eventId: duplicate), EventJson(eventId: duplicate),
            EventJson(payload: tooLarge), """{"eventType":"y","payload":{},"metadata":{"m":"\ud800"}}""", "null",
        ];
        using var response = await _client.PutAsync(
            new Uri($"streams/{type}/{id}/events/0", UriKind.Relative),
            Json($"{{\"events\":[{string.Join(",", events)}]}}"));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").EnumerateObject().Select(error => error.Name).Should().BeEquivalentTo(
            "streamRevision", "events[0].payload", "events[1].eventType", "events[3].eventId", "events[4].payload", "events[5].metadata", "events[6]");
        (await _client.GetRevisionAsync(type, id)).Should().Be(1);
    }

    [Fact]
    public async Task AppendEvents_BatchOverTheLimitWithAnotherProblem_OneProblemNamesBoth()
    {
        var type = NewType();
        var id = await _client.CreateStreamAsync(type);
        var events = Enumerable.Repeat(EventJson(), EventStoreLimits.MaxEventsPerAppend).Append(EventJson(eventType: ""));

        using var response = await _client.PutAsync(new Uri($"streams/{type}/{id}/events/2", UriKind.Relative), Json($$"""{"events":[{{string.Join(",", events)}}]}"""));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").EnumerateObject().Select(error => error.Name).Should().BeEquivalentTo("events", $"events[{EventStoreLimits.MaxEventsPerAppend}].eventType");
    }

    [Fact]
    public async Task GetStreamTypes_KeyNotIssuedAndLimitOutOfRange_OneProblemNamesBoth()
    {
        using var response = await _client.GetAsync(new Uri("streams?next-page-key=Lg&limit=0", UriKind.Relative));

        var errors = (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors");
        errors.GetProperty("next-page-key")[0].GetString().Should().Be("The page key is not one this server handed out.");
        errors.GetProperty("limit")[0].GetString().Should().Contain("1 to 1000");
    }

    [Fact]
    public async Task Request_UnknownRoute_Returns404Problem()
    {
        using var response = await _client.GetAsync(new Uri("no/such/route", UriKind.Relative));

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }
}

public sealed class BadInputTestsOnSqlite(EventStoreServerFixture server) : BadInputTests<EventStoreServerFixture>(server);

public sealed class BadInputTestsOnDynamoDb(DynamoDbServerFixture server) : BadInputTests<DynamoDbServerFixture>(server);

/// <summary>Request bodies that every append must reject with 400.</summary>
public static class BadInputData
{
    private static readonly Guid DuplicateId = Guid.NewGuid();

    public static TheoryData<string> AppendBodies => new()
    {
        "{",
        "not json",
        "",
        "[]",
        "{}",
        """{"event":"x"}""",
        """{"event":null}""",
        """{"event":{"eventType":5,"payload":1}}""",
        """{"event":{"eventType":"x"}}""",
        """{"event":{"payload":1}}""",
        """{"event":{"eventType":"","payload":1}}""",
        "{\"event\":{\"eventType\":\"" + new string('x', 201) + "\",\"payload\":1}}",
        """{"event":{"eventId":"not-a-uuid","eventType":"x","payload":1}}""",
        """{"event":{"eventId":12,"eventType":"x","payload":1}}""",
        """{"event":{"eventType":"x","payload":1,"metadata":"not an object"}}""",
        """{"events":[]}""",
        """{"events":[null]}""",
        """{"events":{"eventType":"x","payload":1}}""",
        $$"""{"event":{{EventJson()}},"events":[{{EventJson()}}]}""",
        $$"""{"events":[{{EventJson(eventId: DuplicateId)}},{{EventJson(eventId: DuplicateId)}}]}""",
        $$"""{"events":[{{string.Join(",", Enumerable.Repeat(EventJson(), 100))}}]}""",
    };
}

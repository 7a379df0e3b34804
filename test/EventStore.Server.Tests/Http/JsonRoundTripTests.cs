using System.Net;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using EventStore.Testing;
using static ServerlessEventStore.Server.Tests.Http.HttpAssertions;

namespace ServerlessEventStore.Server.Tests.Http;

/// <summary>
/// Whatever the API accepts it reads back byte for byte; whatever it could not read back (too deep, not valid Unicode,
/// a member given twice) it refuses with a 400 and stores nothing.
/// </summary>
public abstract class JsonRoundTripTests<TServer>(TServer server) : IClassFixture<TServer>, IDisposable
    where TServer : EventStoreServerFixture
{
    private readonly HttpClient _client = server.CreateHttpClient();

    public void Dispose() => _client.Dispose();

    [Theory]
    [MemberData(nameof(JsonRoundTripData.AcceptedPayloads), MemberType = typeof(JsonRoundTripData))]
    public async Task AppendEvents_AcceptedPayload_ReadsBackByteExact(string payload)
    {
        var type = NewType();
        var id = Guid.NewGuid();

        using var append = await PutAsync(type, id, JsonRoundTripData.Utf8($$$"""{"event":{"eventType":"e","payload":{{{payload}}},"metadata":{{{JsonEdgeCases.DeepestMetadata}}}}}"""));

        await append.ReadJsonAsync(HttpStatusCode.Created);
        var recorded = await ReadSingleEventAsync(type, id);
        Raw(recorded.GetProperty("payload")).Should().Equal(JsonRoundTripData.Utf8(payload));
        Raw(recorded.GetProperty("metadata").GetProperty("deep")).Should().Equal(JsonRoundTripData.Utf8(JsonEdgeCases.Nested(JsonEdgeCases.MaxDepth - 1)));
    }

    [Fact]
    public async Task AppendEvents_PayloadDeeperThanTheLimit_Returns400NamingTheLimitAndStoresNothing()
    {
        var type = NewType();
        var id = Guid.NewGuid();

        using var append = await PutAsync(type, id, JsonRoundTripData.Utf8($$$"""{"event":{"eventType":"e","payload":{{{JsonEdgeCases.Nested(JsonEdgeCases.MaxDepth + 1)}}}}}"""));

        var problem = await append.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").GetProperty("event.payload")[0].GetString().Should().Contain("32 levels");
        (await _client.CountStreamsAsync(type)).Should().Be(0);
    }

    [Fact]
    public async Task AppendEvents_BodyDeeperThanReadersGo_Returns400NamingTheLimits()
    {
        var type = NewType();

        using var append = await PutAsync(type, Guid.NewGuid(), JsonRoundTripData.Utf8($$$"""{"event":{"eventType":"e","payload":{{{JsonEdgeCases.Nested(70)}}}}}"""));

        var problem = await append.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").ToString().Should().Contain("64 levels").And.Contain("32");
        (await _client.CountStreamsAsync(type)).Should().Be(0);
    }

    [Fact]
    public async Task AppendEvents_MetadataDeeperThanTheLimit_Returns400NamingTheLimit()
    {
        var type = NewType();

        using var append = await PutAsync(type, Guid.NewGuid(), JsonRoundTripData.Utf8("""{"event":{"eventType":"e","payload":1,"metadata":{"deep":""" + JsonEdgeCases.Nested(JsonEdgeCases.MaxDepth) + "}}}"));

        var problem = await append.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").GetProperty("event.metadata")[0].GetString().Should().Contain("32 levels");
        (await _client.CountStreamsAsync(type)).Should().Be(0);
    }

    [Theory]
    [MemberData(nameof(JsonRoundTripData.NotUnicode), MemberType = typeof(JsonRoundTripData))]
    public async Task AppendEvents_PayloadNotValidUnicode_Returns400AndStoresNothing(byte[] payload)
    {
        var type = NewType();

        using var append = await PutAsync(type, Guid.NewGuid(), [.. JsonRoundTripData.Utf8("""{"event":{"eventType":"e","payload":"""), .. payload, .. JsonRoundTripData.Utf8("}}")]);

        await append.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        (await _client.CountStreamsAsync(type)).Should().Be(0);
    }

    [Theory]
    [MemberData(nameof(JsonRoundTripData.NotUnicode), MemberType = typeof(JsonRoundTripData))]
    public async Task AppendEvents_MetadataNotValidUnicode_Returns400AndStoresNothing(byte[] value)
    {
        var type = NewType();

        using var append = await PutAsync(type, Guid.NewGuid(), [.. JsonRoundTripData.Utf8("""{"event":{"eventType":"e","payload":1,"metadata":{"m":"""), .. value, .. JsonRoundTripData.Utf8("}}}")]);

        await append.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        (await _client.CountStreamsAsync(type)).Should().Be(0);
    }

    [Theory]
    [InlineData("""{"event":{"eventType":"a","payload":1},"event":{"eventType":"b","payload":2}}""")]
    [InlineData("""{"event":{"eventType":"a","eventType":"b","payload":1}}""")]
    [InlineData("""{"event":{"eventType":"a","payload":1,"payload":2}}""")]
    [InlineData("""{"event":{"eventType":"a","payload":{"x":1,"x":2}}}""")]
    [InlineData("""{"event":{"eventType":"a","payload":1,"metadata":{"m":1,"m":2}}}""")]
    [InlineData("""{"events":[{"eventType":"a","payload":1}],"events":[{"eventType":"b","payload":2}]}""")]
    public async Task AppendEvents_MemberGivenTwice_Returns400AndStoresNothing(string body)
    {
        var type = NewType();

        using var append = await PutAsync(type, Guid.NewGuid(), JsonRoundTripData.Utf8(body));

        var problem = await append.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").ToString().Should().MatchRegex("twice|more than once");
        (await _client.CountStreamsAsync(type)).Should().Be(0);
    }

    [Fact]
    public async Task AppendEvents_MemberTwiceDeepInThePayload_Returns400NamingTheMember()
    {
        var type = NewType();

        using var append = await PutAsync(type, Guid.NewGuid(), JsonRoundTripData.Utf8("""{"event":{"eventType":"a","payload":[{"x":{"y":1,"z":2,"y":3}},{"y":1}]}}"""));

        var problem = await append.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").GetProperty("event.payload")[0].GetString().Should().Contain("'y' twice");
        (await _client.CountStreamsAsync(type)).Should().Be(0);
    }

    [Fact]
    public async Task CreateStream_MemberGivenTwice_Returns400AndCreatesNothing()
    {
        var type = NewType();

        using var create = await _client.PostAsync(
            new Uri($"streams/{type}", UriKind.Relative),
            Json("""{"initialEvent":{"eventType":"a","payload":1},"initialEvent":{"eventType":"b","payload":2}}"""));

        await create.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        (await _client.CountStreamsAsync(type)).Should().Be(0);
    }

    private static byte[] Raw(JsonElement element) => JsonMarshal.GetRawUtf8Value(element).ToArray();

    private async Task<HttpResponseMessage> PutAsync(string type, Guid id, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return await _client.PutAsync(new Uri($"streams/{type}/{id}/events/1", UriKind.Relative), content);
    }

    private async Task<JsonElement> ReadSingleEventAsync(string type, Guid id)
    {
        using var read = await _client.GetAsync(new Uri($"streams/{type}/{id}/events", UriKind.Relative));
        var page = await read.ReadJsonAsync(HttpStatusCode.OK);
        return page.GetProperty("eventPage").GetProperty("events").EnumerateArray().Single();
    }
}

public sealed class JsonRoundTripTestsOnSqlite(EventStoreServerFixture server) : JsonRoundTripTests<EventStoreServerFixture>(server);

public sealed class JsonRoundTripTestsOnDynamoDb(DynamoDbServerFixture server) : JsonRoundTripTests<DynamoDbServerFixture>(server);

/// <summary>What the round-trip tests send: payloads at the limits, and JSON strings that are not Unicode text.</summary>
public static class JsonRoundTripData
{
    public static TheoryData<string> AcceptedPayloads => new()
    {
        JsonEdgeCases.Nested(JsonEdgeCases.MaxDepth),
        JsonEdgeCases.WidestStrings,
        JsonEdgeCases.LongestString,
    };

    public static TheoryData<byte[]> NotUnicode => new()
    {
        Utf8("\"\\ud800\""),
        Utf8("\"\\udc00\""),
        Utf8("\"a\\ud800b\""),
        Utf8("\"\\ude00\\ud83d\""),
        Utf8("{\"\\ud800\":1}"),
        Utf8("[\"ok\",{\"x\":\"\\udbff\"}]"),
        new byte[] { (byte)'"', 0xFF, (byte)'"' },
        new byte[] { (byte)'"', 0xC0, 0xAF, (byte)'"' },
        new byte[] { (byte)'"', 0xED, 0xA0, 0x80, (byte)'"' },
        new byte[] { (byte)'"', 0xF4, 0x90, 0x80, 0x80, (byte)'"' },
        new byte[] { (byte)'"', 0xE2, 0x82, (byte)'"' },
        new byte[] { (byte)'{', (byte)'"', 0xFF, (byte)'"', (byte)':', (byte)'1', (byte)'}' },
    };

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}

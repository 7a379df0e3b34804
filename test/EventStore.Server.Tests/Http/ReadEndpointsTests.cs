using System.Net;
using System.Text.Json;
using EventStore.Testing;
using static ServerlessEventStore.Server.Tests.Http.HttpAssertions;

namespace ServerlessEventStore.Server.Tests.Http;

public abstract class ReadEndpointsTests<TServer>(TServer server) : IClassFixture<TServer>, IDisposable
    where TServer : EventStoreServerFixture
{
    private readonly HttpClient _client = server.CreateHttpClient();

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task GetLiveness_Running_ReturnsOkAndTime()
    {
        using var response = await _client.GetAsync(new Uri("liveness-check", UriKind.Relative));

        var status = await response.ReadJsonAsync(HttpStatusCode.OK);
        status.GetProperty("status").GetString().Should().Be("ok");
        status.GetProperty("at").GetDateTimeOffset().Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task CreateStream_ValidEvent_Returns201WithNewStreamAtRevisionOne()
    {
        var type = NewType();

        using var response = await _client.PostAsync(new Uri($"streams/{type}", UriKind.Relative), Json($$"""{"initialEvent":{{EventJson()}}}"""));

        var stream = (await response.ReadJsonAsync(HttpStatusCode.Created)).GetProperty("stream");
        stream.GetProperty("revision").GetInt32().Should().Be(1);
        stream.GetProperty("streamType").GetString().Should().Be(type);
        var id = stream.GetProperty("streamId").GetGuid();
        id.Should().NotBeEmpty();
        (await _client.GetRevisionAsync(type, id)).Should().Be(1);
    }

    [Fact]
    public async Task GetStreamDetails_ExistingStream_ReturnsDetails()
    {
        var type = NewType();
        var id = await _client.CreateStreamAsync(type, events: 3);

        using var response = await _client.GetAsync(new Uri($"streams/{type}/{id}/details", UriKind.Relative));

        var stream = (await response.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("stream");
        stream.GetProperty("streamId").GetGuid().Should().Be(id);
        stream.GetProperty("revision").GetInt32().Should().Be(3);
        stream.GetProperty("updatedAt").GetString().Should().EndWith("Z");
    }

    [Theory]
    [InlineData("details")]
    [InlineData("events")]
    [InlineData("events?direction=backward&limit=1")]
    [InlineData("events?after-revision=1&before-revision=3")]
    public async Task Read_UnknownStreamOrOtherType_Returns404(string resource)
    {
        var type = NewType();
        var id = await _client.CreateStreamAsync(type);

        using var otherType = await _client.GetAsync(new Uri($"streams/{NewType()}/{id}/{resource}", UriKind.Relative));
        using var unknown = await _client.GetAsync(new Uri($"streams/{type}/{Guid.NewGuid()}/{resource}", UriKind.Relative));

        await otherType.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await unknown.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task GetEvents_Pages_HaveExactHasMoreAndLastEvaluatedRevision()
    {
        var type = NewType();
        var id = await _client.CreateStreamAsync(type, events: 5);

        var first = await GetEventPageAsync(type, id, "limit=2");
        var last = await GetEventPageAsync(type, id, $"after-revision={first.GetProperty("lastEvaluatedRevision").GetInt32() + 2}&limit=2");
        var empty = await GetEventPageAsync(type, id, "after-revision=5");

        first.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("revision").GetInt32()).Should().Equal(1, 2);
        first.GetProperty("hasMore").GetBoolean().Should().BeTrue();
        first.GetProperty("lastEvaluatedRevision").GetInt32().Should().Be(2);
        last.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("revision").GetInt32()).Should().Equal(5);
        last.GetProperty("hasMore").GetBoolean().Should().BeFalse();
        empty.GetProperty("events").GetArrayLength().Should().Be(0);
        empty.GetProperty("hasMore").GetBoolean().Should().BeFalse();
        empty.TryGetProperty("lastEvaluatedRevision", out _).Should().BeFalse();
    }

    [Fact]
    public async Task GetEvents_BackwardWithinBounds_PagesNewestFirst()
    {
        var type = NewType();
        var id = await _client.CreateStreamAsync(type, events: 5);

        var last = await GetEventPageAsync(type, id, "direction=backward&limit=1");
        var next = await GetEventPageAsync(type, id, $"direction=backward&before-revision={last.GetProperty("lastEvaluatedRevision").GetInt32()}&after-revision=2&limit=10");
        var forward = await GetEventPageAsync(type, id, "direction=forward&after-revision=1&before-revision=4");

        last.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("revision").GetInt32()).Should().Equal(5);
        last.GetProperty("hasMore").GetBoolean().Should().BeTrue();
        next.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("revision").GetInt32()).Should().Equal(4, 3);
        next.GetProperty("hasMore").GetBoolean().Should().BeFalse();
        next.GetProperty("lastEvaluatedRevision").GetInt32().Should().Be(3);
        forward.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("revision").GetInt32()).Should().Equal(2, 3);
    }

    [Theory]
    [InlineData("stream-next-page-key")]
    [InlineData("nextPageKey")]
    public async Task GetStreams_PagingWithEitherKeyName_ListsEveryStreamOnce(string keyName)
    {
        var type = NewType();
        var created = new List<Guid>();
        for (var i = 0; i < 7; i++)
        {
            created.Add(await _client.CreateStreamAsync(type));
        }

        var listed = new List<Guid>();
        var pages = 0;
        string? key = null;
        do
        {
            var query = key is null ? "limit=3" : $"limit=3&{keyName}={Uri.EscapeDataString(key)}";
            using var response = await _client.GetAsync(new Uri($"streams/{type}?{query}", UriKind.Relative));
            var page = (await response.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("streamPage");
            listed.AddRange(page.GetProperty("streams").EnumerateArray().Select(s => s.GetProperty("streamId").GetGuid()));
            key = page.TryGetProperty("nextPageKey", out var next) ? next.GetString() : null;
            page.GetProperty("hasMore").GetBoolean().Should().Be(key is not null);
            pages++;
        }
        while (key is not null && pages < 10);

        pages.Should().Be(3);
        listed.Should().Equal(created);
    }

    [Fact]
    public async Task GetStreams_UpdatedAfter_ListsOnlyStreamsUpdatedAtOrAfter()
    {
        var type = NewType();
        var early = await _client.CreateStreamAsync(type);
        var late = await _client.CreateStreamAsync(type);
        using var details = await _client.GetAsync(new Uri($"streams/{type}/{late}/details", UriKind.Relative));
        var lateUpdatedAt = (await details.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("stream").GetProperty("updatedAt").GetString();

        using var response = await _client.GetAsync(new Uri($"streams/{type}?updated-after={Uri.EscapeDataString(lateUpdatedAt!)}", UriKind.Relative));

        var streams = (await response.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("streamPage").GetProperty("streams");
        streams.EnumerateArray().Select(s => s.GetProperty("streamId").GetGuid()).Should().Equal(late);
        early.Should().NotBe(late);
    }

    [Fact]
    public async Task GetStreams_UnknownType_ReturnsEmptyPageWithoutKey()
    {
        using var response = await _client.GetAsync(new Uri($"streams/{NewType()}", UriKind.Relative));

        var page = (await response.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("streamPage");
        page.GetProperty("streams").GetArrayLength().Should().Be(0);
        page.GetProperty("hasMore").GetBoolean().Should().BeFalse();
        page.TryGetProperty("nextPageKey", out _).Should().BeFalse();
    }

    [Fact]
    public async Task GetStreamTypes_Paging_ListsEveryTypeOnceAndTheLastPageWithoutKey()
    {
        // The server is shared with the class's other tests: their types are listed too.
        var types = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            types.Add(NewType());
            await _client.CreateStreamAsync(types[^1]);
        }

        await _client.CreateStreamAsync(types[0]);

        var listed = new List<string>();
        var pages = new List<JsonElement>();
        string? key = null;
        do
        {
            var query = key is null ? "limit=2" : $"limit=2&next-page-key={Uri.EscapeDataString(key)}";
            using var response = await _client.GetAsync(new Uri($"streams?{query}", UriKind.Relative));
            var page = (await response.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("streamTypePage");
            pages.Add(page.Clone());
            listed.AddRange(page.GetProperty("streamTypes").EnumerateArray().Select(type => type.GetString()!));
            key = page.TryGetProperty("nextPageKey", out var next) ? next.GetString() : null;
            page.GetProperty("hasMore").GetBoolean().Should().Be(key is not null);
        }
        while (key is not null && pages.Count < 1000);

        listed.Should().OnlyHaveUniqueItems().And.Contain(types);
        pages.Should().OnlyContain(page => page.GetProperty("streamTypes").GetArrayLength() <= 2);
        pages[^1].GetProperty("hasMore").GetBoolean().Should().BeFalse();
    }

    private async Task<JsonElement> GetEventPageAsync(string type, Guid id, string query)
    {
        using var response = await _client.GetAsync(new Uri($"streams/{type}/{id}/events?{query}", UriKind.Relative));
        return (await response.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("eventPage");
    }
}

public sealed class ReadEndpointsTestsOnSqlite(EventStoreServerFixture server) : ReadEndpointsTests<EventStoreServerFixture>(server);

public sealed class ReadEndpointsTestsOnDynamoDb(DynamoDbServerFixture server) : ReadEndpointsTests<DynamoDbServerFixture>(server);

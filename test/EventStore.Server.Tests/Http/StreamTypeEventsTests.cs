using System.Net;
using System.Text.Json;
using EventStore.Testing;
using static ServerlessEventStore.Server.Tests.Http.HttpAssertions;

namespace ServerlessEventStore.Server.Tests.Http;

/// <summary><c>GET /streams/{streamType}/events</c> on the wire: the page's shape, checkpoints, and bad input.</summary>
public abstract class StreamTypeEventsTests<TServer>(TServer server) : IClassFixture<TServer>, IDisposable
    where TServer : EventStoreServerFixture
{
    private readonly HttpClient _client = server.CreateHttpClient();

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task GetStreamTypeEvents_FromStart_ReturnsEachEventWithStreamIdRevisionAndCheckpoint()
    {
        var type = NewType();
        var first = await _client.CreateStreamAsync(type, events: 2);
        var second = await _client.CreateStreamAsync(type, events: 1);
        await _client.CreateStreamAsync(NewType());

        var page = await UntilEventsAsync(type, count: 3);

        var events = page.GetProperty("events").EnumerateArray().ToList();
        events.Select(e => (e.GetProperty("event").GetProperty("streamId").GetGuid(), e.GetProperty("event").GetProperty("revision").GetInt32()))
            .Should().Equal((first, 1), (first, 2), (second, 1));
        events.Should().OnlyContain(e => e.GetProperty("checkpoint").GetString()!.Length > 0);
        events.Select(e => e.GetProperty("checkpoint").GetString()).Should().OnlyHaveUniqueItems();
        events[0].GetProperty("event").GetProperty("eventType").GetString().Should().Be("something-happened");
        page.GetProperty("hasMore").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task GetStreamTypeEvents_FromAPagesCheckpoint_ReturnsTheNextPageThenTheEnd()
    {
        var type = NewType();
        await _client.CreateStreamAsync(type, events: 3);
        await UntilEventsAsync(type, count: 3);

        var first = await GetPageAsync(type, "limit=2");
        var second = await GetPageAsync(type, $"checkpoint={first.GetProperty("checkpoint").GetString()}&limit=2");
        var end = await GetPageAsync(type, $"checkpoint={second.GetProperty("checkpoint").GetString()}");

        first.GetProperty("hasMore").GetBoolean().Should().BeTrue();
        first.GetProperty("checkpoint").GetString().Should().Be(first.GetProperty("events")[1].GetProperty("checkpoint").GetString());
        second.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("event").GetProperty("revision").GetInt32()).Should().Equal(3);
        end.GetProperty("events").GetArrayLength().Should().Be(0);
        end.GetProperty("hasMore").GetBoolean().Should().BeFalse();
        end.GetProperty("checkpoint").GetString().Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task GetStreamTypeEvents_UnknownType_ReturnsAnEmptyPageWithACheckpoint()
    {
        var page = await GetPageAsync(NewType(), "");

        page.GetProperty("events").GetArrayLength().Should().Be(0);
        page.GetProperty("checkpoint").GetString().Should().NotBeNullOrEmpty();
    }

    [Theory]
    [InlineData("checkpoint=garbage", "checkpoint")]
    [InlineData("checkpoint=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "checkpoint")]
    [InlineData("checkpoint=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB", "checkpoint")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1001", "limit")]
    [InlineData("limit=02", "limit")]
    public async Task GetStreamTypeEvents_BadQuery_Returns400NamingTheField(string query, string field)
    {
        using var response = await _client.GetAsync(new Uri($"streams/{NewType()}/events?{query}", UriKind.Relative));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").TryGetProperty(field, out _).Should().BeTrue(problem.ToString());
    }

    [Fact]
    public async Task GetStreamTypeEvents_CheckpointOfAnotherKind_Returns400()
    {
        var type = NewType();
        await _client.CreateStreamAsync(type);
        await _client.CreateStreamAsync(type);
        using var streams = await _client.GetAsync(new Uri($"streams/{type}?limit=1", UriKind.Relative));
        var pageKey = (await streams.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("streamPage").GetProperty("nextPageKey").GetString();
        var checkpoint = (await GetPageAsync(type, "")).GetProperty("checkpoint").GetString();

        using var withPageKey = await _client.GetAsync(new Uri($"streams/{type}/events?checkpoint={pageKey}", UriKind.Relative));
        using var twice = await _client.GetAsync(new Uri($"streams/{type}/events?checkpoint={checkpoint}&checkpoint={checkpoint}", UriKind.Relative));

        await withPageKey.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        (await twice.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("checkpoint")[0].GetString().Should().Contain("2 times");
    }

    [Fact]
    public async Task GetStreamTypeEvents_InvalidStreamType_Returns400()
    {
        using var response = await _client.GetAsync(new Uri("streams/not%20a%20type/events", UriKind.Relative));

        (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("streamType", out _).Should().BeTrue();
    }

    [Fact]
    public async Task GetStreams_BesideTheEventsOfTheType_StillListsTheStreams()
    {
        var type = NewType();
        await _client.CreateStreamAsync(type);

        (await _client.CountStreamsAsync(type)).Should().Be(1);
    }

    private async Task<JsonElement> GetPageAsync(string type, string query)
    {
        using var response = await _client.GetAsync(new Uri($"streams/{type}/events?{query}", UriKind.Relative));
        return (await response.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("streamTypeEventPage");
    }

    /// <summary>The first page from the start once it holds <paramref name="count"/> events (on DynamoDB, after the settle window).</summary>
    private async Task<JsonElement> UntilEventsAsync(string type, int count)
    {
        JsonElement page = default;
        await Poll.UntilAsync(
            async () => (page = await GetPageAsync(type, "")).GetProperty("events").GetArrayLength() >= count,
            TimeSpan.FromSeconds(30),
            () => $"{count} events of type {type}");
        return page;
    }
}

public sealed class StreamTypeEventsTestsOnSqlite(EventStoreServerFixture server) : StreamTypeEventsTests<EventStoreServerFixture>(server);

public sealed class StreamTypeEventsTestsOnDynamoDb(ShortSettleDynamoDbServerFixture server) : StreamTypeEventsTests<ShortSettleDynamoDbServerFixture>(server);

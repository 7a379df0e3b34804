using EventStore.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static ServerlessEventStore.Client.Tests.TestSupport;

namespace ServerlessEventStore.Client.Tests;

public sealed class PagingTests(EventStoreServerFixture fixture) : IClassFixture<EventStoreServerFixture>
{
    private readonly EventStoreClient _client = fixture.CreateClient(pageSize: 2);

    [Fact]
    public async Task GetEventsAsync_SevenEventsPageSizeTwo_ReadsAllInOrderAcrossFourPages()
    {
        var streamType = NewStreamType();
        var streamId = await _client.CreateStreamWithEventsAsync(streamType, 7);
        var counter = new CountingHandler();
        var client = fixture.CreateClient(counter, pageSize: 2);

        var events = await client.GetEventsAsync(streamType, streamId).ToListAsync();

        events.Select(e => e.Revision).Should().Equal(1, 2, 3, 4, 5, 6, 7);
        events.Select(e => e.GetPayload<Counted>()!.Number).Should().Equal(1, 2, 3, 4, 5, 6, 7);
        counter.Count.Should().Be(4);
    }

    [Fact]
    public async Task GetEventsAsync_AsPages_ReturnsPagesOfRequestedSizeWithTokensUntilTheLast()
    {
        var streamType = NewStreamType();
        var streamId = await _client.CreateStreamWithEventsAsync(streamType, 7);

        var pages = await _client.GetEventsAsync(streamType, streamId).AsPages().ToListAsync();

        pages.Select(p => p.Values.Count).Should().Equal(2, 2, 2, 1);
        pages.Select(p => p.ContinuationToken).Should().Equal("2", "4", "6", "7");
        pages.Select(p => p.HasMore).Should().Equal(true, true, true, false);
    }

    [Fact]
    public async Task GetEventsAsync_AsPagesWithPageSizeHint_OverridesConfiguredPageSize()
    {
        var streamType = NewStreamType();
        var streamId = await _client.CreateStreamWithEventsAsync(streamType, 7);

        var pages = await _client.GetEventsAsync(streamType, streamId).AsPages(pageSizeHint: 3).ToListAsync();

        pages.Select(p => p.Values.Count).Should().Equal(3, 3, 1);
        FluentActions.Invoking(() => _client.GetEventsAsync(streamType, streamId).AsPages(pageSizeHint: 0))
            .Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => _client.GetEventsAsync(streamType, streamId).AsPages(pageSizeHint: 1001))
            .Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public async Task GetEventsAsync_ResumedFromContinuationToken_ContinuesWithNextPage()
    {
        var streamType = NewStreamType();
        var streamId = await _client.CreateStreamWithEventsAsync(streamType, 7);
        var events = _client.GetEventsAsync(streamType, streamId);
        var secondPage = await events.AsPages().Skip(1).FirstAsync();

        var resumed = await events.AsPages(secondPage.ContinuationToken).ToListAsync();

        resumed.SelectMany(p => p.Values).Select(e => e.Revision).Should().Equal(5, 6, 7);
        resumed.First().Values.Select(e => e.Revision).Should().Equal(5, 6);
    }

    [Fact]
    public async Task GetEventsAsync_AfterRevision_SkipsEarlierEvents()
    {
        var streamType = NewStreamType();
        var streamId = await _client.CreateStreamWithEventsAsync(streamType, 7);

        var events = await _client.GetEventsAsync(streamType, streamId, afterRevision: 4).ToListAsync();

        events.Select(e => e.Revision).Should().Equal(5, 6, 7);
    }

    [Fact]
    public async Task GetEventsAsync_InvalidContinuationToken_ThrowsArgumentException()
    {
        var streamType = NewStreamType();
        var streamId = await _client.CreateStreamWithEventsAsync(streamType, 1);

        await FluentActions.Awaiting(() => _client.GetEventsAsync(streamType, streamId).AsPages("not-a-revision").ToListAsync().AsTask())
            .Should().ThrowAsync<ArgumentException>();
    }

    [Fact]
    public async Task GetEventsAsync_EnumeratedTwice_YieldsSameEventsEachTime()
    {
        var streamType = NewStreamType();
        var streamId = await _client.CreateStreamWithEventsAsync(streamType, 5);
        var events = _client.GetEventsAsync(streamType, streamId);

        var first = await events.ToListAsync();
        var second = await events.ToListAsync();

        first.Should().HaveCount(5);
        second.Select(e => e.EventId).Should().Equal(first.Select(e => e.EventId));
    }

    [Fact]
    public async Task GetEventsAsync_OnlyFirstItemRead_SendsOneRequest()
    {
        var streamType = NewStreamType();
        var streamId = await _client.CreateStreamWithEventsAsync(streamType, 7);
        var counter = new CountingHandler();
        var client = fixture.CreateClient(counter, pageSize: 2);

        var events = client.GetEventsAsync(streamType, streamId);
        counter.Count.Should().Be(0, "nothing is requested before enumeration");
        await using var enumerator = events.GetAsyncEnumerator();
        (await enumerator.MoveNextAsync()).Should().BeTrue();
        (await enumerator.MoveNextAsync()).Should().BeTrue();
        var afterFirstPage = counter.Count;
        (await enumerator.MoveNextAsync()).Should().BeTrue();

        afterFirstPage.Should().Be(1);
        counter.Count.Should().Be(2);
        enumerator.Current.Revision.Should().Be(3);
    }

    [Fact]
    public async Task GetStreamsAsync_SevenStreamsPageSizeTwo_ReadsAllAcrossFourPages()
    {
        var streamType = NewStreamType();
        var created = await CreateStreamsAsync(streamType, 7);

        var pages = await _client.GetStreamsAsync(streamType).AsPages().ToListAsync();

        pages.Should().HaveCountGreaterThanOrEqualTo(4);
        pages.SkipLast(1).Should().OnlyContain(p => p.ContinuationToken != null && p.Values.Count == 2);
        pages[^1].HasMore.Should().BeFalse();
        pages[^1].ContinuationToken.Should().NotBeNull("the last page has the position after its last stream");
        var streams = pages.SelectMany(p => p.Values).ToList();
        streams.Select(s => s.StreamId).Should().BeEquivalentTo(created);
        streams.Should().OnlyContain(s => s.StreamType == streamType && s.Revision == 1);
        streams.Select(s => s.UpdatedAt).Should().BeInAscendingOrder();
    }

    [Fact]
    public async Task GetStreamsAsync_EnumeratedTwice_YieldsSameStreamsEachTime()
    {
        var streamType = NewStreamType();
        await CreateStreamsAsync(streamType, 5);
        var streams = _client.GetStreamsAsync(streamType);

        var first = await streams.Select(s => s.StreamId).ToListAsync();
        var second = await streams.Select(s => s.StreamId).ToListAsync();

        first.Should().HaveCount(5);
        second.Should().Equal(first);
    }

    [Fact]
    public async Task GetStreamsAsync_ResumedFromContinuationToken_ContinuesWithNextPage()
    {
        var streamType = NewStreamType();
        await CreateStreamsAsync(streamType, 7);
        var streams = _client.GetStreamsAsync(streamType);
        var all = await streams.Select(s => s.StreamId).ToListAsync();
        var firstPage = await streams.AsPages().FirstAsync();

        var resumed = await streams.AsPages(firstPage.ContinuationToken).ToListAsync();

        resumed.First().Values.Select(s => s.StreamId).Should().Equal(all.Skip(2).Take(2));
        resumed.SelectMany(p => p.Values).Select(s => s.StreamId).Should().Equal(all.Skip(2));
    }

    [Fact]
    public async Task GetStreamsAsync_OnlyFirstItemRead_SendsOneRequest()
    {
        var streamType = NewStreamType();
        await CreateStreamsAsync(streamType, 5);
        var counter = new CountingHandler();
        var client = fixture.CreateClient(counter, pageSize: 2);

        var first = await client.GetStreamsAsync(streamType).FirstAsync();

        first.StreamType.Should().Be(streamType);
        counter.Count.Should().Be(1);
    }

    [Trait("Server", "InProcess")]
    [Fact]
    public async Task GetStreamsAsync_UpdatedAfter_ReturnsOnlyStreamsUpdatedSince()
    {
        // The server's clock is the test's: the older streams are a second older, without waiting for one.
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero));
        var server = EventStoreServerFixture.Create(configureServices: services => services.AddSingleton<TimeProvider>(time));
        await server.InitializeAsync();
        try
        {
            var client = server.CreateClient(pageSize: 2);
            var streamType = NewStreamType();
            var old = await CreateStreamsAsync(client, streamType, 2);
            time.Advance(TimeSpan.FromSeconds(1));
            var recent = await CreateStreamsAsync(client, streamType, 3);
            var since = time.GetUtcNow();

            var streams = await client.GetStreamsAsync(streamType, updatedAfter: since).Select(s => s.StreamId).ToListAsync();

            (await client.GetStreamAsync(streamType, old[^1])).UpdatedAt.Should().Be(since - TimeSpan.FromSeconds(1));
            (await client.GetStreamAsync(streamType, recent[0])).UpdatedAt.Should().Be(since);
            streams.Should().BeEquivalentTo(recent);
            (await client.GetStreamsAsync(streamType, since.AddSeconds(1)).ToListAsync()).Should().BeEmpty();
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task GetStreamsAsync_ResumedFromTheLastPagesToken_ListsOnlyTheStreamsUpdatedSince()
    {
        var streamType = NewStreamType();
        var earlier = await CreateStreamsAsync(_client, streamType, 3);
        var streams = _client.GetStreamsAsync(streamType);
        var last = await streams.AsPages().LastAsync();

        var nothingYet = await streams.AsPages(last.ContinuationToken).ToListAsync();
        await _client.AppendAsync(streamType, earlier[0], 1, CountedEvent(2));
        var created = await CreateStreamsAsync(_client, streamType, 1);
        var resumed = await streams.AsPages(last.ContinuationToken).SelectMany(p => p.Values.ToAsyncEnumerable()).Select(s => s.StreamId).ToListAsync();

        last.HasMore.Should().BeFalse();
        last.ContinuationToken.Should().NotBeNull();
        nothingYet.Should().ContainSingle().Which.Values.Should().BeEmpty();
        nothingYet[0].ContinuationToken.Should().Be(last.ContinuationToken, "an empty last page keeps the position it was read from");
        resumed.Should().Equal(earlier[0], created[0]);
    }

    [Fact]
    public async Task GetStreamsAsync_UnknownStreamType_IsEmpty()
    {
        var pages = await _client.GetStreamsAsync(NewStreamType()).AsPages().ToListAsync();

        pages.Should().ContainSingle().Which.Values.Should().BeEmpty();
        pages[0].ContinuationToken.Should().BeNull();
    }

    [Fact]
    public async Task GetStreamTypesAsync_PageSizeTwo_ListsEveryTypeOnceAndTheLastPageWithoutToken()
    {
        var created = new[] { NewStreamType(), NewStreamType(), NewStreamType(), NewStreamType(), NewStreamType() };
        foreach (var streamType in created)
        {
            await CreateStreamsAsync(streamType, 1);
        }

        await CreateStreamsAsync(created[0], 2);

        var pages = await _client.GetStreamTypesAsync().AsPages().ToListAsync();

        pages.Should().HaveCountGreaterThanOrEqualTo(3);
        pages.SkipLast(1).Should().OnlyContain(p => p.ContinuationToken != null && p.HasMore && p.Values.Count == 2);
        pages[^1].HasMore.Should().BeFalse();
        pages[^1].ContinuationToken.Should().BeNull("a position in the types' order is no point in time to resume from");
        pages.SelectMany(p => p.Values).Should().OnlyHaveUniqueItems().And.Contain(created);
    }

    [Fact]
    public async Task GetStreamTypesAsync_ResumedFromContinuationToken_ContinuesWithNextPageAndEnumeratesAgainFromTheStart()
    {
        for (var i = 0; i < 5; i++)
        {
            await CreateStreamsAsync(NewStreamType(), 1);
        }

        var streamTypes = _client.GetStreamTypesAsync();
        var all = await streamTypes.ToListAsync();
        var firstPage = await streamTypes.AsPages().FirstAsync();

        var resumed = await streamTypes.AsPages(firstPage.ContinuationToken).SelectMany(p => p.Values.ToAsyncEnumerable()).ToListAsync();

        firstPage.Values.Should().Equal(all.Take(2));
        resumed.Should().Equal(all.Skip(2));
        (await streamTypes.ToListAsync()).Should().Equal(all);
    }

    [Fact]
    public async Task GetStreamTypesAsync_OnlyFirstItemRead_SendsOneRequest()
    {
        for (var i = 0; i < 3; i++)
        {
            await CreateStreamsAsync(NewStreamType(), 1);
        }

        var counter = new CountingHandler();
        var client = fixture.CreateClient(counter, pageSize: 2);

        var first = await client.GetStreamTypesAsync().FirstAsync();

        first.Should().StartWith("t-");
        counter.Count.Should().Be(1);
    }

    private Task<List<Guid>> CreateStreamsAsync(string streamType, int count) => CreateStreamsAsync(_client, streamType, count);

    private static async Task<List<Guid>> CreateStreamsAsync(EventStoreClient client, string streamType, int count)
    {
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            ids.Add((await client.CreateStreamAsync(streamType, CountedEvent(i))).StreamId);
        }

        return ids;
    }
}

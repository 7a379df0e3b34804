using EventStore.Testing;
using ServerlessEventStore.Types;
using static ServerlessEventStore.Client.Tests.TestSupport;

namespace ServerlessEventStore.Client.Tests;

/// <summary>Reads backward, within a range, of the last event, and resuming from the end of a read.</summary>
public sealed class ReadDirectionTests(EventStoreServerFixture fixture) : IClassFixture<EventStoreServerFixture>
{
    private readonly EventStoreClient _client = fixture.CreateClient(pageSize: 2);

    [Fact]
    public async Task GetEventsAsync_Backward_ReadsNewestFirstAcrossPages()
    {
        var streamType = NewStreamType();
        var streamId = await _client.CreateStreamWithEventsAsync(streamType, 7);

        var pages = await _client.GetEventsAsync(streamType, streamId, ReadDirection.Backward).AsPages().ToListAsync();

        pages.Select(p => string.Join(",", p.Values.Select(e => e.Revision))).Should().Equal("7,6", "5,4", "3,2", "1");
        pages.Select(p => p.ContinuationToken).Should().Equal("6", "4", "2", "1");
        pages.Select(p => p.HasMore).Should().Equal(true, true, true, false);
    }

    [Fact]
    public async Task GetEventsAsync_BetweenBounds_ReadsOnlyTheRangeEitherWay()
    {
        var streamType = NewStreamType();
        var streamId = await _client.CreateStreamWithEventsAsync(streamType, 7);

        var forward = await _client.GetEventsAsync(streamType, streamId, ReadDirection.Forward, afterRevision: 2, beforeRevision: 6).Select(e => e.Revision).ToListAsync();
        var backward = await _client.GetEventsAsync(streamType, streamId, ReadDirection.Backward, afterRevision: 2, beforeRevision: 6).Select(e => e.Revision).ToListAsync();
        var beforeOnly = await _client.GetEventsAsync(streamType, streamId, ReadDirection.Backward, beforeRevision: 4).Select(e => e.Revision).ToListAsync();
        var empty = await _client.GetEventsAsync(streamType, streamId, ReadDirection.Forward, afterRevision: 3, beforeRevision: 4).ToListAsync();

        forward.Should().Equal(3, 4, 5);
        backward.Should().Equal(5, 4, 3);
        beforeOnly.Should().Equal(3, 2, 1);
        empty.Should().BeEmpty("no revision lies strictly between 3 and 4");
    }

    [Fact]
    public async Task GetEventsAsync_ResumedFromTheLastPagesToken_ReadsOnlyWhatWasAppendedSince()
    {
        var streamType = NewStreamType();
        var streamId = await _client.CreateStreamWithEventsAsync(streamType, 3);
        var events = _client.GetEventsAsync(streamType, streamId);
        var end = (await events.AsPages().LastAsync()).ContinuationToken;

        var nothingYet = await events.AsPages(end).ToListAsync();
        await _client.AppendAsync(streamType, streamId, 3, [CountedEvent(4), CountedEvent(5)]);
        var resumed = await events.AsPages(end).ToListAsync();

        end.Should().Be("3");
        nothingYet.Should().ContainSingle().Which.Values.Should().BeEmpty();
        nothingYet[0].ContinuationToken.Should().Be("3", "an empty last page keeps the position it read from");
        resumed.SelectMany(p => p.Values).Select(e => e.Revision).Should().Equal(4, 5);
        resumed[^1].ContinuationToken.Should().Be("5");
    }

    [Fact]
    public async Task ReadLastEventAsync_OneRequest_ReturnsTheNewestEvent()
    {
        var streamType = NewStreamType();
        var streamId = await _client.CreateStreamWithEventsAsync(streamType, 5);
        var counter = new CountingHandler();
        var client = fixture.CreateClient(counter);

        var last = await client.ReadLastEventAsync(streamType, streamId);

        last!.Revision.Should().Be(5);
        last.GetPayload<Counted>()!.Number.Should().Be(5);
        counter.Count.Should().Be(1);
    }

    [Fact]
    public async Task ReadLastEventAsync_UnknownStream_ThrowsStreamNotFound()
    {
        var streamType = NewStreamType();

        await FluentActions.Awaiting(() => _client.ReadLastEventAsync(streamType, Guid.NewGuid())).Should().ThrowAsync<StreamNotFoundException>();
    }

    [Fact]
    public void GetEventsAsync_BeforeRevisionZero_ThrowsBeforeAnyRequest()
    {
        FluentActions.Invoking(() => _client.GetEventsAsync(NewStreamType(), Guid.NewGuid(), ReadDirection.Backward, beforeRevision: 0))
            .Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("beforeRevision");
    }
}

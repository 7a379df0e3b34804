using System.Net;
using EventStore.Testing;
using ServerlessEventStore.Types;
using static ServerlessEventStore.Client.Tests.TestSupport;

namespace ServerlessEventStore.Client.Tests;

/// <summary>Appends by <see cref="ExpectedRevision"/>: exact ones the original's way, the end by the expected-revision mode.</summary>
public sealed class ExpectedRevisionTests(EventStoreServerFixture fixture) : IClassFixture<EventStoreServerFixture>
{
    private readonly EventStoreClient _client = fixture.CreateClient();

    [Fact]
    public async Task AppendAsync_Any_AppendsAfterTheLastEventAndARepeatReturnsTheStream()
    {
        var streamType = NewStreamType();
        var streamId = await _client.CreateStreamWithEventsAsync(streamType, 2);
        var batch = new[] { CountedEvent(3), CountedEvent(4) };

        var appended = await _client.AppendAsync(streamType, streamId, ExpectedRevision.Any, batch);
        await _client.AppendAsync(streamType, streamId, 4, CountedEvent(5));
        var repeated = await _client.AppendAsync(streamType, streamId, ExpectedRevision.Any, batch);

        appended.Revision.Should().Be(4);
        repeated.Revision.Should().Be(5);
        (await _client.GetEventsAsync(streamType, streamId).ToListAsync()).Select(e => e.GetPayload<Counted>()!.Number).Should().Equal(1, 2, 3, 4, 5);
    }

    [Fact]
    public async Task AppendAsync_StreamExistsOnMissingStream_ThrowsStreamNotFound()
    {
        var streamType = NewStreamType();
        var streamId = Guid.NewGuid();

        var thrown = await FluentActions.Awaiting(() => _client.AppendAsync(streamType, streamId, ExpectedRevision.StreamExists, CountedEvent(1)))
            .Should().ThrowAsync<StreamNotFoundException>();

        thrown.Which.StreamId.Should().Be(streamId);
    }

    [Fact]
    public async Task AppendAsync_NoStreamOnExistingStream_ThrowsWrongExpectedRevisionWithActual()
    {
        var streamType = NewStreamType();
        var streamId = await _client.CreateStreamWithEventsAsync(streamType, 3);

        var thrown = await FluentActions.Awaiting(() => _client.AppendAsync(streamType, streamId, ExpectedRevision.NoStream, CountedEvent(1)))
            .Should().ThrowAsync<WrongExpectedRevisionException>();

        thrown.Which.ExpectedRevision.Should().Be(0);
        thrown.Which.ActualRevision.Should().Be(3);
    }

    [Fact]
    public async Task AppendAsync_ReusedFirstEventIdWithOtherEvents_ThrowsEventStoreExceptionNotWrongExpectedRevision()
    {
        var streamType = NewStreamType();
        var streamId = Guid.NewGuid();
        var first = CountedEvent(1);
        await _client.AppendAsync(streamType, streamId, ExpectedRevision.Any, first);

        var thrown = await FluentActions.Awaiting(() => _client.AppendAsync(streamType, streamId, ExpectedRevision.Any, [first, CountedEvent(2)]))
            .Should().ThrowAsync<EventStoreException>();

        thrown.Which.Should().NotBeOfType<WrongExpectedRevisionException>();
        thrown.Which.Status.Should().Be((int)HttpStatusCode.Conflict);
        thrown.Which.Message.Should().Contain(first.EventId!.Value.ToString("D"));
    }

    [Fact]
    public async Task AppendAsync_ExactRevision_GoesAsThePutTheOriginalApiKnows()
    {
        var streamType = NewStreamType();
        var streamId = await _client.CreateStreamWithEventsAsync(streamType, 1);
        var counter = new CountingHandler();
        var client = fixture.CreateClient(counter);

        await client.AppendAsync(streamType, streamId, ExpectedRevision.Exactly(1), CountedEvent(2));
        await client.AppendAsync(streamType, streamId, ExpectedRevision.Any, CountedEvent(3));

        counter.Requests.Select(r => $"{r.Method} {r.RequestUri!.PathAndQuery}").Should().Equal(
            $"PUT /streams/{streamType}/{streamId}/events/2",
            $"POST /streams/{streamType}/{streamId}/events?expected-revision=any");
    }

    [Fact]
    public void AppendAsync_NinetyNineEventsAtTheEnd_ThrowsBeforeAnyRequest()
    {
        var events = Enumerable.Range(0, 99).Select(CountedEvent).ToList();

        FluentActions.Awaiting(() => _client.AppendAsync(NewStreamType(), Guid.NewGuid(), ExpectedRevision.Any, events))
            .Should().ThrowAsync<ArgumentException>().WithMessage("*1 to 98*");
    }
}

using System.Collections.Concurrent;
using ServerlessEventStore.Server.Storage;
using ServerlessEventStore.Types;

namespace ServerlessEventStore.Server.Tests.Conformance;

/// <summary>The read of a stream type's events (catch-up subscriptions), stated against the storage port.</summary>
public abstract partial class EventStorageConformanceTests
{
    // Longer than any store's settle window: moved on by this, the clock makes every event stored so far readable.
    private static readonly TimeSpan PastEverySettleWindow = TimeSpan.FromMinutes(15);

    [Fact]
    public async Task GetStreamTypeEventsAsync_FromStart_ReturnsEveryEventOfTheTypeOnceInEachStreamsRevisionOrder()
    {
        var type = NewType();
        var streams = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToArray();
        var other = Guid.NewGuid();
        for (var round = 0; round < 3; round++)
        {
            foreach (var stream in streams)
            {
                await AppendAsync(type, stream, round * 2, Event(), Event());
            }
        }

        await AppendAsync(NewType(), other, 0, Event());
        Clock.Advance(PastEverySettleWindow);

        var events = await ReadTypeToEndAsync(type, EventCheckpoint.Start, limit: 4);

        events.Should().HaveCount(18).And.OnlyContain(e => streams.Contains(e.Event.StreamId));
        foreach (var stream in streams)
        {
            events.Where(e => e.Event.StreamId == stream).Select(e => e.Event.Revision).Should().Equal(1, 2, 3, 4, 5, 6);
        }
    }

    [Fact]
    public async Task GetStreamTypeEventsAsync_AcrossStreams_InTheOrderOfTheAppends()
    {
        var type = NewType();
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());
        await AppendAsync(type, first, 0, Event());
        await AppendAsync(type, second, 0, Event(), Event());
        await AppendAsync(type, first, 1, Event());
        Clock.Advance(PastEverySettleWindow);

        var events = await ReadTypeToEndAsync(type, EventCheckpoint.Start, limit: 100);

        events.Select(e => (e.Event.StreamId, e.Event.Revision)).Should().Equal((first, 1), (second, 1), (second, 2), (first, 2));
    }

    [Fact]
    public async Task GetStreamTypeEventsAsync_FromAnEventsCheckpoint_ReturnsOnlyTheEventsAfterIt()
    {
        var type = NewType();
        var id = Guid.NewGuid();
        await AppendAsync(type, id, 0, Event(), Event(), Event(), Event());
        Clock.Advance(PastEverySettleWindow);
        var all = await ReadTypeToEndAsync(type, EventCheckpoint.Start, limit: 100);

        EventCheckpoint.TryDecode(all[1].Checkpoint, out var afterSecond).Should().BeTrue();
        var rest = await ReadTypeToEndAsync(type, afterSecond!, limit: 100);

        rest.Select(e => e.Event.Revision).Should().Equal(3, 4);
        rest.Select(e => e.Event.EventId).Should().Equal(all.Skip(2).Select(e => e.Event.EventId));
    }

    [Fact]
    public async Task GetStreamTypeEventsAsync_EmptyLastPage_ItsCheckpointReadsOnWithWhatWasAppendedSince()
    {
        var type = NewType();
        var id = Guid.NewGuid();
        await AppendAsync(type, id, 0, Event());
        Clock.Advance(PastEverySettleWindow);
        var first = await Storage.GetStreamTypeEventsAsync(type, EventCheckpoint.Start, 100, default);
        EventCheckpoint.TryDecode(first.Checkpoint, out var end).Should().BeTrue();
        var atTheEnd = await Storage.GetStreamTypeEventsAsync(type, end!, 100, default);

        await AppendAsync(type, id, 1, Event(), Event());
        Clock.Advance(PastEverySettleWindow);
        EventCheckpoint.TryDecode(atTheEnd.Checkpoint, out var stillTheEnd).Should().BeTrue();
        var since = await ReadTypeToEndAsync(type, stillTheEnd!, limit: 100);

        first.Events.Should().ContainSingle();
        first.HasMore.Should().BeFalse();
        atTheEnd.Events.Should().BeEmpty();
        atTheEnd.HasMore.Should().BeFalse();
        since.Select(e => e.Event.Revision).Should().Equal(2, 3);
    }

    [Fact]
    public async Task GetStreamTypeEventsAsync_UnknownType_ReturnsAnEmptyPageWithACheckpoint()
    {
        var page = await Storage.GetStreamTypeEventsAsync(NewType(), EventCheckpoint.Start, 100, default);

        page.Events.Should().BeEmpty();
        page.HasMore.Should().BeFalse();
        EventCheckpoint.TryDecode(page.Checkpoint, out _).Should().BeTrue();
    }

    [Fact]
    public async Task GetStreamTypeEventsAsync_Paging_HasMoreIsExactAndEachPageCheckpointIsItsLastEvents()
    {
        var type = NewType();
        await AppendAsync(type, Guid.NewGuid(), 0, Event(), Event(), Event(), Event());
        Clock.Advance(PastEverySettleWindow);

        var first = await Storage.GetStreamTypeEventsAsync(type, EventCheckpoint.Start, 2, default);
        EventCheckpoint.TryDecode(first.Checkpoint, out var next).Should().BeTrue();
        var second = await Storage.GetStreamTypeEventsAsync(type, next!, 2, default);

        first.HasMore.Should().BeTrue();
        first.Checkpoint.Should().Be(first.Events[^1].Checkpoint);
        second.Events.Select(e => e.Event.Revision).Should().Equal(3, 4);
        second.HasMore.Should().BeFalse();
    }

    [Fact]
    public async Task GetStreamTypeEventsAsync_PayloadMetadataAndIds_AsAppended()
    {
        var type = NewType();
        var id = Guid.NewGuid();
        var appended = Event(eventType: "order-placed", payloadJson: """{"customer":"ACME","items":[1,2]}""", metadataJson: """{"correlationId":"c-1"}""");
        await AppendAsync(type, id, 0, appended);
        Clock.Advance(PastEverySettleWindow);

        var recorded = (await ReadTypeToEndAsync(type, EventCheckpoint.Start, limit: 100)).Should().ContainSingle().Subject.Event;

        recorded.StreamId.Should().Be(id);
        recorded.Revision.Should().Be(1);
        recorded.EventId.Should().Be(appended.EventId);
        recorded.EventType.Should().Be("order-placed");
        recorded.Payload.GetRawText().Should().Be("""{"customer":"ACME","items":[1,2]}""");
        recorded.Metadata!["correlationId"].GetString().Should().Be("c-1");
    }

    [Fact]
    public async Task GetStreamTypeEventsAsync_SixteenConcurrentWriters_SubscriberGetsEveryEventOnceInRevisionOrder()
    {
        const int Writers = 16;
        const int AppendsPerWriter = 12;
        var type = NewType();
        var committed = new ConcurrentBag<(Guid StreamId, int Revision, Guid EventId)>();
        // The clock stands still while they write: moved by every reading, a subscriber's polls would run it on until the
        // writers' waits for the store timed out. (Every append then has the same time: a store keeps each stream's
        // order all the same.) Live following on a moving clock is the client's test (SubscriptionTests).
        Clock.AutoAdvanceAmount = TimeSpan.Zero;
        using var writing = new CancellationTokenSource();

        // A subscriber from the start, concurrently with the writers: it polls, saving the checkpoint after each event.
        var delivered = new List<SubscribedEvent>();
        var checkpoint = EventCheckpoint.Start;
        var subscriber = Task.Run(async () =>
        {
            var advanced = false;
            while (true)
            {
                var done = writing.IsCancellationRequested;
                if (done && !advanced)
                {
                    // Every write has returned: moved on now, between this reader's own reads, the clock makes all of
                    // them readable without cutting short a wait of anything in flight.
                    Clock.Advance(PastEverySettleWindow);
                    advanced = true;
                }

                var page = await Storage.GetStreamTypeEventsAsync(type, checkpoint, 25, default);
                delivered.AddRange(page.Events);
                EventCheckpoint.TryDecode(page.Checkpoint, out var next).Should().BeTrue();
                checkpoint = next!;
                if (done && !page.HasMore)
                {
                    return;
                }
            }
        });

        // Each writer on a thread of its own, appending to streams of its own and to streams all writers share.
        var shared = Enumerable.Range(0, 4).Select(_ => Guid.NewGuid()).ToArray();
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var own = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToArray();
            var revisions = new Dictionary<Guid, int>();
            for (var i = 0; i < AppendsPerWriter; i++)
            {
                var stream = i % 3 == 2 ? shared[(w + i) % shared.Length] : own[i % own.Length];
                await AppendToEndAsync(type, stream, revisions, committed, 1 + (i % 3));
            }
        })).ToArray();

        await Task.WhenAll(writers);
        await writing.CancelAsync();
        await subscriber.WaitAsync(TimeSpan.FromMinutes(2));

        delivered.Select(e => e.Event.EventId).Should().OnlyHaveUniqueItems();
        delivered.Select(e => (e.Event.StreamId, e.Event.Revision, e.Event.EventId!.Value))
            .Should().BeEquivalentTo(committed);
        foreach (var stream in delivered.GroupBy(e => e.Event.StreamId))
        {
            stream.Select(e => e.Event.Revision).Should().Equal(Enumerable.Range(1, stream.Count()), "a stream's events come in revision order, without gaps");
        }

        // Resumed from any saved checkpoint, the read returns exactly what came after it.
        var middle = delivered.Count / 2;
        EventCheckpoint.TryDecode(delivered[middle].Checkpoint, out var saved).Should().BeTrue();
        var resumed = await ReadTypeToEndAsync(type, saved!, limit: 100);
        resumed.Select(e => e.Event.EventId).Should().Equal(delivered.Skip(middle + 1).Select(e => e.Event.EventId));
    }

    /// <summary>Appends <paramref name="count"/> events at the end of a stream as this writer knows it, re-reading it after a lost race.</summary>
    private async Task AppendToEndAsync(string type, Guid stream, Dictionary<Guid, int> revisions, ConcurrentBag<(Guid, int, Guid)> committed, int count)
    {
        var expected = revisions.GetValueOrDefault(stream);
        while (true)
        {
            var events = Enumerable.Range(0, count).Select(_ => Event()).ToArray();
            switch (await AppendAsync(type, stream, expected, events))
            {
                case AppendOutcome.Appended or AppendOutcome.AlreadyAppended:
                    for (var i = 0; i < events.Length; i++)
                    {
                        committed.Add((stream, expected + 1 + i, events[i].EventId!.Value));
                    }

                    revisions[stream] = expected + count;
                    return;
                case AppendOutcome.WrongExpectedRevision conflict:
                    expected = conflict.CurrentRevision;
                    break;
                case var other:
                    throw new InvalidOperationException($"Unexpected outcome {other}.");
            }
        }
    }

    /// <summary>Every event of the type after <paramref name="after"/>, page by page, until a page says there is no more.</summary>
    protected async Task<List<SubscribedEvent>> ReadTypeToEndAsync(string type, EventCheckpoint after, int limit)
    {
        var events = new List<SubscribedEvent>();
        StreamTypeEventPage page;
        do
        {
            page = await Storage.GetStreamTypeEventsAsync(type, after, limit, default);
            events.AddRange(page.Events);
            EventCheckpoint.TryDecode(page.Checkpoint, out var next).Should().BeTrue();
            after = next!;
        }
        while (page.HasMore);

        return events;
    }
}

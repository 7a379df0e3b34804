using Microsoft.Extensions.Time.Testing;
using ServerlessEventStore.Server.Storage;
using ServerlessEventStore.Types;

namespace ServerlessEventStore.Server.Tests.Conformance;

/// <summary>
/// The guarantees of DESIGN.md stated against the storage port. Every adapter gets a subclass that only says how to
/// create the storage; nothing else may differ between adapters.
/// </summary>
public abstract partial class EventStorageConformanceTests : IAsyncLifetime
{
    private IEventStorage? _storage;

    /// <summary>The clock of the storage under test: starts at a fixed time and moves 1 ms with every reading.</summary>
    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero)) { AutoAdvanceAmount = TimeSpan.FromMilliseconds(1) };

    protected IEventStorage Storage => _storage ?? throw new InvalidOperationException("Not initialized.");

    /// <summary>Creates a storage using <paramref name="timeProvider"/> as its clock, ready for use.</summary>
    protected abstract Task<IEventStorage> CreateStorageAsync(TimeProvider timeProvider);

    /// <summary>
    /// Writes an event into the store past its stream header, as a writer that bypassed this server would: the event
    /// alone, the header (if any) left as it is.
    /// </summary>
    protected abstract Task WriteStrayEventAsync(string streamType, Guid streamId, int revision, Guid eventId);

    public async Task InitializeAsync()
    {
        _storage = await CreateStorageAsync(Clock);
        await _storage.InitializeAsync(CancellationToken.None);
    }

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task AppendAsync_RevisionOneOnMissingStream_CreatesStreamWithCallersId()
    {
        var (type, id) = NewStream();

        var outcome = await AppendAsync(type, id, 0, Event());

        var stream = outcome.Should().BeOfType<AppendOutcome.Appended>().Subject.Stream;
        stream.StreamId.Should().Be(id);
        stream.StreamType.Should().Be(type);
        stream.Revision.Should().Be(1);
        (await Storage.GetStreamAsync(type, id, default))!.Revision.Should().Be(1);
    }

    [Fact]
    public async Task AppendAsync_ConsecutiveAppends_RevisionsAreGapless()
    {
        var (type, id) = NewStream();

        await AppendAsync(type, id, 0, Event());
        await AppendAsync(type, id, 1, Event(), Event(), Event());
        var last = await AppendAsync(type, id, 4, Event());

        last.Should().BeOfType<AppendOutcome.Appended>().Which.Stream.Revision.Should().Be(5);
        var page = await Storage.GetEventsAsync(EventRead.Forward(type, id, 0, 100), default);
        page!.Events.Select(e => e.Revision).Should().Equal(1, 2, 3, 4, 5);
        (await Storage.GetStreamAsync(type, id, default))!.Revision.Should().Be(5);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(1)]
    public async Task AppendAsync_RevisionNotNext_ReturnsWrongExpectedRevisionWithCurrent(int revision)
    {
        var (type, id) = NewStream();
        await AppendAsync(type, id, 0, Event(), Event());

        var outcome = await AppendAsync(type, id, revision, Event());

        outcome.Should().BeOfType<AppendOutcome.WrongExpectedRevision>().Which.CurrentRevision.Should().Be(2);
        (await ReadAllAsync(type, id)).Should().HaveCount(2);
    }

    [Fact]
    public async Task AppendAsync_ExistingStreamAtRevisionOne_ReturnsWrongExpectedRevision()
    {
        var (type, id) = NewStream();
        await AppendAsync(type, id, 0, Event());

        var outcome = await AppendAsync(type, id, 0, Event());

        outcome.Should().BeOfType<AppendOutcome.WrongExpectedRevision>().Which.CurrentRevision.Should().Be(1);
    }

    [Fact]
    public async Task AppendAsync_BatchAtWrongRevision_StoresNoneOfIt()
    {
        var (type, id) = NewStream();
        await AppendAsync(type, id, 0, Event());

        var outcome = await AppendAsync(type, id, 2, Event(), Event(), Event());

        outcome.Should().BeOfType<AppendOutcome.WrongExpectedRevision>();
        (await ReadAllAsync(type, id)).Should().ContainSingle();
    }

    [Fact]
    public async Task AppendAsync_Batch_StoresAllEventsInOrder()
    {
        var (type, id) = NewStream();
        var batch = Enumerable.Range(0, EventStoreLimits.MaxEventsPerAppend).Select(i => Event(eventType: $"e{i}")).ToArray();

        var outcome = await AppendAsync(type, id, 0, batch);

        outcome.Should().BeOfType<AppendOutcome.Appended>().Which.Stream.Revision.Should().Be(EventStoreLimits.MaxEventsPerAppend);
        var events = await ReadAllAsync(type, id);
        events.Select(e => e.EventType).Should().Equal(batch.Select(e => e.EventType));
        events.Select(e => e.EventId).Should().Equal(batch.Select(e => e.EventId));
    }

    [Fact]
    public async Task AppendAsync_RepeatOfStoredBatch_ReturnsAlreadyAppendedAndStoresNothing()
    {
        var (type, id) = NewStream();
        await AppendAsync(type, id, 0, Event());
        var batch = new[] { Event(), Event() };
        await AppendAsync(type, id, 1, batch);
        await AppendAsync(type, id, 3, Event());

        var outcome = await AppendAsync(type, id, 1, batch);

        var stream = outcome.Should().BeOfType<AppendOutcome.AlreadyAppended>().Subject.Stream;
        stream.Revision.Should().Be(4, "a repeat returns the stream as it is now");
        stream.StreamId.Should().Be(id);
        (await ReadAllAsync(type, id)).Should().HaveCount(4);
    }

    [Fact]
    public async Task AppendAsync_RepeatAtRevisionOne_ReturnsAlreadyAppended()
    {
        var (type, id) = NewStream();
        var first = Event();
        await AppendAsync(type, id, 0, first);

        var outcome = await AppendAsync(type, id, 0, first);

        outcome.Should().BeOfType<AppendOutcome.AlreadyAppended>().Which.Stream.Revision.Should().Be(1);
        (await ReadAllAsync(type, id)).Should().ContainSingle();
    }

    [Fact]
    public async Task AppendAsync_DifferentEventAtTakenRevision_ReturnsWrongExpectedRevision()
    {
        var (type, id) = NewStream();
        await AppendAsync(type, id, 0, Event(), Event());

        var outcome = await AppendAsync(type, id, 1, Event());

        outcome.Should().BeOfType<AppendOutcome.WrongExpectedRevision>().Which.CurrentRevision.Should().Be(2);
    }

    [Fact]
    public async Task AppendAsync_RepeatWithoutEventIds_ReturnsWrongExpectedRevision()
    {
        var (type, id) = NewStream();
        var anonymous = Event() with { EventId = null };
        await AppendAsync(type, id, 0, anonymous);

        var outcome = await AppendAsync(type, id, 0, anonymous);

        outcome.Should().BeOfType<AppendOutcome.WrongExpectedRevision>().Which.CurrentRevision.Should().Be(1);
        (await ReadAllAsync(type, id)).Should().ContainSingle();
    }

    [Fact]
    public async Task AppendAsync_RepeatWithIdsInOtherOrder_ReturnsWrongExpectedRevision()
    {
        var (type, id) = NewStream();
        var (a, b) = (Event(), Event());
        await AppendAsync(type, id, 0, a, b);

        var outcome = await AppendAsync(type, id, 0, b, a);

        outcome.Should().BeOfType<AppendOutcome.WrongExpectedRevision>();
    }

    [Fact]
    public async Task AppendAsync_RepeatReachingPastStreamEnd_ReturnsWrongExpectedRevision()
    {
        var (type, id) = NewStream();
        var (a, b) = (Event(), Event());
        await AppendAsync(type, id, 0, a);

        var outcome = await AppendAsync(type, id, 0, a, b);

        outcome.Should().BeOfType<AppendOutcome.WrongExpectedRevision>().Which.CurrentRevision.Should().Be(1);
        (await ReadAllAsync(type, id)).Should().ContainSingle();
    }

    [Fact]
    public async Task AppendAsync_RevisionAboveOneOnMissingStream_ReturnsStreamNotFound()
    {
        var (type, id) = NewStream();

        var outcome = await AppendAsync(type, id, 1, Event());

        outcome.Should().BeOfType<AppendOutcome.StreamNotFound>();
        (await Storage.GetStreamAsync(type, id, default)).Should().BeNull();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task AppendAsync_StreamOfOtherType_ReturnsStreamNotFound(int revision)
    {
        var (type, id) = NewStream();
        await AppendAsync(type, id, 0, Event());

        var outcome = await AppendAsync(NewType(), id, revision, Event());

        outcome.Should().BeOfType<AppendOutcome.StreamNotFound>();
        (await ReadAllAsync(type, id)).Should().ContainSingle();
    }

    [Fact]
    public async Task GetStreamAsync_UnknownOrOtherType_ReturnsNull()
    {
        var (type, id) = NewStream();
        await AppendAsync(type, id, 0, Event());

        (await Storage.GetStreamAsync(type, Guid.NewGuid(), default)).Should().BeNull();
        (await Storage.GetStreamAsync(NewType(), id, default)).Should().BeNull();
        (await Storage.GetStreamAsync(type, id, default)).Should().NotBeNull();
    }

    [Fact]
    public async Task GetEventsAsync_UnknownOrOtherType_ReturnsNull()
    {
        var (type, id) = NewStream();
        await AppendAsync(type, id, 0, Event());

        (await Storage.GetEventsAsync(EventRead.Forward(type, Guid.NewGuid(), 0, 10), default)).Should().BeNull();
        (await Storage.GetEventsAsync(EventRead.Forward(NewType(), id, 0, 10), default)).Should().BeNull();
    }

    [Fact]
    public async Task GetStreamsAsync_OtherType_DoesNotListStream()
    {
        var (type, id) = NewStream();
        await AppendAsync(type, id, 0, Event());

        var page = await Storage.GetStreamsAsync(NewType(), DateTimeOffset.MinValue, null, 100, default);

        page.Streams.Should().BeEmpty();
        page.HasMore.Should().BeFalse();
        page.NextPageKey.Should().BeNull();
        (await Storage.GetStreamsAsync(type, DateTimeOffset.MinValue, null, 100, default)).Streams.Should().ContainSingle();
    }

    [Fact]
    public async Task GetEventsAsync_AfterLastRevision_ReturnsEmptyPage()
    {
        var (type, id) = NewStream();
        await AppendAsync(type, id, 0, Event());

        var page = await Storage.GetEventsAsync(EventRead.Forward(type, id, 1, 10), default);

        page.Should().NotBeNull();
        page!.Events.Should().BeEmpty();
        page.HasMore.Should().BeFalse();
        page.LastEvaluatedRevision.Should().BeNull();
    }

    [Theory]
    [InlineData("\"a string, \\\"quoted\\\" \\u00e9\"")]
    [InlineData("{\"name\":\"test name\",\"nested\":{\"list\":[1,2.50,true,null]}}")]
    [InlineData("{ \"spaced\" : [ 1 , 2 ] }")]
    [InlineData("42")]
    [InlineData("-1.5e10")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("false")]
    [InlineData("\"{\\\"a\\\":1}\"")]
    public async Task GetEventsAsync_Payload_ReturnedExactlyAsAppended(string payloadJson)
    {
        var (type, id) = NewStream();
        await AppendAsync(type, id, 0, Event(payloadJson: payloadJson));

        var stored = (await ReadAllAsync(type, id)).Single();

        stored.Payload.GetRawText().Should().Be(payloadJson);
    }

    [Fact]
    public async Task GetEventsAsync_MetadataAndEventId_RoundTrip()
    {
        var (type, id) = NewStream();
        var withMetadata = Event(metadataJson: "{\"correlationId\":\"abc\",\"depth\":2,\"tags\":[\"x\"]}");
        var without = Event() with { EventId = null };
        await AppendAsync(type, id, 0, withMetadata, without);

        var events = await ReadAllAsync(type, id);

        events[0].EventId.Should().Be(withMetadata.EventId);
        events[0].Metadata.Should().NotBeNull();
        events[0].Metadata!["correlationId"].GetString().Should().Be("abc");
        events[0].Metadata!["depth"].GetInt32().Should().Be(2);
        events[0].Metadata!["tags"][0].GetString().Should().Be("x");
        events[1].EventId.Should().BeNull();
        events[1].Metadata.Should().BeNull();
        events.Should().OnlyContain(e => e.StreamId == id);
        events.Select(e => e.EventType).Should().Equal(withMetadata.EventType, without.EventType);
    }

    [Fact]
    public async Task GetEventsAsync_Timestamps_AreTimesOfTheirAppends()
    {
        var (type, id) = NewStream();
        await AppendAsync(type, id, 0, Event());
        var before = PeekClock();
        Clock.Advance(TimeSpan.FromTicks(1));
        var second = await AppendAsync(type, id, 1, Event(), Event());

        var events = await ReadAllAsync(type, id);
        var stream = await Storage.GetStreamAsync(type, id, default);

        events[0].CreatedAt.Should().BeOnOrBefore(before);
        events[1].CreatedAt.Should().BeAfter(before).And.Be(events[2].CreatedAt);
        stream!.UpdatedAt.Should().Be(events[2].CreatedAt);
        second.Should().BeOfType<AppendOutcome.Appended>().Which.Stream.UpdatedAt.Should().Be(stream.UpdatedAt);
        stream.UpdatedAt.Offset.Should().Be(TimeSpan.Zero);
    }

    [Fact]
    public async Task GetEventsAsync_SubMillisecondTimes_ArePreserved()
    {
        var (type, id) = NewStream();
        Clock.Advance(TimeSpan.FromTicks(1234));
        await AppendAsync(type, id, 0, Event());

        var stream = await Storage.GetStreamAsync(type, id, default);

        (stream!.UpdatedAt.UtcTicks % TimeSpan.TicksPerMillisecond).Should().Be(1234);
    }

    [Fact]
    public async Task GetEventsAsync_Backward_PagesNewestFirstWithExactHasMore()
    {
        var (type, id) = NewStream();
        await AppendAsync(type, id, 0, Event(), Event(), Event(), Event(), Event());

        var first = await Storage.GetEventsAsync(EventRead.Backward(type, id, null, 2), default);
        var second = await Storage.GetEventsAsync(EventRead.Backward(type, id, first!.LastEvaluatedRevision, 2), default);
        var third = await Storage.GetEventsAsync(EventRead.Backward(type, id, second!.LastEvaluatedRevision, 2), default);
        var exact = await Storage.GetEventsAsync(EventRead.Backward(type, id, null, 5), default);
        var last = await Storage.GetEventsAsync(EventRead.Backward(type, id, null, 1), default);

        first.Events.Select(e => e.Revision).Should().Equal(5, 4);
        first.HasMore.Should().BeTrue();
        first.LastEvaluatedRevision.Should().Be(4);
        second.Events.Select(e => e.Revision).Should().Equal(3, 2);
        second.HasMore.Should().BeTrue();
        third!.Events.Select(e => e.Revision).Should().Equal(1);
        third.HasMore.Should().BeFalse();
        exact!.Events.Select(e => e.Revision).Should().Equal(5, 4, 3, 2, 1);
        exact.HasMore.Should().BeFalse("the page holds the whole stream");
        last!.Events.Should().ContainSingle().Which.Revision.Should().Be(5);
        last.HasMore.Should().BeTrue();
    }

    [Theory]
    [InlineData(ReadDirection.Forward, 1, 5, new[] { 2, 3, 4 })]
    [InlineData(ReadDirection.Backward, 1, 5, new[] { 4, 3, 2 })]
    [InlineData(ReadDirection.Forward, 0, 3, new[] { 1, 2 })]
    [InlineData(ReadDirection.Backward, 0, 3, new[] { 2, 1 })]
    [InlineData(ReadDirection.Forward, 3, 4, new int[0])]
    [InlineData(ReadDirection.Backward, 4, 2, new int[0])]
    [InlineData(ReadDirection.Backward, 0, 1, new int[0])]
    [InlineData(ReadDirection.Forward, 5, 1000, new int[0])]
    public async Task GetEventsAsync_Range_ReturnsTheRevisionsStrictlyBetweenTheBounds(ReadDirection direction, int after, int before, int[] expected)
    {
        var (type, id) = NewStream();
        await AppendAsync(type, id, 0, Event(), Event(), Event(), Event(), Event());

        var page = await Storage.GetEventsAsync(new EventRead(type, id, after, before, direction, 10), default);

        page!.Events.Select(e => e.Revision).Should().Equal(expected);
        page.HasMore.Should().BeFalse();
        page.LastEvaluatedRevision.Should().Be(expected.Length == 0 ? null : expected[^1]);
    }

    [Theory]
    [InlineData(ReadDirection.Forward)]
    [InlineData(ReadDirection.Backward)]
    public async Task GetEventsAsync_AnyDirectionOrRange_UnknownOrOtherTypeReturnsNull(ReadDirection direction)
    {
        var (type, id) = NewStream();
        await AppendAsync(type, id, 0, Event(), Event(), Event());

        foreach (var (after, before) in new (int, int?)[] { (0, null), (1, null), (0, 3), (1, 3), (2, 3) })
        {
            (await Storage.GetEventsAsync(new EventRead(NewType(), id, after, before, direction, 10), default)).Should().BeNull($"another type, ({after}, {before})");
            (await Storage.GetEventsAsync(new EventRead(type, Guid.NewGuid(), after, before, direction, 10), default)).Should().BeNull($"another id, ({after}, {before})");
            (await Storage.GetEventsAsync(new EventRead(type, id, after, before, direction, 10), default)).Should().NotBeNull($"the stream, ({after}, {before})");
        }
    }

    [Fact]
    public async Task GetEventsAsync_BackwardOverEventsWithoutAHeader_ReturnsNull()
    {
        var (type, id) = NewStream();
        await WriteStrayEventAsync(type, id, 1, Guid.NewGuid());
        await WriteStrayEventAsync(type, id, 2, Guid.NewGuid());

        (await Storage.GetEventsAsync(EventRead.Backward(type, id, null, 10), default)).Should().BeNull("events without a header are no stream");
        (await Storage.GetEventsAsync(EventRead.Forward(type, id, 0, 10), default)).Should().BeNull();
    }

    [Fact]
    public async Task GetEventsAsync_Paging_HasMoreAndLastEvaluatedRevisionAreExact()
    {
        var (type, id) = NewStream();
        await AppendAsync(type, id, 0, Event(), Event(), Event(), Event(), Event());

        var first = await Storage.GetEventsAsync(EventRead.Forward(type, id, 0, 2), default);
        var second = await Storage.GetEventsAsync(EventRead.Forward(type, id, first!.LastEvaluatedRevision!.Value, 2), default);
        var third = await Storage.GetEventsAsync(EventRead.Forward(type, id, second!.LastEvaluatedRevision!.Value, 2), default);
        var exact = await Storage.GetEventsAsync(EventRead.Forward(type, id, 0, 5), default);

        first.Events.Select(e => e.Revision).Should().Equal(1, 2);
        first.HasMore.Should().BeTrue();
        first.LastEvaluatedRevision.Should().Be(2);
        second.Events.Select(e => e.Revision).Should().Equal(3, 4);
        second.HasMore.Should().BeTrue();
        third!.Events.Select(e => e.Revision).Should().Equal(5);
        third.HasMore.Should().BeFalse();
        third.LastEvaluatedRevision.Should().Be(5);
        exact!.Events.Should().HaveCount(5);
        exact.HasMore.Should().BeFalse("the page holds exactly the remaining events");
    }

    [Fact]
    public async Task GetStreamsAsync_Paging_WalksAllStreamsInUpdateOrder()
    {
        var type = NewType();
        var ids = new List<Guid>();
        for (var i = 0; i < 8; i++)
        {
            var id = Guid.NewGuid();
            ids.Add(id);
            await AppendAsync(type, id, 0, Event());
        }

        // Updating the second stream moves it to the end of the order.
        await AppendAsync(type, ids[1], 1, Event());
        var expected = ids.Where(id => id != ids[1]).Append(ids[1]).ToList();

        var pages = new List<StreamPage>();
        StreamPageKey? after = null;
        do
        {
            var page = await Storage.GetStreamsAsync(type, DateTimeOffset.MinValue, after, 3, default);
            pages.Add(page);
            after = null;
            if (page.NextPageKey is not null)
            {
                StreamPageKey.TryDecode(page.NextPageKey, out after).Should().BeTrue();
            }
        }
        while (after is not null && pages.Count < 10);

        pages.Should().HaveCount(3);
        pages.Select(p => p.Streams.Count).Should().Equal(3, 3, 2);
        pages.Select(p => p.HasMore).Should().Equal(true, true, false);
        pages.Select(p => p.NextPageKey is not null).Should().Equal(true, true, false);
        var listed = pages.SelectMany(p => p.Streams).ToList();
        listed.Select(s => s.StreamId).Should().Equal(expected);
        listed.Select(s => s.UpdatedAt).Should().BeInAscendingOrder();
        listed.Should().OnlyContain(s => s.StreamType == type);
        listed.Last().Revision.Should().Be(2);
    }

    [Fact]
    public async Task GetStreamsAsync_UpdatedAfter_ListsStreamsUpdatedAtOrAfter()
    {
        var type = NewType();
        var (_, early) = NewStream();
        var (_, late) = NewStream();
        await AppendAsync(type, early, 0, Event());
        Clock.Advance(TimeSpan.FromMinutes(1));
        await AppendAsync(type, late, 0, Event());
        var lateUpdatedAt = (await Storage.GetStreamAsync(type, late, default))!.UpdatedAt;

        var atLate = await Storage.GetStreamsAsync(type, lateUpdatedAt, null, 100, default);
        var afterLate = await Storage.GetStreamsAsync(type, lateUpdatedAt.AddTicks(1), null, 100, default);
        var all = await Storage.GetStreamsAsync(type, lateUpdatedAt.AddMinutes(-2), null, 100, default);

        atLate.Streams.Select(s => s.StreamId).Should().Equal(late);
        afterLate.Streams.Should().BeEmpty();
        all.Streams.Select(s => s.StreamId).Should().Equal(early, late);
    }

    [Fact]
    public async Task AppendAsync_ConcurrentAtSameRevision_ExactlyOneAppended()
    {
        var (type, id) = NewStream();
        await AppendAsync(type, id, 0, Event());

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => AppendAsync(type, id, 1, Event(), Event()))));

        outcomes.OfType<AppendOutcome.Appended>().Should().ContainSingle();
        outcomes.OfType<AppendOutcome.WrongExpectedRevision>().Should().HaveCount(15)
            .And.OnlyContain(o => o.CurrentRevision == 3);
        (await ReadAllAsync(type, id)).Select(e => e.Revision).Should().Equal(1, 2, 3);
    }

    [Fact]
    public async Task AppendAsync_ConcurrentCreations_ExactlyOneAppended()
    {
        var (type, id) = NewStream();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => AppendAsync(type, id, 0, Event()))));

        outcomes.OfType<AppendOutcome.Appended>().Should().ContainSingle();
        outcomes.OfType<AppendOutcome.WrongExpectedRevision>().Should().HaveCount(15);
        (await ReadAllAsync(type, id)).Should().ContainSingle();
    }

    [Fact]
    public async Task AppendAsync_EventWrittenAroundTheHeader_AnswersAsForTheHighestStoredRevision()
    {
        var (type, id) = NewStream();
        await AppendAsync(type, id, 0, Event());
        var stray = Guid.NewGuid();
        await WriteStrayEventAsync(type, id, 2, stray);
        await WriteStrayEventAsync(type, id, 3, Guid.NewGuid());

        // The highest stored revision counts, also beyond the append's own revisions.
        var other = await AppendAsync(type, id, 1, Event());
        var repeat = await AppendAsync(type, id, 1, new EventToAppend(stray, "stray", "{}", null));

        other.Should().BeOfType<AppendOutcome.WrongExpectedRevision>().Which.CurrentRevision.Should().Be(3);
        repeat.Should().BeOfType<AppendOutcome.AlreadyAppended>().Which.Stream.Revision.Should().Be(3);
    }

    [Fact]
    public async Task AppendAsync_EventsWithoutAHeader_AreAConflictNeverARepeat()
    {
        var (type, id) = NewStream();
        var stray = Guid.NewGuid();
        await WriteStrayEventAsync(type, id, 1, stray);

        var create = await AppendAsync(type, id, 0, new EventToAppend(stray, "stray", "{}", null));

        // Nothing to report as "already appended": without a header the stream does not exist to a reader.
        create.Should().BeOfType<AppendOutcome.WrongExpectedRevision>().Which.CurrentRevision.Should().Be(1);
        (await Storage.GetStreamAsync(type, id, default)).Should().BeNull();
    }

    protected static string NewType() => $"t-{Guid.NewGuid():N}";

    protected static (string Type, Guid Id) NewStream() => (NewType(), Guid.NewGuid());

    protected static EventToAppend Event(string eventType = "something-happened", string payloadJson = "{\"a\":1}", string? metadataJson = null) =>
        new(Guid.NewGuid(), eventType, payloadJson, metadataJson);

    protected Task<AppendOutcome> AppendAsync(string type, Guid id, int expectedRevision, params EventToAppend[] events) =>
        Storage.AppendAsync(StreamAppend.Create(type, id, expectedRevision, events), CancellationToken.None);

    /// <summary>The clock's time without moving it (a reading moves it by 1 ms).</summary>
    protected DateTimeOffset PeekClock()
    {
        var step = Clock.AutoAdvanceAmount;
        Clock.AutoAdvanceAmount = TimeSpan.Zero;
        var now = Clock.GetUtcNow();
        Clock.AutoAdvanceAmount = step;
        return now;
    }

    protected async Task<IReadOnlyList<RecordedEvent>> ReadAllAsync(string type, Guid id)
    {
        var page = await Storage.GetEventsAsync(EventRead.Forward(type, id, 0, EventStoreLimits.MaxPageSize), CancellationToken.None);
        page.Should().NotBeNull();
        return page!.Events;
    }
}

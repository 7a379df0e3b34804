using ServerlessEventStore.Server.Storage;
using ServerlessEventStore.Types;

namespace ServerlessEventStore.Server.Tests.Conformance;

/// <summary>Appends at the end of a stream (any, stream-exists): where they land, and that a repeat is always recognised.</summary>
public abstract partial class EventStorageConformanceTests
{
    [Fact]
    public async Task AppendAsync_AnyOnMissingStream_CreatesItAtRevisionOne()
    {
        var (type, id) = NewStream();

        var outcome = await AppendAsync(type, id, ExpectedRevision.Any, Event(), Event());

        outcome.Should().BeOfType<AppendOutcome.Appended>().Which.Stream.Revision.Should().Be(2);
        (await ReadAllAsync(type, id)).Select(e => e.Revision).Should().Equal(1, 2);
    }

    [Fact]
    public async Task AppendAsync_AnyAndStreamExistsOnExistingStream_AppendAfterItsLastEvent()
    {
        var (type, id) = NewStream();
        await AppendAsync(type, id, 0, Event(), Event());

        var any = await AppendAsync(type, id, ExpectedRevision.Any, Event());
        var exists = await AppendAsync(type, id, ExpectedRevision.StreamExists, Event(), Event());

        any.Should().BeOfType<AppendOutcome.Appended>().Which.Stream.Revision.Should().Be(3);
        exists.Should().BeOfType<AppendOutcome.Appended>().Which.Stream.Revision.Should().Be(5);
        (await ReadAllAsync(type, id)).Select(e => e.Revision).Should().Equal(1, 2, 3, 4, 5);
    }

    [Fact]
    public async Task AppendAsync_StreamExistsOnMissingStream_ReturnsStreamNotFoundAndStoresNothing()
    {
        var (type, id) = NewStream();

        var outcome = await AppendAsync(type, id, ExpectedRevision.StreamExists, Event());

        outcome.Should().BeOfType<AppendOutcome.StreamNotFound>();
        (await Storage.GetStreamAsync(type, id, default)).Should().BeNull();
    }

    [Theory]
    [InlineData("any")]
    [InlineData("stream-exists")]
    public async Task AppendAsync_AtTheEndOfStreamOfOtherType_ReturnsStreamNotFound(string expected)
    {
        var (type, id) = NewStream();
        await AppendAsync(type, id, 0, Event());

        var outcome = await AppendAsync(NewType(), id, Parse(expected), Event());

        outcome.Should().BeOfType<AppendOutcome.StreamNotFound>();
        (await ReadAllAsync(type, id)).Should().ContainSingle();
    }

    [Fact]
    public async Task AppendAsync_RepeatAtTheEndAfterOtherAppends_ReturnsStreamAsItIsAndStoresNothing()
    {
        var (type, id) = NewStream();
        var batch = new[] { Event(), Event() };
        await AppendAsync(type, id, ExpectedRevision.Any, batch);
        await AppendAsync(type, id, 2, Event());
        await AppendAsync(type, id, ExpectedRevision.Any, Event(), Event());

        // However much the stream grew since, and with no time window: the record says where the append landed.
        var repeatAny = await AppendAsync(type, id, ExpectedRevision.Any, batch);
        var repeatExists = await AppendAsync(type, id, ExpectedRevision.StreamExists, batch);

        repeatAny.Should().BeOfType<AppendOutcome.AlreadyAppended>().Which.Stream.Revision.Should().Be(5);
        repeatExists.Should().BeOfType<AppendOutcome.AlreadyAppended>().Which.Stream.Revision.Should().Be(5);
        (await ReadAllAsync(type, id)).Select(e => e.EventId).Take(2).Should().Equal(batch.Select(e => e.EventId));
        (await ReadAllAsync(type, id)).Should().HaveCount(5);
    }

    [Fact]
    public async Task AppendAsync_FirstEventIdOfAStoredAppendWithOtherEvents_ReturnsWrongExpectedRevision()
    {
        var (type, id) = NewStream();
        var first = Event();
        await AppendAsync(type, id, ExpectedRevision.Any, first, Event());

        var otherSecond = await AppendAsync(type, id, ExpectedRevision.Any, first, Event());
        var fewer = await AppendAsync(type, id, ExpectedRevision.Any, first);

        otherSecond.Should().BeOfType<AppendOutcome.WrongExpectedRevision>().Which.CurrentRevision.Should().Be(2);
        fewer.Should().BeOfType<AppendOutcome.WrongExpectedRevision>().Which.CurrentRevision.Should().Be(2);
        (await ReadAllAsync(type, id)).Should().HaveCount(2);
    }

    [Fact]
    public async Task AppendAsync_AtTheEndOfSeveralStreams_RecordsAreKeptPerStream()
    {
        var (type, id) = NewStream();
        var other = Guid.NewGuid();
        var batch = new[] { Event() };

        var here = await AppendAsync(type, id, ExpectedRevision.Any, batch);
        var there = await AppendAsync(type, other, ExpectedRevision.Any, batch);

        here.Should().BeOfType<AppendOutcome.Appended>();
        there.Should().BeOfType<AppendOutcome.Appended>();
    }

    [Fact]
    public async Task AppendAsync_ConcurrentAnyAppends_AllLandWithoutGapsOrDuplicates()
    {
        var (type, id) = NewStream();
        var appends = Enumerable.Range(0, 16).Select(_ => new[] { Event(), Event() }).ToList();

        // Writers on their own threads, each repeating its append once: the repeat must never store it twice.
        var outcomes = await Task.WhenAll(appends.Select(batch => Task.Run(async () =>
            (await AppendAsync(type, id, ExpectedRevision.Any, batch), await AppendAsync(type, id, ExpectedRevision.Any, batch)))));

        outcomes.Select(o => o.Item1).Should().AllBeOfType<AppendOutcome.Appended>();
        outcomes.Select(o => o.Item2).Should().AllBeOfType<AppendOutcome.AlreadyAppended>();
        var stored = await ReadAllAsync(type, id);
        stored.Select(e => e.Revision).Should().Equal(Enumerable.Range(1, 32));
        stored.Select(e => e.EventId).Should().OnlyHaveUniqueItems();
        foreach (var batch in appends)
        {
            // Each append's events are adjacent and in order.
            var at = stored.ToList().FindIndex(e => e.EventId == batch[0].EventId);
            stored[at + 1].EventId.Should().Be(batch[1].EventId);
        }
    }

    protected Task<AppendOutcome> AppendAsync(string type, Guid id, ExpectedRevision expected, params EventToAppend[] events) =>
        Storage.AppendAsync(StreamAppend.Create(type, id, expected, events), CancellationToken.None);

    private static ExpectedRevision Parse(string text) =>
        ExpectedRevision.TryParse(text, out var expected) ? expected : throw new ArgumentException(text, nameof(text));
}

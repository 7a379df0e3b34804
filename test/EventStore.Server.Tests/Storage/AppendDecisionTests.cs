using ServerlessEventStore.Server.Storage;
using ServerlessEventStore.Types;

namespace ServerlessEventStore.Server.Tests.Storage;

/// <summary>The append rules as a pure function: what the stores are told to do, whatever store asks.</summary>
public sealed class AppendDecisionTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Decide_NoStreamAndExpectingNone_Writes() =>
        AppendDecision.Decide(Append(expected: 0), header: null).Should().Be(AppendVerdict.Write.Instance);

    [Fact]
    public void Decide_NoStreamAndExpectingOne_IsNotFound() =>
        Outcome(AppendDecision.Decide(Append(expected: 3), header: null)).Should().BeOfType<AppendOutcome.StreamNotFound>();

    [Fact]
    public void Decide_OtherType_IsNotFound() =>
        Outcome(AppendDecision.Decide(Append(expected: 2), new StreamHeader("other", 2, Now))).Should().BeOfType<AppendOutcome.StreamNotFound>();

    [Fact]
    public void Decide_AtTheExpectedRevision_Writes() =>
        AppendDecision.Decide(Append(expected: 2), Header(2)).Should().Be(AppendVerdict.Write.Instance);

    [Fact]
    public void Decide_StreamMovedOnPastTheAppend_ComparesEventIds() =>
        AppendDecision.Decide(Append(expected: 2, events: 2), Header(4)).Should().Be(AppendVerdict.CompareEventIds.Instance);

    [Fact]
    public void Decide_StreamBehindTheAppend_IsAConflictAtItsRevision() =>
        Outcome(AppendDecision.Decide(Append(expected: 5), Header(2))).Should().BeEquivalentTo(new AppendOutcome.WrongExpectedRevision(2));

    [Fact]
    public void Decide_EventWithoutId_NeverComparesIds() =>
        Outcome(AppendDecision.Decide(Append(expected: 1, withIds: false), Header(4))).Should().BeEquivalentTo(new AppendOutcome.WrongExpectedRevision(4));

    [Fact]
    public void Repeat_SameIdsInOrder_IsAlreadyAppendedAsTheStreamIsNow()
    {
        var append = Append(expected: 1, events: 2);

        var outcome = AppendDecision.Repeat(append, Header(5), [.. append.Events.Select(e => e.EventId)]);

        outcome.Should().BeOfType<AppendOutcome.AlreadyAppended>().Which.Stream.Revision.Should().Be(5);
    }

    [Fact]
    public void Repeat_IdsInAnotherOrder_IsAConflict()
    {
        var append = Append(expected: 1, events: 2);

        var outcome = AppendDecision.Repeat(append, Header(3), [append.Events[1].EventId, append.Events[0].EventId]);

        outcome.Should().BeEquivalentTo(new AppendOutcome.WrongExpectedRevision(3));
    }

    [Fact]
    public void AroundHeader_HeaderBehindStoredEvents_CountsTheHighestStoredRevision()
    {
        var append = Append(expected: 1);

        var outcome = AppendDecision.AroundHeader(append, Header(1), highestStoredRevision: 2, [Guid.NewGuid()]);

        outcome.Should().BeEquivalentTo(new AppendOutcome.WrongExpectedRevision(2));
    }

    [Fact]
    public void AroundHeader_NoHeader_IsAConflictEvenForTheSameIds()
    {
        var append = Append(expected: 0);

        var outcome = AppendDecision.AroundHeader(append, header: null, highestStoredRevision: 1, [append.Events[0].EventId]);

        outcome.Should().BeEquivalentTo(new AppendOutcome.WrongExpectedRevision(1));
    }

    [Fact]
    public void TryCreate_EveryRuleBroken_ReportsEachByField()
    {
        var id = Guid.NewGuid();
        EventToAppend[] events = [new(id, "", "{}", null), new(id, new string('e', 201), $"\"{new string('x', 256 * 1024)}\"", null)];

        var valid = StreamAppend.TryCreate("t", Guid.NewGuid(), -1, events, out _, out var problems);

        valid.Should().BeFalse();
        problems.Select(p => p.Field).Should().BeEquivalentTo(
            "expectedRevision", "events[0].eventType", "events[1].eventType", "events[1].eventId", "events[1].payload");
        problems.Should().ContainSingle(p => p.IsTooLarge).Which.Field.Should().Be("events[1].payload");
    }

    [Fact]
    public void TryCreate_PastTheLargestRevision_IsRefused() =>
        StreamAppend.TryCreate("t", Guid.NewGuid(), int.MaxValue, [new(null, "e", "{}", null)], out _, out var problems).Should().BeFalse();

    [Fact]
    public void Anchor_AnyOnMissingStream_WritesAtZero() =>
        AppendDecision.Anchor(AtTheEnd(ExpectedRevision.Any), header: null, record: null)
            .Should().BeOfType<AppendVerdict.WriteAt>().Which.Append.FirstRevision.Should().Be(1);

    [Fact]
    public void Anchor_StreamExistsOnMissingStream_IsNotFound() =>
        Outcome(AppendDecision.Anchor(AtTheEnd(ExpectedRevision.StreamExists), header: null, record: null)).Should().BeOfType<AppendOutcome.StreamNotFound>();

    [Fact]
    public void Anchor_OtherType_IsNotFound() =>
        Outcome(AppendDecision.Anchor(AtTheEnd(ExpectedRevision.Any), new StreamHeader("other", 2, Now), record: null)).Should().BeOfType<AppendOutcome.StreamNotFound>();

    [Fact]
    public void Anchor_ExistingStream_WritesAfterItsLastEvent()
    {
        var anchored = AppendDecision.Anchor(AtTheEnd(ExpectedRevision.StreamExists, events: 2), Header(7), record: null).Should().BeOfType<AppendVerdict.WriteAt>().Subject.Append;

        anchored.ExpectedRevision.Should().Be(7);
        anchored.LastRevision.Should().Be(9);
    }

    [Fact]
    public void Anchor_RecordOfAsManyEvents_ComparesIdsWhereItLanded() =>
        AppendDecision.Anchor(AtTheEnd(ExpectedRevision.Any, events: 2), Header(9), new AppendRecord(FirstRevision: 4, EventCount: 2))
            .Should().BeOfType<AppendVerdict.CompareEventIdsAt>().Which.Append.FirstRevision.Should().Be(4);

    [Fact]
    public void Anchor_RecordOfOtherEventCount_IsAConflictAtTheStreamsRevision() =>
        Outcome(AppendDecision.Anchor(AtTheEnd(ExpectedRevision.Any, events: 2), Header(9), new AppendRecord(FirstRevision: 4, EventCount: 3)))
            .Should().BeEquivalentTo(new AppendOutcome.WrongExpectedRevision(9));

    [Fact]
    public void Anchor_ExactAppend_Throws() =>
        FluentActions.Invoking(() => AppendDecision.Anchor(Append(expected: 1), Header(1), record: null)).Should().Throw<ArgumentException>();

    [Fact]
    public void TryCreate_AtTheEnd_NeedsIdsOnEveryEventAndAtMostNinetyEight()
    {
        EventToAppend[] events = [.. Enumerable.Range(0, 99).Select(i => new EventToAppend(i == 5 ? null : Guid.NewGuid(), "e", "{}", null))];

        StreamAppend.TryCreate("t", Guid.NewGuid(), ExpectedRevision.Any, events, out _, out var problems).Should().BeFalse();

        problems.Select(p => p.Field).Should().BeEquivalentTo("events", "events[5].eventId");
        StreamAppend.TryCreate("t", Guid.NewGuid(), ExpectedRevision.NoStream, events, out _, out _).Should().BeTrue();
    }

    [Fact]
    public void ExpectedRevision_OfAnAppendAtTheEnd_IsKnownOnlyOnceAnchored() =>
        FluentActions.Invoking(() => AtTheEnd(ExpectedRevision.Any).ExpectedRevision).Should().Throw<InvalidOperationException>();

    private static StreamHeader Header(int revision) => new("t", revision, Now);

    private static StreamAppend AtTheEnd(ExpectedRevision expected, int events = 1) =>
        StreamAppend.Create("t", Guid.NewGuid(), expected, [.. Enumerable.Range(0, events).Select(_ => new EventToAppend(Guid.NewGuid(), "e", "{}", null))]);

    private static StreamAppend Append(int expected, int events = 1, bool withIds = true) =>
        StreamAppend.Create("t", Guid.NewGuid(), expected, [.. Enumerable.Range(0, events).Select(_ => new EventToAppend(withIds ? Guid.NewGuid() : null, "e", "{}", null))]);

    private static AppendOutcome Outcome(AppendVerdict verdict) => verdict.Should().BeOfType<AppendVerdict.Done>().Subject.Outcome;
}

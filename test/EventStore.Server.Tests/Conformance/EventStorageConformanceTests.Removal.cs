using ServerlessEventStore.Server.Storage;
using ServerlessEventStore.Types;

namespace ServerlessEventStore.Server.Tests.Conformance;

/// <summary>Deletes (soft, hard) and truncations: what reads, appends and listings see afterwards, and what is left stored.</summary>
public abstract partial class EventStorageConformanceTests
{
    [Theory]
    [InlineData(DeleteMode.Soft)]
    [InlineData(DeleteMode.Hard)]
    public async Task RemoveAsync_Delete_StreamReadsAsGoneEverywhere(DeleteMode mode)
    {
        var (type, id) = NewStream();
        await AppendAsync(type, id, 0, Event(), Event(), Event(), Event(), Event());

        var outcome = await RemoveUntilDoneAsync(StreamRemoval.Delete(type, id, mode));

        outcome.Should().BeOfType<RemovalOutcome.Removed>();
        await FluentActions.Awaiting(() => Storage.GetStreamAsync(type, id, default)).Should().ThrowAsync<StreamDeletedException>();
        foreach (var read in new[]
        {
            EventRead.Forward(type, id, 0, 100),
            EventRead.Forward(type, id, 2, 1),
            EventRead.Backward(type, id, null, 1),
            EventRead.Backward(type, id, 4, 1),
            new EventRead(type, id, 1, 4, ReadDirection.Forward, 1),
            new EventRead(type, id, 3, 4, ReadDirection.Forward, 10),
        })
        {
            await FluentActions.Awaiting(() => Storage.GetEventsAsync(read, default)).Should().ThrowAsync<StreamDeletedException>($"{read} reads a deleted stream");
        }

        (await Storage.GetStreamsAsync(type, DateTimeOffset.MinValue, null, 100, default)).Streams.Should().BeEmpty();
    }

    [Fact]
    public async Task RemoveAsync_SoftDelete_KeepsTheEventsAndHardDeleteRemovesThemAndTheRecords()
    {
        var (type, id) = NewStream();
        await AppendAsync(type, id, ExpectedRevision.Any, Event(), Event());
        await AppendAsync(type, id, ExpectedRevision.Any, Event());

        await RemoveUntilDoneAsync(StreamRemoval.Delete(type, id, DeleteMode.Soft));
        var afterSoft = await ReadStoredAsync(id);
        await RemoveUntilDoneAsync(StreamRemoval.Delete(type, id, DeleteMode.Hard));
        var afterHard = await ReadStoredAsync(id);

        afterSoft.Revisions.Should().Equal(1, 2, 3);
        afterSoft.AppendRecords.Should().Be(2);
        afterHard.Revisions.Should().BeEmpty();
        afterHard.AppendRecords.Should().Be(0);
    }

    [Theory]
    [InlineData(DeleteMode.Soft)]
    [InlineData(DeleteMode.Hard)]
    public async Task AppendAsync_ToADeletedStream_IsRefusedWhateverTheExpectation(DeleteMode mode)
    {
        var (type, id) = NewStream();
        await AppendAsync(type, id, 0, Event());
        await RemoveUntilDoneAsync(StreamRemoval.Delete(type, id, mode));

        // Its id is not used again: not by a new stream (expected revision 0), nor at the end, nor where it stopped.
        (await AppendAsync(type, id, 0, Event())).Should().BeOfType<AppendOutcome.StreamDeleted>();
        (await AppendAsync(type, id, 1, Event())).Should().BeOfType<AppendOutcome.StreamDeleted>();
        (await AppendAsync(type, id, ExpectedRevision.Any, Event())).Should().BeOfType<AppendOutcome.StreamDeleted>();
        (await AppendAsync(type, id, ExpectedRevision.StreamExists, Event())).Should().BeOfType<AppendOutcome.StreamDeleted>();
        (await AppendAsync(NewType(), id, 0, Event())).Should().BeOfType<AppendOutcome.StreamNotFound>("the id is taken, by a stream of another type");
    }

    [Theory]
    [InlineData(DeleteMode.Soft, DeleteMode.Soft)]
    [InlineData(DeleteMode.Hard, DeleteMode.Hard)]
    [InlineData(DeleteMode.Hard, DeleteMode.Soft)]
    public async Task RemoveAsync_DeleteRepeated_AnswersAsTheFirstTime(DeleteMode first, DeleteMode then)
    {
        var (type, id) = NewStream();
        await AppendAsync(type, id, 0, Event(), Event());
        await RemoveUntilDoneAsync(StreamRemoval.Delete(type, id, first, expectedRevision: 2));

        var repeat = await RemoveUntilDoneAsync(StreamRemoval.Delete(type, id, then, expectedRevision: 2));

        repeat.Should().BeOfType<RemovalOutcome.Removed>();
        (await ReadStoredAsync(id)).Revisions.Should().HaveCount(first == DeleteMode.Hard ? 0 : 2, "hard outranks soft");
    }

    [Fact]
    public async Task RemoveAsync_DeleteAtAnotherRevision_IsAConflictAndDeletesNothing()
    {
        var (type, id) = NewStream();
        await AppendAsync(type, id, 0, Event(), Event(), Event());

        var outcome = await Storage.RemoveAsync(StreamRemoval.Delete(type, id, DeleteMode.Hard, expectedRevision: 2), default);

        outcome.Should().BeEquivalentTo(new RemovalOutcome.WrongExpectedRevision(3));
        (await ReadAllAsync(type, id)).Should().HaveCount(3);
    }

    [Fact]
    public async Task RemoveAsync_MissingStreamOrOtherType_IsNotFound()
    {
        var (type, id) = NewStream();
        await AppendAsync(type, id, 0, Event());

        (await Storage.RemoveAsync(StreamRemoval.Delete(type, Guid.NewGuid(), DeleteMode.Soft), default)).Should().BeOfType<RemovalOutcome.StreamNotFound>();
        (await Storage.RemoveAsync(StreamRemoval.Delete(NewType(), id, DeleteMode.Hard), default)).Should().BeOfType<RemovalOutcome.StreamNotFound>();
        (await Storage.RemoveAsync(StreamRemoval.Truncate(NewType(), id, 2), default)).Should().BeOfType<RemovalOutcome.StreamNotFound>();
        (await ReadAllAsync(type, id)).Should().ContainSingle();
    }

    [Fact]
    public async Task RemoveAsync_Truncate_ReadsStartAtTheRevisionAndTheRestIsUnchanged()
    {
        var (type, id) = NewStream();
        await AppendAsync(type, id, 0, Event(), Event(), Event(), Event(), Event());

        var outcome = await RemoveUntilDoneAsync(StreamRemoval.Truncate(type, id, 4));
        var appended = await AppendAsync(type, id, 5, Event());

        outcome.Should().BeOfType<RemovalOutcome.Removed>();
        appended.Should().BeOfType<AppendOutcome.Appended>().Which.Stream.Revision.Should().Be(6);
        (await ReadAllAsync(type, id)).Select(e => e.Revision).Should().Equal(4, 5, 6);
        (await Storage.GetEventsAsync(EventRead.Backward(type, id, null, 10), default))!.Events.Select(e => e.Revision).Should().Equal(6, 5, 4);
        (await Storage.GetEventsAsync(EventRead.Forward(type, id, 1, 2), default))!.Events.Select(e => e.Revision).Should().Equal(4, 5);
        (await Storage.GetStreamAsync(type, id, default))!.Revision.Should().Be(6);
        (await ReadStoredAsync(id)).Revisions.Should().Equal(4, 5, 6);
    }

    [Fact]
    public async Task RemoveAsync_TruncateRepeatedOrLower_RemovesNothingMore()
    {
        var (type, id) = NewStream();
        await AppendAsync(type, id, 0, Event(), Event(), Event(), Event());
        await RemoveUntilDoneAsync(StreamRemoval.Truncate(type, id, 3));

        var repeat = await RemoveUntilDoneAsync(StreamRemoval.Truncate(type, id, 3));
        var lower = await RemoveUntilDoneAsync(StreamRemoval.Truncate(type, id, 2));

        repeat.Should().BeOfType<RemovalOutcome.Removed>();
        lower.Should().BeOfType<RemovalOutcome.Removed>();
        (await ReadAllAsync(type, id)).Select(e => e.Revision).Should().Equal(3, 4);
    }

    [Fact]
    public async Task RemoveAsync_TruncateToTheEnd_KeepsNoEventAndTheRevision()
    {
        var (type, id) = NewStream();
        await AppendAsync(type, id, 0, Event(), Event());

        var pastTheEnd = await Storage.RemoveAsync(StreamRemoval.Truncate(type, id, 4), default);
        var toTheEnd = await RemoveUntilDoneAsync(StreamRemoval.Truncate(type, id, 3));

        pastTheEnd.Should().BeEquivalentTo(new RemovalOutcome.WrongExpectedRevision(2));
        toTheEnd.Should().BeOfType<RemovalOutcome.Removed>();
        (await ReadAllAsync(type, id)).Should().BeEmpty();
        (await Storage.GetEventsAsync(EventRead.Backward(type, id, null, 1), default))!.Events.Should().BeEmpty();
        (await Storage.GetStreamAsync(type, id, default))!.Revision.Should().Be(2);
    }

    [Fact]
    public async Task RemoveAsync_TruncateADeletedStream_IsStreamDeleted()
    {
        var (type, id) = NewStream();
        await AppendAsync(type, id, 0, Event(), Event());
        await RemoveUntilDoneAsync(StreamRemoval.Delete(type, id, DeleteMode.Soft));

        (await Storage.RemoveAsync(StreamRemoval.Truncate(type, id, 2), default)).Should().BeOfType<RemovalOutcome.StreamDeleted>();
    }

    [Fact]
    public async Task RemoveAsync_HardDeleteOfALongStream_EndsWithNothingStoredHoweverManyCallsItTakes()
    {
        var (type, id) = NewStream();
        for (var revision = 0; revision < 1100; revision += 100)
        {
            await AppendAsync(type, id, revision, [.. Enumerable.Range(0, 99).Select(_ => Event())]);
            await AppendAsync(type, id, revision + 99, Event());
        }

        var calls = 0;
        RemovalOutcome outcome;
        do
        {
            outcome = await Storage.RemoveAsync(StreamRemoval.Delete(type, id, DeleteMode.Hard), default);
            calls++;
        }
        while (outcome is RemovalOutcome.MoreToRemove && calls < 10);

        outcome.Should().BeOfType<RemovalOutcome.Removed>();
        (await ReadStoredAsync(id)).Revisions.Should().BeEmpty();
    }

    /// <summary>Repeats a removal while the store says more is left, as a client does (at most 10 calls).</summary>
    protected async Task<RemovalOutcome> RemoveUntilDoneAsync(StreamRemoval removal)
    {
        RemovalOutcome outcome;
        var calls = 0;
        do
        {
            outcome = await Storage.RemoveAsync(removal, CancellationToken.None);
        }
        while (outcome is RemovalOutcome.MoreToRemove && ++calls < 10);

        return outcome;
    }
}

using Microsoft.Extensions.Time.Testing;
using ServerlessEventStore.Server.Storage;

namespace ServerlessEventStore.Server.Tests.DynamoDb;

/// <summary>What DynamoDB's read of a stream type's events adds to the conformance suite: the settle window, and times that keep a stream's order when clocks disagree.</summary>
public sealed class DynamoDbStreamTypeEventsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private DynamoDbTestTable _table = null!;

    public async Task InitializeAsync() => _table = await DynamoDbTestTable.CreateInitializedAsync();

    public async Task DisposeAsync() => await _table.DisposeAsync();

    [Fact]
    public async Task GetStreamTypeEventsAsync_EventYoungerThanTheSettleWindow_NotYetDeliveredAndNotPassed()
    {
        var clock = new FakeTimeProvider(Start);
        var storage = _table.Storage(clock);
        var type = $"t-{Guid.NewGuid():N}";
        await storage.AppendAsync(StreamAppend.Create(type, Guid.NewGuid(), 0, [Event()]), default);

        clock.Advance(_table.Options().SettleWindow - TimeSpan.FromMilliseconds(1));
        var early = await storage.GetStreamTypeEventsAsync(type, EventCheckpoint.Start, 100, default);
        clock.Advance(TimeSpan.FromMilliseconds(2));
        EventCheckpoint.TryDecode(early.Checkpoint, out var saved).Should().BeTrue();
        var settled = await storage.GetStreamTypeEventsAsync(type, saved!, 100, default);

        early.Events.Should().BeEmpty();
        settled.Events.Should().ContainSingle();
    }

    [Fact]
    public async Task AppendAsync_WriterWhoseClockIsBehind_StampsItsEventJustAfterTheStreamsLast()
    {
        var type = $"t-{Guid.NewGuid():N}";
        var id = Guid.NewGuid();
        var ahead = _table.Storage(new FakeTimeProvider(Start.AddMinutes(1)));
        var behind = _table.Storage(new FakeTimeProvider(Start));
        var first = await ahead.AppendAsync(StreamAppend.Create(type, id, 0, [Event()]), default);

        var second = await behind.AppendAsync(StreamAppend.Create(type, id, 1, [Event(), Event()]), default);
        var reader = _table.Storage(new FakeTimeProvider(Start.AddHours(1)));
        var page = await reader.GetStreamTypeEventsAsync(type, EventCheckpoint.Start, 100, default);

        second.Should().BeOfType<AppendOutcome.Appended>().Which.Stream.UpdatedAt.Should().Be(Start.AddMinutes(1).AddTicks(1));
        page.Events.Select(e => e.Event.Revision).Should().Equal(1, 2, 3);
        page.Events.Select(e => e.Event.CreatedAt).Should().Equal(
            first.Should().BeOfType<AppendOutcome.Appended>().Subject.Stream.UpdatedAt, Start.AddMinutes(1).AddTicks(1), Start.AddMinutes(1).AddTicks(1));
    }

    private static EventToAppend Event() => new(Guid.NewGuid(), "something-happened", "{}", null);
}

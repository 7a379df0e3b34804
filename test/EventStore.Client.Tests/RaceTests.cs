using EventStore.Testing;
using static ServerlessEventStore.Client.Tests.TestSupport;

namespace ServerlessEventStore.Client.Tests;

public sealed class RaceTests(EventStoreServerFixture fixture) : IClassFixture<EventStoreServerFixture>
{
    [Fact]
    public async Task AppendAsync_ThirtyTwoWritersAtSameRevision_ExactlyOneWinsAndStreamStaysGapless()
    {
        var client = fixture.CreateClient();
        var streamType = NewStreamType();
        var created = await client.CreateStreamAsync(streamType, CountedEvent(0));
        var contenders = Enumerable.Range(1, 32).Select(CountedEvent).ToList();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var attempts = contenders.Select(newEvent => Task.Run(async () =>
        {
            await start.Task;
            try
            {
                await client.AppendAsync(streamType, created.StreamId, 1, newEvent);
                return (newEvent, (Exception?)null);
            }
            catch (Exception exception)
            {
                return (newEvent, exception);
            }
        })).ToList();
        start.SetResult();
        var outcomes = await Task.WhenAll(attempts);

        var winners = outcomes.Where(o => o.Item2 is null).ToList();
        winners.Should().ContainSingle();
        outcomes.Where(o => o.Item2 is not null).Select(o => o.Item2)
            .Should().HaveCount(31)
            .And.AllBeOfType<WrongExpectedRevisionException>()
            .And.AllSatisfy(e =>
            {
                var wrong = (WrongExpectedRevisionException)e!;
                wrong.ExpectedRevision.Should().Be(1);
                wrong.ActualRevision.Should().Be(2);
            });
        var events = await client.GetEventsAsync(streamType, created.StreamId).ToListAsync();
        events.Select(e => e.Revision).Should().Equal(1, 2);
        events[1].EventId.Should().Be(winners[0].newEvent.EventId);
        (await client.GetStreamAsync(streamType, created.StreamId)).Revision.Should().Be(2);
    }
}

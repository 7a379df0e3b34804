using EventStore.Testing;
using static ServerlessEventStore.Client.Tests.TestSupport;

namespace ServerlessEventStore.Client.Tests;

// On net10.0 the BCL's System.Linq.AsyncEnumerable and the System.Linq.Async package are both referenced here; these
// calls must bind without ambiguity, as they will in a consumer's code.
public sealed class LinqTests(EventStoreServerFixture fixture) : IClassFixture<EventStoreServerFixture>
{
    private readonly EventStoreClient _client = fixture.CreateClient(pageSize: 3);

    [Fact]
    public async Task GetEventsAsync_WhereSelectTake_ComposeAndStopEarly()
    {
        var streamType = NewStreamType();
        var streamId = await _client.CreateStreamWithEventsAsync(streamType, 10);
        var counter = new CountingHandler();
        var client = fixture.CreateClient(counter, pageSize: 3);

        var evenNumbers = await client.GetEventsAsync(streamType, streamId)
            .Where(e => e.Revision % 2 == 0)
            .Select(e => e.GetPayload<Counted>()!.Number)
            .Take(2)
            .ToListAsync();

        evenNumbers.Should().Equal(2, 4);
        counter.Count.Should().Be(2, "revision 4 is on the second page of three");
    }

    [Fact]
    public async Task GetEventsAsync_AggregateOperators_SeeEveryEvent()
    {
        var streamType = NewStreamType();
        var streamId = await _client.CreateStreamWithEventsAsync(streamType, 10);
        var events = _client.GetEventsAsync(streamType, streamId);

        (await events.CountAsync()).Should().Be(10);
        (await events.LastAsync()).Revision.Should().Be(10);
        (await events.AnyAsync(e => e.Revision == 7)).Should().BeTrue();
        (await events.ToDictionaryAsync(e => e.Revision)).Keys.Should().BeEquivalentTo(Enumerable.Range(1, 10));
    }
}

using EventStore.Testing;
using static ServerlessEventStore.Client.Tests.TestSupport;

namespace ServerlessEventStore.Client.Tests;

/// <summary>How a subscription waits once caught up, on a fake clock; and its options' checks.</summary>
public sealed class SubscriptionPollingTests(EventStoreServerFixture fixture) : IClassFixture<EventStoreServerFixture>
{
    private readonly EventStoreClient _client = fixture.CreateClient();

    [Fact]
    public async Task SubscribeToStreamTypeAsync_CaughtUp_AsksAgainOnlyAfterThePollIntervalOnItsClock()
    {
        var streamType = NewStreamType();
        await _client.CreateStreamWithEventsAsync(streamType, 2);
        var clock = new TimerWatchingTimeProvider();
        var counter = new CountingHandler();
        var client = fixture.CreateClient(counter);
        var options = new SubscriptionOptions { PollInterval = TimeSpan.FromMinutes(10), TimeProvider = clock };
        var subscription = client.SubscribeToStreamTypeAsync(streamType, null, options).GetAsyncEnumerator();
        (await subscription.MoveNextAsync()).Should().BeTrue();
        (await subscription.MoveNextAsync()).Should().BeTrue();
        var streamId = subscription.Current.Event.StreamId;

        var third = subscription.MoveNextAsync().AsTask();
        await clock.WaitForTimerAsync(options.PollInterval, TimeSpan.FromSeconds(30));
        var appended = await _client.AppendAsync(streamType, streamId, 2, CountedEvent(3));
        var requestsBefore = counter.Count;
        clock.Advance(options.PollInterval);
        var moved = await third.WaitAsync(TimeSpan.FromSeconds(30));
        var current = subscription.Current;
        await subscription.DisposeAsync();

        moved.Should().BeTrue();
        requestsBefore.Should().Be(1, "caught up, it waits for the poll interval before asking again");
        counter.Count.Should().Be(2);
        current.Event.Revision.Should().Be(appended.Revision);
    }

    [Theory]
    [InlineData(0, null)]
    [InlineData(-1, null)]
    [InlineData(1000, 0)]
    [InlineData(1000, 1001)]
    public void SubscribeToStreamTypeAsync_InvalidOptions_ThrowsArgumentException(int pollMilliseconds, int? pageSize)
    {
        var options = new SubscriptionOptions { PollInterval = TimeSpan.FromMilliseconds(pollMilliseconds), PageSize = pageSize };

        FluentActions.Invoking(() => _client.SubscribeToStreamTypeAsync("order", null, options)).Should().Throw<ArgumentException>();
    }
}

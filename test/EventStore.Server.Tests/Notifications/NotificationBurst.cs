using ServerlessEventStore.Client;
using ServerlessEventStore.Types;

namespace ServerlessEventStore.Server.Tests.Notifications;

/// <summary>
/// The burst both relays must survive: 1,000 appends from 20 concurrent writers, and then exactly 1,000 distinct
/// notifications in the subscribed queue — none lost, none published twice by a healthy relay.
/// </summary>
internal static class NotificationBurst
{
    private const int Streams = 20;
    private const int AppendsPerStream = 50;

    public static async Task AppendAndExpectEveryNotificationAsync(EventStoreClient client, string streamType, QueueSubscription queue, TimeSpan patience)
    {
        var streamIds = Enumerable.Range(0, Streams).Select(_ => Guid.NewGuid()).ToList();
        await Task.WhenAll(streamIds.Select(async streamId =>
        {
            for (var revision = 0; revision < AppendsPerStream; revision++)
            {
                await client.AppendAsync(streamType, streamId, revision, NewEvent.Create("tick", revision));
            }
        }));

        var expected = streamIds.SelectMany(id => Enumerable.Range(1, AppendsPerStream).Select(revision => (id, revision))).ToHashSet();
        var received = await queue.ReceiveUntilAsync(r => r.Select(n => (n.StreamId, n.StreamRevision)).ToHashSet().Count >= expected.Count, patience);
        // Set operations: an equivalency assertion over 1,000 tuples would take seconds.
        var distinct = received.Select(n => (n.StreamId, n.StreamRevision)).ToHashSet();
        expected.Except(distinct).Should().BeEmpty("no notification may be lost");
        distinct.Except(expected).Should().BeEmpty();
        received.Should().HaveCount(expected.Count, "a healthy relay publishes each notification once");
        (await queue.ReceiveOnceAsync(waitSeconds: 1)).Should().BeEmpty("nothing beyond the 1,000 notifications was published");
    }
}

using EventStore.Testing;
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

    /// <summary>Appends the burst and checks what the queue receives.</summary>
    /// <param name="client">A client of the server under test.</param>
    /// <param name="streamType">The stream type <paramref name="queue"/> is subscribed to.</param>
    /// <param name="queue">The subscribed queue.</param>
    /// <param name="waitUntilPublished">Waits until the server's relay has published everything committed so far.</param>
    /// <param name="patience">How long the notifications may take.</param>
    public static async Task AppendAndExpectEveryNotificationAsync(
        EventStoreClient client, string streamType, TestQueue queue, Func<Task> waitUntilPublished, TimeSpan patience)
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
        var received = await queue.ReceiveUntilAsync(r => Distinct(r).Count >= expected.Count, patience);
        // Set operations: an equivalency assertion over 1,000 tuples would take seconds.
        var distinct = Distinct(received);
        expected.Except(distinct).Should().BeEmpty("no notification may be lost");
        distinct.Except(expected).Should().BeEmpty();
        received.Should().HaveCount(expected.Count, "a healthy relay publishes each notification once");
        // Once the relay has published all it holds, a notification published twice is in the queue already.
        await waitUntilPublished();
        (await queue.ReceiveOnceAsync(TimeSpan.FromSeconds(1))).Should().BeEmpty("nothing beyond the 1,000 notifications was published");
    }

    private static HashSet<(Guid StreamId, int StreamRevision)> Distinct(IEnumerable<QueueMessage> received) =>
        received.Select(message => (message.Notification!.StreamId, message.Notification.StreamRevision)).ToHashSet();
}

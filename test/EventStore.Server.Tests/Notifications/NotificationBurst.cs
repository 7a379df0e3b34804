using EventStore.Testing;
using ServerlessEventStore.Client;
using ServerlessEventStore.Types;

namespace ServerlessEventStore.Server.Tests.Notifications;

/// <summary>
/// The burst both relays must survive: 1,000 appends from 20 concurrent writers, and then exactly 1,000 distinct
/// notifications in the subscribed queue — none lost, and none published twice unless an attempt to publish it went
/// unanswered (SNS, like the emulator under load, may have taken a publication whose answer timed out: at least once
/// allows the repeat, a healthy relay makes no other).
/// </summary>
internal static class NotificationBurst
{
    private const int Streams = 20;
    private const int AppendsPerStream = 50;

    /// <summary>Appends the burst and checks what the queue receives.</summary>
    /// <param name="client">A client of the server under test.</param>
    /// <param name="streamType">The stream type <paramref name="queue"/> is subscribed to.</param>
    /// <param name="queue">The subscribed queue.</param>
    /// <param name="sns">The handler in the server's SNS client, noting every publish attempt.</param>
    /// <param name="waitUntilPublished">Waits until the server's relay has published everything committed so far.</param>
    /// <param name="patience">How long the notifications may take.</param>
    public static async Task AppendAndExpectEveryNotificationAsync(
        EventStoreClient client, string streamType, TestQueue queue, SnsFaultHandler sns, Func<Task> waitUntilPublished, TimeSpan patience)
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
        var received = (await queue.ReceiveUntilAsync(r => Distinct(r).Count >= expected.Count, patience)).ToList();
        // Set operations: an equivalency assertion over 1,000 tuples would take seconds.
        var distinct = Distinct(received);
        expected.Except(distinct).Should().BeEmpty("no notification may be lost");
        distinct.Except(expected).Should().BeEmpty();

        // Once the relay has published all it holds, every repeat it made is in the queue already.
        await waitUntilPublished();
        for (var more = await queue.ReceiveOnceAsync(TimeSpan.FromSeconds(1)); more.Count > 0; more = await queue.ReceiveOnceAsync(TimeSpan.FromSeconds(1)))
        {
            received.AddRange(more);
            await queue.AcknowledgeAsync(more);
        }

        var unanswered = Keys(sns.Unanswered.Where(notification => notification.StreamType == streamType)).ToHashSet();
        var attempts = Keys(sns.Attempts.Where(notification => notification.StreamType == streamType)).ToList();
        attempts.Should().HaveCount(expected.Count + sns.Unanswered.Count(notification => notification.StreamType == streamType), "the relay tries again only after an attempt went unanswered");
        var repeated = received.GroupBy(Key).Where(group => group.Count() > 1).Select(group => group.Key).ToHashSet();
        repeated.Except(unanswered).Should().BeEmpty("a notification arrives twice only when an attempt to publish it went unanswered");
        var attemptsOf = attempts.CountBy(key => key).ToDictionary();
        received.CountBy(Key).Where(pair => pair.Value > attemptsOf[pair.Key]).Should().BeEmpty("the queue holds no more copies than were published");
    }

    private static (Guid StreamId, int StreamRevision) Key(QueueMessage message) => (message.Notification!.StreamId, message.Notification.StreamRevision);

    private static IEnumerable<(Guid StreamId, int StreamRevision)> Keys(IEnumerable<StreamNotification> notifications) =>
        notifications.Select(notification => (notification.StreamId, notification.StreamRevision));

    private static HashSet<(Guid StreamId, int StreamRevision)> Distinct(IEnumerable<QueueMessage> received) =>
        received.Select(Key).ToHashSet();
}

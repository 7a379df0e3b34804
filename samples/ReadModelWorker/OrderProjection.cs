using ServerlessEventStore.Client;
using ServerlessEventStore.Client.Sqs;
using ServerlessEventStore.Types;

namespace ReadModelWorker;

/// <summary>
/// Keeps <see cref="OrderSummaries"/> up to date. A notification only says "stream X reached revision N" and may come
/// twice, late or out of order, so the projection reads the events after its own checkpoint — the revision its read
/// model has seen — rather than trusting the notification's revision. A deleted order leaves the read model, whether
/// its deletion's notification says so or a late append's finds the stream gone; a truncation changes nothing it shows.
/// </summary>
internal sealed partial class OrderProjection(EventStoreClient eventStore, OrderSummaries summaries, ILogger<OrderProjection> logger)
    : IEventStoreNotificationHandler
{
    public async Task<NotificationResult> HandleAsync(StreamNotification notification, NotificationContext context, CancellationToken cancellationToken)
    {
        if (notification.StreamType != OrderSummaries.StreamType)
        {
            return NotificationResult.Success(); // not ours: acknowledge and move on
        }

        if (notification.Change == StreamChange.Deleted)
        {
            return Removed(notification.StreamId);
        }

        var checkpoint = summaries.Revision(notification.StreamId);
        try
        {
            await foreach (var recorded in eventStore.GetEventsAsync(notification.StreamType, notification.StreamId, checkpoint, cancellationToken))
            {
                summaries.Apply(recorded);
            }
        }
        catch (StreamNotFoundException)
        {
            return Removed(notification.StreamId); // deleted since: this notification came late
        }

        var revision = summaries.Revision(notification.StreamId);
        LogCaughtUp(notification.StreamId, revision, notification.StreamRevision);
        return NotificationResult.Success();
    }

    private NotificationResult Removed(Guid orderId)
    {
        summaries.Remove(orderId);
        LogRemoved(orderId);
        return NotificationResult.Success();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} was deleted: removed from the read model")]
    private partial void LogRemoved(Guid orderId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} read up to revision {Revision} (notified: {Notified})")]
    private partial void LogCaughtUp(Guid orderId, int revision, int notified);
}

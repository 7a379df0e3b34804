using ServerlessEventStore.Types;

namespace ServerlessEventStore.Server.Notifications;

/// <summary>
/// Where stream notifications go: an SNS topic, or the log when none is configured. Every relay (the embedded store's
/// outbox, DynamoDB Streams) publishes through this port, so the message is the same whatever the store.
/// </summary>
public interface INotificationPublisher
{
    /// <summary>Publishes one notification; it has been accepted when the returned task completes.</summary>
    /// <param name="notification">The stream and the revision it reached.</param>
    /// <param name="cancellationToken">Cancels the publication.</param>
    /// <returns>A task completing when the notification is accepted.</returns>
    /// <exception cref="NotificationPublishException">It was not accepted; publishing it again may succeed.</exception>
    Task PublishAsync(StreamNotification notification, CancellationToken cancellationToken);
}

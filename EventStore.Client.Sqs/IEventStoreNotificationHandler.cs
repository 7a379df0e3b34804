using ServerlessEventStore.Types;

namespace ServerlessEventStore.Client.Sqs;

/// <summary>
/// Handles stream notifications received by the worker that
/// <see cref="EventStoreNotificationHandlerServiceCollectionExtensions.AddEventStoreNotificationHandler{THandler}(Microsoft.Extensions.DependencyInjection.IServiceCollection, Action{EventStoreNotificationHandlerOptions})"/>
/// registers. Resolved in a dependency-injection scope of its own for each message.
/// </summary>
/// <remarks>
/// Delivery is at least once and unordered: treat a notification as "stream X reached revision N" and read the stream's
/// events after your own checkpoint, so a repeated or late notification does no harm. A notification can also report that
/// the stream was deleted or truncated (<see cref="StreamNotification.Change"/>): on <see cref="StreamChange.Deleted"/>
/// drop what you hold of the stream; after <see cref="StreamChange.Truncated"/> what you applied stays valid. An append's
/// notification that arrives after the deletion finds the stream gone when you read it.
/// </remarks>
public interface IEventStoreNotificationHandler
{
    /// <summary>Handles one notification.</summary>
    /// <param name="notification">The notification.</param>
    /// <param name="context">The message that carried it.</param>
    /// <param name="cancellationToken">Cancelled when the host's shutdown timeout has passed.</param>
    /// <returns>
    /// <see cref="NotificationResult.Success()"/> to acknowledge the message, or <see cref="NotificationResult.Retry"/> to
    /// have it delivered again. An exception counts as a retry after the visibility timeout.
    /// </returns>
    Task<NotificationResult> HandleAsync(StreamNotification notification, NotificationContext context, CancellationToken cancellationToken);
}

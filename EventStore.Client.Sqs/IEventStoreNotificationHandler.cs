using ServerlessEventStore.Types;

namespace ServerlessEventStore.Client.Sqs;

/// <summary>
/// Handles stream notifications received by the worker that
/// <see cref="EventStoreNotificationHandlerServiceCollectionExtensions.AddEventStoreNotificationHandler{THandler}(Microsoft.Extensions.DependencyInjection.IServiceCollection, Action{EventStoreNotificationHandlerOptions})"/>
/// registers. Resolved in a dependency-injection scope of its own for each message.
/// </summary>
/// <remarks>
/// Delivery is at least once and unordered: treat a notification as "stream X reached revision N" and read the stream's
/// events after your own checkpoint, so a repeated or late notification does no harm.
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

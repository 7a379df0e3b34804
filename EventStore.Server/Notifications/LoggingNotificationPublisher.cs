using ServerlessEventStore.Types;

namespace ServerlessEventStore.Server.Notifications;

/// <summary>
/// The publisher when no SNS topic is configured: each notification is logged (with its message body) and counts as
/// published. At Debug, so that a server without a topic writes no line per append by default.
/// </summary>
internal sealed partial class LoggingNotificationPublisher(ILogger<LoggingNotificationPublisher> logger) : INotificationPublisher
{
    public Task PublishAsync(StreamNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        if (logger.IsEnabled(LogLevel.Debug))
        {
            var message = StreamNotificationConverter.ToMessageBody(notification);
            LogNotification(logger, notification.StreamType, notification.StreamId, notification.Change.Name, notification.StreamRevision, message);
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Debug, Message = "Notification (not published: EventStore:Notifications:SnsTopicArn is not set) stream {StreamType}/{StreamId} {Change} at revision {StreamRevision}: {Message}")]
    private static partial void LogNotification(ILogger logger, string streamType, Guid streamId, string change, int streamRevision, string message);
}

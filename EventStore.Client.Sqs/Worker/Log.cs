using Microsoft.Extensions.Logging;

namespace ServerlessEventStore.Client.Sqs.Worker;

/// <summary>The worker's log messages; every one about a message carries its id.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Receiving stream notifications from {QueueUrl} for {Handler}, at most {MaxConcurrency} at a time")]
    public static partial void Started(this ILogger logger, string queueUrl, string handler, int maxConcurrency);

    [LoggerMessage(2, LogLevel.Error, "Message {MessageId} from {QueueUrl} is not a stream notification (receive {ReceiveCount}); it is left on the queue for its dead-letter queue")]
    public static partial void Malformed(this ILogger logger, Exception error, string messageId, string queueUrl, int receiveCount);

    [LoggerMessage(3, LogLevel.Debug, "Handled message {MessageId}: stream {StreamType}/{StreamId} at revision {StreamRevision}")]
    public static partial void Handled(this ILogger logger, string messageId, string streamType, Guid streamId, int streamRevision);

    [LoggerMessage(4, LogLevel.Error, "{Handler} failed on message {MessageId} (stream {StreamType}/{StreamId} at revision {StreamRevision}, receive {ReceiveCount}); it will be delivered again")]
    public static partial void HandlerFailed(this ILogger logger, Exception exception, string handler, string messageId, string streamType, Guid streamId, int streamRevision, int receiveCount);

    [LoggerMessage(5, LogLevel.Information, "{Handler} asked to retry message {MessageId} (stream {StreamType}/{StreamId} at revision {StreamRevision}) after {RetryDelay}")]
    public static partial void RetryRequested(this ILogger logger, string handler, string messageId, string streamType, Guid streamId, int streamRevision, string retryDelay);

    [LoggerMessage(6, LogLevel.Warning, "The shutdown timeout passed while handling message {MessageId} (stream {StreamId}); it will be delivered again")]
    public static partial void HandlerAbandoned(this ILogger logger, string messageId, Guid streamId);

    [LoggerMessage(7, LogLevel.Warning, "Could not acknowledge message {MessageId}: {ErrorCode} {ErrorMessage}; it will be delivered again")]
    public static partial void AcknowledgeFailed(this ILogger logger, string messageId, string errorCode, string? errorMessage);

    [LoggerMessage(8, LogLevel.Warning, "Could not change the visibility of message {MessageId}")]
    public static partial void VisibilityChangeFailed(this ILogger logger, Exception exception, string messageId);

    [LoggerMessage(9, LogLevel.Debug, "Extended the visibility of message {MessageId} by {VisibilityTimeout}")]
    public static partial void VisibilityExtended(this ILogger logger, string messageId, TimeSpan visibilityTimeout);

    [LoggerMessage(10, LogLevel.Warning, "Receiving from {QueueUrl} failed; trying again in {Delay}")]
    public static partial void ReceiveFailed(this ILogger logger, Exception exception, string queueUrl, TimeSpan delay);

    [LoggerMessage(11, LogLevel.Critical, "Cannot receive from {QueueUrl} ({ErrorCode}); the notification worker stops, and with it the host")]
    public static partial void ReceiveFatal(this ILogger logger, Exception exception, string queueUrl, string errorCode);

    [LoggerMessage(12, LogLevel.Information, "Stopping: no more receives from {QueueUrl}; waiting for {InFlight} running handlers")]
    public static partial void Stopping(this ILogger logger, string queueUrl, int inFlight);

    [LoggerMessage(13, LogLevel.Information, "Stopped receiving from {QueueUrl}")]
    public static partial void Stopped(this ILogger logger, string queueUrl);

    [LoggerMessage(14, LogLevel.Error, "{Handler} returned no result for message {MessageId}; it will be delivered again")]
    public static partial void NoResult(this ILogger logger, string handler, string messageId);
}

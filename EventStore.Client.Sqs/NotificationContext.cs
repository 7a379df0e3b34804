namespace ServerlessEventStore.Client.Sqs;

/// <summary>The SQS message that carried a notification to an <see cref="IEventStoreNotificationHandler"/>.</summary>
public sealed class NotificationContext
{
    /// <summary>Creates a context; for tests.</summary>
    /// <param name="queueUrl">The queue's URL.</param>
    /// <param name="messageId">The SQS message id.</param>
    /// <param name="receiveCount">How many times the message has been received, this time included.</param>
    public NotificationContext(string queueUrl, string messageId, int receiveCount)
    {
        QueueUrl = queueUrl;
        MessageId = messageId;
        ReceiveCount = receiveCount;
    }

    /// <summary>The queue's URL.</summary>
    public string QueueUrl { get; }

    /// <summary>The SQS message id; the same on every delivery of the message.</summary>
    public string MessageId { get; }

    /// <summary>How many times the message has been received, this time included: 2 or more on a redelivery.</summary>
    public int ReceiveCount { get; }
}

using System.Diagnostics.CodeAnalysis;
using ServerlessEventStore.Types;

namespace ServerlessEventStore.Client.Sqs;

/// <summary>
/// A message received from the queue: its id, the receipt handle of this delivery, how often it has been received, and
/// either the <see cref="Notification"/> it carries or, when <see cref="IsMalformed"/>, the <see cref="FormatError"/> that
/// says why it is not one.
/// </summary>
public sealed class ReceivedNotification
{
    /// <summary>Creates a received message, reading the notification from <paramref name="body"/>; for tests and mocks.</summary>
    /// <param name="messageId">The SQS message id.</param>
    /// <param name="receiptHandle">The receipt handle of this delivery.</param>
    /// <param name="receiveCount">How many times the message has been received, this time included.</param>
    /// <param name="body">The message body: a notification, raw or in an SNS envelope.</param>
    public ReceivedNotification(string messageId, string receiptHandle, int receiveCount, string body)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentException.ThrowIfNullOrEmpty(receiptHandle);
        ArgumentNullException.ThrowIfNull(body);
        MessageId = messageId;
        ReceiptHandle = receiptHandle;
        ReceiveCount = receiveCount;
        Body = body;
        try
        {
            Notification = StreamNotificationConverter.FromMessageBody(body, messageId);
        }
        catch (NotificationFormatException exception)
        {
            FormatError = exception;
        }
    }

    /// <summary>A message that cannot be read at all, e.g. one without a receipt handle: malformed, with the reason.</summary>
    internal ReceivedNotification(string messageId, string receiptHandle, int receiveCount, string body, NotificationFormatException formatError)
    {
        MessageId = messageId;
        ReceiptHandle = receiptHandle;
        ReceiveCount = receiveCount;
        Body = body;
        FormatError = formatError;
    }

    /// <summary>The SQS message id.</summary>
    public string MessageId { get; }

    /// <summary>The receipt handle of this delivery: what acknowledging and changing visibility need.</summary>
    public string ReceiptHandle { get; }

    /// <summary>How many times the message has been received, this time included (<c>ApproximateReceiveCount</c>).</summary>
    public int ReceiveCount { get; }

    /// <summary>The message body as received.</summary>
    public string Body { get; }

    /// <summary>The notification; <see langword="null"/> when <see cref="IsMalformed"/>.</summary>
    public StreamNotification? Notification { get; }

    /// <summary>Why the body is not a stream notification; <see langword="null"/> unless <see cref="IsMalformed"/>.</summary>
    public NotificationFormatException? FormatError { get; }

    /// <summary>
    /// Whether the body is not a stream notification. Leave such a message unacknowledged, so that it reaches the queue's
    /// dead-letter queue after its <c>maxReceiveCount</c>.
    /// </summary>
    [MemberNotNullWhen(false, nameof(Notification))]
    [MemberNotNullWhen(true, nameof(FormatError))]
    public bool IsMalformed => FormatError is not null;
}

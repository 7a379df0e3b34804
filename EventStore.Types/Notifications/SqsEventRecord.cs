namespace ServerlessEventStore.Types;

/// <summary>
/// One record of a Lambda SQS event (<c>{"Records":[…]}</c>), read by <see cref="StreamNotificationConverter.ReadSqsEvent(string)"/>.
/// Each record converts on its own with <see cref="ToNotification"/>, so one malformed message fails only itself: report
/// its <see cref="MessageId"/> in the partial-batch response (<see cref="StreamNotificationConverter.CreateBatchResponse"/>).
/// </summary>
public sealed class SqsEventRecord
{
    private readonly string? _bodyProblem;

    /// <summary>Creates a record; for tests.</summary>
    /// <param name="messageId">The SQS message id.</param>
    /// <param name="body">The message body; <see langword="null"/> when the record had none.</param>
    /// <param name="receiptHandle">The receipt handle, if any.</param>
    /// <param name="eventSourceArn">The ARN of the queue, if any.</param>
    /// <param name="attributes">The message's system attributes, e.g. <c>ApproximateReceiveCount</c>.</param>
    public SqsEventRecord(
        string messageId,
        string? body,
        string? receiptHandle = null,
        string? eventSourceArn = null,
        IReadOnlyDictionary<string, string>? attributes = null)
        : this(messageId, body, bodyProblem: null, receiptHandle, eventSourceArn, attributes)
    {
    }

    /// <summary>Creates a record whose body, when <paramref name="bodyProblem"/> is set, could not be read at all.</summary>
    internal SqsEventRecord(
        string messageId,
        string? body,
        string? bodyProblem,
        string? receiptHandle,
        string? eventSourceArn,
        IReadOnlyDictionary<string, string>? attributes)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        MessageId = messageId;
        Body = body;
        _bodyProblem = bodyProblem;
        ReceiptHandle = receiptHandle;
        EventSourceArn = eventSourceArn;
        Attributes = attributes ?? new Dictionary<string, string>();
    }

    /// <summary>The SQS message id: the <c>itemIdentifier</c> to report when this record fails.</summary>
    public string MessageId { get; }

    /// <summary>
    /// The message body: the notification, raw or in an SNS envelope. <see langword="null"/> when missing, or when it is no
    /// text (an escaped lone surrogate, invalid UTF-8), in which case <see cref="ToNotification"/> says so.
    /// </summary>
    public string? Body { get; }

    /// <summary>The receipt handle of this delivery, if the event carried one.</summary>
    public string? ReceiptHandle { get; }

    /// <summary>The ARN of the queue the message came from, if the event carried one.</summary>
    public string? EventSourceArn { get; }

    /// <summary>The message's system attributes with string values (<c>ApproximateReceiveCount</c>, <c>SentTimestamp</c>, …).</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; }

    /// <summary>
    /// How many times the message has been received (<c>ApproximateReceiveCount</c>), or <see langword="null"/> when the
    /// attribute is missing or not a number.
    /// </summary>
    public int? ApproximateReceiveCount =>
        Attributes.TryGetValue("ApproximateReceiveCount", out var value) && int.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var count)
            ? count
            : null;

    /// <summary>Reads the notification from <see cref="Body"/>, raw or in an SNS envelope.</summary>
    /// <returns>The notification.</returns>
    /// <exception cref="NotificationFormatException">
    /// The body is missing, no text, or not a stream notification; names <see cref="MessageId"/>. A malformed body causes
    /// no other exception.
    /// </exception>
    public StreamNotification ToNotification() =>
        Body is null
            ? throw new NotificationFormatException(_bodyProblem ?? "The record has no body.", MessageId)
            : StreamNotificationConverter.FromMessageBody(Body, MessageId);
}

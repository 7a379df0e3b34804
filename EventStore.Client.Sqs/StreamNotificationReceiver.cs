using System.Globalization;
using Amazon.Runtime;
using Amazon.SQS;
using Amazon.SQS.Model;
using ServerlessEventStore.Types;

namespace ServerlessEventStore.Client.Sqs;

/// <summary>
/// Receives stream notifications from one SQS queue (long polling, up to ten at a time), acknowledges them (deletes them
/// from the queue) and changes their visibility. For a hosted worker that does all this for you, see
/// <see cref="EventStoreNotificationHandlerServiceCollectionExtensions.AddEventStoreNotificationHandler{THandler}(Microsoft.Extensions.DependencyInjection.IServiceCollection, Action{EventStoreNotificationHandlerOptions})"/>.
/// </summary>
/// <remarks>
/// Delivery is at least once: a message not acknowledged before its visibility timeout ends is received again, and after
/// the queue's <c>maxReceiveCount</c> receives it moves to the queue's dead-letter queue. Thread-safe. Methods are virtual
/// and a protected constructor exists so that it can be mocked.
/// </remarks>
public class StreamNotificationReceiver
{
    /// <summary>The most messages one receive returns (an SQS limit).</summary>
    public const int MaxMessagesPerReceive = 10;

    /// <summary>The longest long-polling wait of one receive (an SQS limit).</summary>
    public static readonly TimeSpan MaxWaitTime = TimeSpan.FromSeconds(20);

    /// <summary>The longest visibility timeout (an SQS limit).</summary>
    public static readonly TimeSpan MaxVisibilityTimeout = TimeSpan.FromHours(12);

    private const string ReceiveCountAttribute = "ApproximateReceiveCount";
    private readonly IAmazonSQS _sqs = null!;

    /// <summary>Creates a receiver for mocking.</summary>
    protected StreamNotificationReceiver()
    {
        QueueUrl = string.Empty;
    }

    /// <summary>Creates a receiver for the queue at <paramref name="queueUrl"/>.</summary>
    /// <param name="sqs">The SQS client; its lifetime stays with the caller.</param>
    /// <param name="queueUrl">The queue's URL, e.g. <c>https://sqs.eu-central-1.amazonaws.com/123456789012/orders</c>.</param>
    public StreamNotificationReceiver(IAmazonSQS sqs, string queueUrl)
    {
        ArgumentNullException.ThrowIfNull(sqs);
        ArgumentException.ThrowIfNullOrWhiteSpace(queueUrl);
        _sqs = sqs;
        QueueUrl = queueUrl;
    }

    /// <summary>The queue's URL.</summary>
    public virtual string QueueUrl { get; }

    /// <summary>
    /// Receives up to <paramref name="maxMessages"/> messages, waiting up to <paramref name="waitTime"/> for the first
    /// one (long polling). Each comes back with its notification, or, if its body is not one, with the reason; a message
    /// that cannot be read, for whatever reason, comes back malformed and never fails the receive of the others.
    /// </summary>
    /// <param name="maxMessages">1 to <see cref="MaxMessagesPerReceive"/>.</param>
    /// <param name="waitTime">0 to <see cref="MaxWaitTime"/> (whole seconds, rounded up); 20 seconds when omitted.</param>
    /// <param name="visibilityTimeout">
    /// How long the received messages stay hidden from other receives, 0 to <see cref="MaxVisibilityTimeout"/> (whole
    /// seconds, rounded up); the queue's default when omitted.
    /// </param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The messages received; none when the wait ended without any.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    /// <exception cref="AmazonSQSException">SQS refused, e.g. <see cref="QueueDoesNotExistException"/>.</exception>
    public virtual async Task<IReadOnlyList<ReceivedNotification>> ReceiveAsync(
        int maxMessages = MaxMessagesPerReceive,
        TimeSpan? waitTime = null,
        TimeSpan? visibilityTimeout = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxMessages, MaxMessagesPerReceive);
        var request = new ReceiveMessageRequest
        {
            QueueUrl = QueueUrl,
            MaxNumberOfMessages = maxMessages,
            WaitTimeSeconds = ToSeconds(waitTime ?? MaxWaitTime, MaxWaitTime, nameof(waitTime)),
            MessageSystemAttributeNames = [ReceiveCountAttribute],
        };
        if (visibilityTimeout is { } visibility)
        {
            request.VisibilityTimeout = ToSeconds(visibility, MaxVisibilityTimeout, nameof(visibilityTimeout));
        }

        var response = await _sqs.ReceiveMessageAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.Messages is not { Count: > 0 } messages)
        {
            return [];
        }

        return messages.Select(ToReceivedNotification).ToList();
    }

    /// <summary>Acknowledges a message: deletes it from the queue, so it is not delivered again.</summary>
    /// <param name="receiptHandle">The receipt handle of the message's latest delivery.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task completing when SQS has deleted the message.</returns>
    /// <exception cref="AmazonSQSException">SQS refused, e.g. <see cref="ReceiptHandleIsInvalidException"/>.</exception>
    public virtual async Task AcknowledgeAsync(string receiptHandle, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(receiptHandle);
        await _sqs.DeleteMessageAsync(new DeleteMessageRequest { QueueUrl = QueueUrl, ReceiptHandle = receiptHandle }, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// Acknowledges many messages, ten per request (<c>DeleteMessageBatch</c>). Entries SQS does not carry out are
    /// reported in the result, not thrown; a request SQS refuses as a whole counts as a failure of each of its entries.
    /// </summary>
    /// <param name="receiptHandles">The receipt handles of the messages' latest deliveries.</param>
    /// <param name="cancellationToken">Cancels the requests not yet sent.</param>
    /// <returns>Which receipt handles were acknowledged and which were not, and why.</returns>
    public virtual Task<NotificationBatchResult> AcknowledgeAsync(IEnumerable<string> receiptHandles, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(receiptHandles);
        return InBatchesAsync(
            receiptHandles,
            async (chunk, token) =>
            {
                var response = await _sqs.DeleteMessageBatchAsync(
                    new DeleteMessageBatchRequest
                    {
                        QueueUrl = QueueUrl,
                        Entries = chunk.Select(e => new DeleteMessageBatchRequestEntry { Id = e.Id, ReceiptHandle = e.ReceiptHandle }).ToList(),
                    },
                    token).ConfigureAwait(false);
                return (response.Successful?.Select(s => s.Id), response.Failed);
            },
            cancellationToken);
    }

    /// <summary>
    /// Changes how long a message stays hidden, counted from now: extend it while a handler needs longer than the
    /// visibility timeout, or set it to zero to release the message for another receive at once.
    /// </summary>
    /// <param name="receiptHandle">The receipt handle of the message's latest delivery.</param>
    /// <param name="visibilityTimeout">0 to <see cref="MaxVisibilityTimeout"/>, whole seconds (rounded up).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task completing when SQS has changed the visibility.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="visibilityTimeout"/> is outside its range.</exception>
    /// <exception cref="AmazonSQSException">SQS refused, e.g. the message was already deleted.</exception>
    public virtual async Task ChangeVisibilityAsync(string receiptHandle, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(receiptHandle);
        var seconds = ToSeconds(visibilityTimeout, MaxVisibilityTimeout, nameof(visibilityTimeout));
        await _sqs.ChangeMessageVisibilityAsync(
            new ChangeMessageVisibilityRequest { QueueUrl = QueueUrl, ReceiptHandle = receiptHandle, VisibilityTimeout = seconds },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Changes the visibility of many messages, ten per request (<c>ChangeMessageVisibilityBatch</c>). Entries SQS does
    /// not carry out are reported in the result, not thrown.
    /// </summary>
    /// <param name="receiptHandles">The receipt handles of the messages' latest deliveries.</param>
    /// <param name="visibilityTimeout">0 to <see cref="MaxVisibilityTimeout"/>, whole seconds (rounded up).</param>
    /// <param name="cancellationToken">Cancels the requests not yet sent.</param>
    /// <returns>Which receipt handles were changed and which were not, and why.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="visibilityTimeout"/> is outside its range.</exception>
    public virtual Task<NotificationBatchResult> ChangeVisibilityAsync(
        IEnumerable<string> receiptHandles,
        TimeSpan visibilityTimeout,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(receiptHandles);
        var seconds = ToSeconds(visibilityTimeout, MaxVisibilityTimeout, nameof(visibilityTimeout));
        return InBatchesAsync(
            receiptHandles,
            async (chunk, token) =>
            {
                var response = await _sqs.ChangeMessageVisibilityBatchAsync(
                    new ChangeMessageVisibilityBatchRequest
                    {
                        QueueUrl = QueueUrl,
                        Entries = chunk
                            .Select(e => new ChangeMessageVisibilityBatchRequestEntry { Id = e.Id, ReceiptHandle = e.ReceiptHandle, VisibilityTimeout = seconds })
                            .ToList(),
                    },
                    token).ConfigureAwait(false);
                return (response.Successful?.Select(s => s.Id), response.Failed);
            },
            cancellationToken);
    }

    private static async Task<NotificationBatchResult> InBatchesAsync(
        IEnumerable<string> receiptHandles,
        Func<IReadOnlyList<(string Id, string ReceiptHandle)>, CancellationToken, Task<(IEnumerable<string>? Succeeded, List<BatchResultErrorEntry>? Failed)>> send,
        CancellationToken cancellationToken)
    {
        var succeeded = new List<string>();
        var failed = new List<NotificationBatchFailure>();
        foreach (var chunk in receiptHandles.Chunk(MaxMessagesPerReceive))
        {
            // Entry ids are positions within the request, so duplicate receipt handles stay distinct.
            var entries = chunk.Select((handle, i) => (Id: i.ToString(CultureInfo.InvariantCulture), ReceiptHandle: handle)).ToList();
            try
            {
                var (ok, errors) = await send(entries, cancellationToken).ConfigureAwait(false);
                succeeded.AddRange(ok?.Select(id => entries[int.Parse(id, CultureInfo.InvariantCulture)].ReceiptHandle) ?? []);
                failed.AddRange(errors?.Select(e => new NotificationBatchFailure(
                    entries[int.Parse(e.Id, CultureInfo.InvariantCulture)].ReceiptHandle, e.Code, e.Message, e.SenderFault ?? false)) ?? []);
            }
            catch (AmazonServiceException exception) when (exception is not QueueDoesNotExistException)
            {
                failed.AddRange(entries.Select(e => new NotificationBatchFailure(
                    e.ReceiptHandle, exception.ErrorCode ?? exception.GetType().Name, exception.Message, exception.ErrorType == ErrorType.Sender)));
            }
        }

        return new NotificationBatchResult(succeeded, failed);
    }

    private static int ToSeconds(TimeSpan value, TimeSpan max, string paramName)
    {
        if (value < TimeSpan.Zero || value > max)
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"Must be between 0 and {max}.");
        }

        return (int)Math.Ceiling(value.TotalSeconds);
    }

    private static ReceivedNotification ToReceivedNotification(Message message)
    {
        var body = message.Body ?? string.Empty;
        try
        {
            return new ReceivedNotification(message.MessageId, message.ReceiptHandle, ReceiveCount(message), body);
        }
#pragma warning disable CA1031 // One message that cannot be read must not take the others of the receive with it.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            return new ReceivedNotification(
                message.MessageId ?? string.Empty,
                message.ReceiptHandle ?? string.Empty,
                ReceiveCount(message),
                body,
                new NotificationFormatException($"The message cannot be read: {exception.Message}", message.MessageId, exception));
        }
    }

    private static int ReceiveCount(Message message) =>
        message.Attributes is { } attributes
        && attributes.TryGetValue(ReceiveCountAttribute, out var value)
        && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            ? count
            : 1;
}

using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Amazon.SQS;
using Amazon.SQS.Model;
using ServerlessEventStore.Types;

namespace EventStore.Testing;

/// <summary>
/// One SQS queue in the emulator (and its dead-letter queue, if it has one), made by <see cref="SnsSqsEmulator"/>: fill
/// it, receive from it as a consumer would (long polling), acknowledge, count and look into the dead-letter queue. Every
/// received message is a <see cref="QueueMessage"/>, read with the product's <see cref="StreamNotificationConverter"/>.
/// </summary>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "It is an SQS queue, named as the tests speak of it.")]
public sealed class TestQueue
{
    private const int BatchSize = 10;
    private const string ReceiveCountAttribute = "ApproximateReceiveCount";
    private readonly IAmazonSQS _sqs;

    internal TestQueue(IAmazonSQS sqs, string queueUrl, string queueArn, string? deadLetterQueueUrl)
    {
        _sqs = sqs;
        QueueUrl = queueUrl;
        QueueArn = queueArn;
        DeadLetterQueueUrl = deadLetterQueueUrl;
    }

    /// <summary>The queue's URL (what the worker's <c>QueueUrl</c> option takes).</summary>
    public string QueueUrl { get; }

    /// <summary>The queue's ARN (what an SNS subscription's endpoint takes).</summary>
    public string QueueArn { get; }

    /// <summary>The dead-letter queue's URL; <see langword="null"/> for a queue without one.</summary>
    public string? DeadLetterQueueUrl { get; }

    /// <summary>Sends a message with this body.</summary>
    /// <param name="body">The body, sent as it is.</param>
    /// <returns>Its message id.</returns>
    public async Task<string> SendAsync(string body) => (await _sqs.SendMessageAsync(QueueUrl, body)).MessageId;

    /// <summary>Sends the notification as the store's topic does with raw delivery.</summary>
    /// <param name="notification">The notification.</param>
    /// <returns>Its message id.</returns>
    public Task<string> SendAsync(StreamNotification notification) => SendAsync(StreamNotificationConverter.ToMessageBody(notification));

    /// <summary>Sends the bodies in batches of ten, in their order.</summary>
    /// <param name="bodies">The bodies.</param>
    /// <param name="cancellationToken">Cancels the sends not yet made.</param>
    /// <returns>The message ids, in the bodies' order.</returns>
    /// <exception cref="InvalidOperationException">SQS refused an entry.</exception>
    public async Task<IReadOnlyList<string>> SendManyAsync(IEnumerable<string> bodies, CancellationToken cancellationToken = default)
    {
        var ids = new List<string>();
        foreach (var chunk in bodies.Chunk(BatchSize))
        {
            var response = await _sqs.SendMessageBatchAsync(
                new SendMessageBatchRequest
                {
                    QueueUrl = QueueUrl,
                    Entries = chunk.Select((body, i) => new SendMessageBatchRequestEntry($"e{i}", body)).ToList(),
                },
                cancellationToken);
            if (response.Failed is { Count: > 0 } failed)
            {
                throw new InvalidOperationException($"SQS refused to send: {string.Join("; ", failed.Select(f => $"{f.Id} {f.Code} {f.Message}"))}");
            }

            ids.AddRange(response.Successful.OrderBy(s => int.Parse(s.Id[1..], CultureInfo.InvariantCulture)).Select(s => s.MessageId));
        }

        return ids;
    }

    /// <summary>One receive: up to ten messages, waiting up to <paramref name="waitTime"/> for the first (long polling).</summary>
    /// <param name="waitTime">0 to 20 s, whole seconds.</param>
    /// <param name="visibilityTimeout">How long the messages stay hidden; the queue's default when omitted.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The messages; none when the wait ended without any.</returns>
    public Task<IReadOnlyList<QueueMessage>> ReceiveOnceAsync(TimeSpan waitTime, TimeSpan? visibilityTimeout = null, CancellationToken cancellationToken = default) =>
        ReceiveAsync(QueueUrl, waitTime, visibilityTimeout, cancellationToken);

    /// <summary>
    /// Receives (waiting up to a second each time) and acknowledges messages until <paramref name="done"/> holds for all
    /// received so far; fails after <paramref name="timeout"/>, naming what came.
    /// </summary>
    /// <param name="done">Whether what has been received is enough, e.g. <c>r =&gt; r.Count &gt;= 2</c>.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <returns>Everything received, in the order it came.</returns>
    /// <exception cref="TimeoutException"><paramref name="done"/> did not hold within <paramref name="timeout"/>.</exception>
    public async Task<IReadOnlyList<QueueMessage>> ReceiveUntilAsync(Func<IReadOnlyList<QueueMessage>, bool> done, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(done);
        var received = new List<QueueMessage>();
        await Poll.UntilAsync(
            async () =>
            {
                if (done(received))
                {
                    return true;
                }

                var batch = await ReceiveOnceAsync(TimeSpan.FromSeconds(1));
                received.AddRange(batch);
                await AcknowledgeAsync(batch);
                return done(received);
            },
            timeout,
            () => $"enough messages in {QueueUrl}; received {received.Count}: {string.Join(", ", received.Select(r => r.Message))}");
        return received;
    }

    /// <summary>Acknowledges a message: deletes it from the queue.</summary>
    /// <param name="message">The message, as received last.</param>
    /// <returns>A task completing when it is deleted.</returns>
    public async Task AcknowledgeAsync(QueueMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        await _sqs.DeleteMessageAsync(QueueUrl, message.ReceiptHandle);
    }

    /// <summary>Acknowledges messages, ten per request.</summary>
    /// <param name="messages">The messages, as received last.</param>
    /// <param name="cancellationToken">Cancels the requests not yet sent.</param>
    /// <returns>A task completing when they are deleted.</returns>
    /// <exception cref="InvalidOperationException">SQS did not delete one of them.</exception>
    public async Task AcknowledgeAsync(IEnumerable<QueueMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        foreach (var chunk in messages.Chunk(BatchSize))
        {
            var response = await _sqs.DeleteMessageBatchAsync(
                QueueUrl, chunk.Select((m, i) => new DeleteMessageBatchRequestEntry($"m{i}", m.ReceiptHandle)).ToList(), cancellationToken);
            if (response.Failed is { Count: > 0 } failed)
            {
                throw new InvalidOperationException($"SQS did not delete: {string.Join("; ", failed.Select(f => $"{f.Id} {f.Code} {f.Message}"))}");
            }
        }
    }

    /// <summary>The messages in the queue: visible ones and those received and not yet deleted.</summary>
    /// <returns>The count.</returns>
    public Task<int> CountAsync() => CountMessagesAsync(QueueUrl);

    /// <summary>Receives (and hides for a minute) what is in the dead-letter queue now, without waiting.</summary>
    /// <returns>Its messages, up to ten.</returns>
    /// <exception cref="InvalidOperationException">The queue has no dead-letter queue.</exception>
    public Task<IReadOnlyList<QueueMessage>> ReceiveDeadLettersAsync() =>
        ReceiveAsync(
            DeadLetterQueueUrl ?? throw new InvalidOperationException($"{QueueUrl} has no dead-letter queue."),
            TimeSpan.Zero,
            TimeSpan.FromMinutes(1),
            CancellationToken.None);

    /// <summary>Deletes the queue and its dead-letter queue.</summary>
    /// <returns>A task completing when they are deleted.</returns>
    public async Task DeleteAsync()
    {
        await _sqs.DeleteQueueAsync(QueueUrl);
        if (DeadLetterQueueUrl is not null)
        {
            await _sqs.DeleteQueueAsync(DeadLetterQueueUrl);
        }
    }

    private async Task<IReadOnlyList<QueueMessage>> ReceiveAsync(string queueUrl, TimeSpan waitTime, TimeSpan? visibilityTimeout, CancellationToken cancellationToken)
    {
        var request = new ReceiveMessageRequest
        {
            QueueUrl = queueUrl,
            MaxNumberOfMessages = BatchSize,
            WaitTimeSeconds = (int)Math.Ceiling(waitTime.TotalSeconds),
            MessageSystemAttributeNames = [ReceiveCountAttribute],
        };
        if (visibilityTimeout is { } visibility)
        {
            request.VisibilityTimeout = (int)Math.Ceiling(visibility.TotalSeconds);
        }

        var response = await _sqs.ReceiveMessageAsync(request, cancellationToken);
        return (response.Messages ?? []).Select(QueueMessage.From).ToList();
    }

    private async Task<int> CountMessagesAsync(string queueUrl)
    {
        var attributes = await _sqs.GetQueueAttributesAsync(queueUrl, ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]);
        return attributes.ApproximateNumberOfMessages + attributes.ApproximateNumberOfMessagesNotVisible;
    }
}

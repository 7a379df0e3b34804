using System.Globalization;
using System.Text.Json;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace ServerlessEventStore.Server.Tests.Notifications;

/// <summary>An SQS queue subscribed to the notification topic: receive (long polling) and acknowledge notifications.</summary>
public sealed class QueueSubscription(AmazonSQSClient sqs, string queueUrl, string deadLetterQueueUrl)
{
    public string QueueUrl { get; } = queueUrl;

    public string DeadLetterQueueUrl { get; } = deadLetterQueueUrl;

    /// <summary>One receive call: up to 10 messages, waiting up to <paramref name="waitSeconds"/> for the first.</summary>
    public async Task<IReadOnlyList<ReceivedNotification>> ReceiveOnceAsync(int waitSeconds)
    {
        var response = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest
        {
            QueueUrl = QueueUrl,
            MaxNumberOfMessages = 10,
            WaitTimeSeconds = waitSeconds,
        });
        return (response.Messages ?? []).Select(ToNotification).ToList();
    }

    /// <summary>
    /// Receives and acknowledges notifications until <paramref name="done"/> says so for what was received so far, or
    /// fails after <paramref name="timeout"/>.
    /// </summary>
    public async Task<List<ReceivedNotification>> ReceiveUntilAsync(Func<IReadOnlyList<ReceivedNotification>, bool> done, TimeSpan timeout)
    {
        var received = new List<ReceivedNotification>();
        var deadline = DateTime.UtcNow + timeout;
        while (!done(received))
        {
            DateTime.UtcNow.Should().BeBefore(deadline, $"the notifications should arrive within {timeout}; received so far: {string.Join(", ", received.Select(r => r.Message))}");
            var batch = await ReceiveOnceAsync(waitSeconds: 1);
            received.AddRange(batch);
            if (batch.Count > 0)
            {
                await sqs.DeleteMessageBatchAsync(QueueUrl, batch.Select((m, i) => new DeleteMessageBatchRequestEntry($"m{i}", m.ReceiptHandle)).ToList());
            }
        }

        return received;
    }

    public Task AcknowledgeAsync(ReceivedNotification notification) =>
        sqs.DeleteMessageAsync(QueueUrl, notification.ReceiptHandle);

    private static ReceivedNotification ToNotification(Message message)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var envelope = JsonDocument.Parse(message.Body);
        var root = envelope.RootElement;
        root.GetProperty("Type").GetString().Should().Be("Notification");
        var body = root.GetProperty("Message").GetString()!;
        var attribute = root.TryGetProperty("MessageAttributes", out var attributes) && attributes.TryGetProperty("StreamType", out var streamType)
            ? streamType
            : (JsonElement?)null;
        using var notification = JsonDocument.Parse(body);
        var fields = notification.RootElement;
        return new ReceivedNotification(
            message.ReceiptHandle,
            root.GetProperty("TopicArn").GetString()!,
            body,
            attribute?.GetProperty("Type").GetString(),
            attribute?.GetProperty("Value").GetString(),
            fields.GetProperty("StreamId").GetGuid(),
            fields.GetProperty("StreamType").GetString()!,
            int.Parse(fields.GetProperty("StreamRevision").GetString()!, CultureInfo.InvariantCulture));
    }
}

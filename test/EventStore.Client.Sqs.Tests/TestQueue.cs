using Amazon.SQS;
using Amazon.SQS.Model;
using ServerlessEventStore.Types;

namespace ServerlessEventStore.Client.Sqs.Tests;

/// <summary>One queue (and maybe its dead-letter queue) in fauxqs.</summary>
internal sealed class TestQueue(IAmazonSQS sqs, string url, string? deadLetterUrl)
{
    public string Url { get; } = url;

    public string? DeadLetterUrl { get; } = deadLetterUrl;

    public async Task<string> SendAsync(StreamNotification notification) => await SendAsync(StreamNotificationConverter.ToMessageBody(notification));

    public async Task<string> SendAsync(string body) => (await sqs.SendMessageAsync(Url, body)).MessageId;

    public async Task<List<string>> SendManyAsync(IEnumerable<string> bodies)
    {
        var ids = new List<string>();
        foreach (var chunk in bodies.Chunk(10))
        {
            var response = await sqs.SendMessageBatchAsync(new SendMessageBatchRequest
            {
                QueueUrl = Url,
                Entries = chunk.Select((body, i) => new SendMessageBatchRequestEntry($"e{i}", body)).ToList(),
            });
            (response.Failed ?? []).Should().BeEmpty();
            ids.AddRange(response.Successful.Select(s => s.MessageId));
        }

        return ids;
    }

    /// <summary>Sends, in one batch, <paramref name="body"/> in the middle of <paramref name="goodCount"/> notifications.</summary>
    public async Task<(string Id, List<string> GoodIds)> SendAmongNotificationsAsync(string body, int goodCount)
    {
        var bodies = Enumerable.Range(1, goodCount).Select(i => StreamNotificationConverter.ToMessageBody(TestQueues.NewNotification(i))).ToList();
        var position = goodCount / 2;
        bodies.Insert(position, body);
        bodies.Should().HaveCountLessThanOrEqualTo(10, "they are sent in one batch");
        var ids = await SendManyAsync(bodies);
        var id = ids[position];
        ids.RemoveAt(position);
        return (id, ids);
    }

    public Task<List<string>> SendNotificationsAsync(int count) =>
        SendManyAsync(Enumerable.Range(1, count).Select(i => StreamNotificationConverter.ToMessageBody(TestQueues.NewNotification(i))));

    /// <summary>Messages in the queue, visible or hidden (received and not yet deleted).</summary>
    public async Task<int> CountAsync(string? queueUrl = null)
    {
        var attributes = await sqs.GetQueueAttributesAsync(queueUrl ?? Url, ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]);
        return attributes.ApproximateNumberOfMessages + attributes.ApproximateNumberOfMessagesNotVisible;
    }

    /// <summary>Receives (and hides for a minute) what is in the dead-letter queue now.</summary>
    public async Task<List<Message>> ReceiveDeadLettersAsync()
    {
        var response = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest
        {
            QueueUrl = DeadLetterUrl ?? throw new InvalidOperationException("No dead-letter queue."),
            MaxNumberOfMessages = 10,
            WaitTimeSeconds = 0,
            VisibilityTimeout = 60,
        });
        return response.Messages ?? [];
    }
}

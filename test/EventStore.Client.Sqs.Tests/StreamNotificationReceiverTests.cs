using System.Diagnostics;
using ServerlessEventStore.Types;

namespace ServerlessEventStore.Client.Sqs.Tests;

public class StreamNotificationReceiverTests
{
    private static async Task<(TestQueues Queues, TestQueue Queue, StreamNotificationReceiver Receiver)> CreateAsync(int visibilityTimeoutSeconds = 30)
    {
        var queues = await TestQueues.SharedAsync();
        var queue = await queues.CreateAsync(visibilityTimeoutSeconds);
        return (queues, queue, new StreamNotificationReceiver(queues.Sqs, queue.Url));
    }

    [Fact]
    public async Task ReceiveAsync_MessagesSent_ReturnsThemWithIdsReceiptHandlesAndNotifications()
    {
        var (queues, queue, receiver) = await CreateAsync();
        using var _ = queues;
        var sent = new[] { TestQueues.NewNotification(1), TestQueues.NewNotification(2), TestQueues.NewNotification(3) };
        var ids = new List<string>();
        foreach (var notification in sent)
        {
            ids.Add(await queue.SendAsync(notification));
        }

        var received = await receiver.ReceiveAsync(10, TimeSpan.FromSeconds(1));

        received.Select(r => r.MessageId).Should().BeEquivalentTo(ids);
        received.Select(r => r.Notification).Should().BeEquivalentTo(sent);
        received.Should().AllSatisfy(r =>
        {
            r.IsMalformed.Should().BeFalse();
            r.ReceiptHandle.Should().NotBeNullOrEmpty();
            r.ReceiveCount.Should().Be(1);
        });
    }

    [Fact]
    public async Task ReceiveAsync_EmptyQueue_LongPollsAndReturnsNone()
    {
        var (queues, _, receiver) = await CreateAsync();
        using var __ = queues;
        var stopwatch = Stopwatch.StartNew();

        var received = await receiver.ReceiveAsync(waitTime: TimeSpan.FromSeconds(1));

        received.Should().BeEmpty();
        stopwatch.Elapsed.Should().BeGreaterThan(TimeSpan.FromMilliseconds(800), "the receive waits for messages");
    }

    [Fact]
    public async Task ReceiveAsync_MessageSentDuringTheWait_ReturnsIt()
    {
        var (queues, queue, receiver) = await CreateAsync();
        using var _ = queues;

        var receiving = receiver.ReceiveAsync(waitTime: TimeSpan.FromSeconds(10));
        await Task.Delay(300);
        var id = await queue.SendAsync(TestQueues.NewNotification());

        (await receiving).Should().ContainSingle().Which.MessageId.Should().Be(id);
    }

    [Fact]
    public async Task ReceiveAsync_FifteenWaiting_ReturnsAtMostTheBatchSize()
    {
        var (queues, queue, receiver) = await CreateAsync();
        using var _ = queues;
        await queue.SendNotificationsAsync(15);

        var first = await receiver.ReceiveAsync(10, TimeSpan.FromSeconds(1));
        var second = await receiver.ReceiveAsync(3, TimeSpan.FromSeconds(1));

        first.Should().HaveCountGreaterThan(0).And.HaveCountLessThanOrEqualTo(10);
        second.Should().HaveCountGreaterThan(0).And.HaveCountLessThanOrEqualTo(3);
        first.Select(r => r.MessageId).Should().NotIntersectWith(second.Select(r => r.MessageId));
    }

    [Fact]
    public async Task ReceiveAsync_MalformedBody_ReturnsItWithTheReason()
    {
        var (queues, queue, receiver) = await CreateAsync();
        using var _ = queues;
        var id = await queue.SendAsync("""{"StreamId":"nope","StreamType":"order","StreamRevision":"1"}""");

        var received = (await receiver.ReceiveAsync(waitTime: TimeSpan.FromSeconds(1))).Should().ContainSingle().Subject;

        received.IsMalformed.Should().BeTrue();
        received.Notification.Should().BeNull();
        received.FormatError!.MessageId.Should().Be(id);
        received.FormatError.Message.Should().Contain("is not a UUID");
    }

    [Theory]
    [InlineData(TestQueues.PoisonBody, "StreamId is not valid Unicode text")]
    [InlineData(FaultySqsClient.UnreadableBody, "The message cannot be read: Value cannot be null. (Parameter 'receiptHandle')")]
    public async Task ReceiveAsync_OneBadMessageAmongNine_ReturnsItMalformedAndTheNineIntact(string badBody, string reason)
    {
        var queues = await TestQueues.SharedAsync();
        using var _ = queues;
        var queue = await queues.CreateAsync();
        using var sqs = new FaultySqsClient(queues.Fauxqs);
        var receiver = new StreamNotificationReceiver(sqs, queue.Url);
        var (badId, goodIds) = await queue.SendAmongNotificationsAsync(badBody, 9);

        var received = await ReceiveAllAsync(receiver, 10);

        received.Select(r => r.MessageId).Should().BeEquivalentTo([badId, .. goodIds]);
        received.Where(r => r.MessageId != badId).Should().AllSatisfy(r => r.IsMalformed.Should().BeFalse());
        var bad = received.Single(r => r.MessageId == badId);
        bad.IsMalformed.Should().BeTrue();
        bad.FormatError!.MessageId.Should().Be(badId);
        bad.FormatError.Message.Should().Contain(reason);
        (await receiver.AcknowledgeAsync(received.Where(r => !r.IsMalformed).Select(r => r.ReceiptHandle))).Succeeded.Should().HaveCount(9);
        (await queue.CountAsync()).Should().Be(1, "the bad message stays on the queue, on its way to the dead-letter queue");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ReceiveAsync_PublishedThroughSns_ReadsTheNotificationEnvelopedOrRaw(bool rawMessageDelivery)
    {
        var (queues, queue, receiver) = await CreateAsync();
        using var _ = queues;
        using var sns = new FauxqsSns(queues.Fauxqs);
        var topic = await sns.CreateTopicAsync();
        var queueArn = (await queues.Sqs.GetQueueAttributesAsync(queue.Url, ["QueueArn"])).QueueARN;
        await sns.SubscribeAsync(topic, queueArn, rawMessageDelivery);
        var notification = TestQueues.NewNotification(18);

        await sns.PublishAsync(topic, StreamNotificationConverter.ToMessageBody(notification));

        var received = (await receiver.ReceiveAsync(waitTime: TimeSpan.FromSeconds(5))).Should().ContainSingle().Subject;
        received.Notification.Should().Be(notification);
        received.Body.Contains("\"TopicArn\"", StringComparison.Ordinal).Should().Be(!rawMessageDelivery);
    }

    [Fact]
    public async Task AcknowledgeAsync_One_DeletesIt()
    {
        var (queues, queue, receiver) = await CreateAsync();
        using var _ = queues;
        await queue.SendNotificationsAsync(2);
        var received = await receiver.ReceiveAsync(1, TimeSpan.FromSeconds(1));

        await receiver.AcknowledgeAsync(received.Single().ReceiptHandle);

        (await queue.CountAsync()).Should().Be(1);
    }

    [Fact]
    public async Task AcknowledgeAsync_MoreThanTen_DeletesAllInChunks()
    {
        var (queues, queue, receiver) = await CreateAsync();
        using var _ = queues;
        await queue.SendNotificationsAsync(15);
        var handles = new List<string>();
        while (handles.Count < 15)
        {
            handles.AddRange((await receiver.ReceiveAsync(10, TimeSpan.FromSeconds(1))).Select(r => r.ReceiptHandle));
        }

        var result = await receiver.AcknowledgeAsync(handles);

        result.AllSucceeded.Should().BeTrue();
        result.Succeeded.Should().BeEquivalentTo(handles);
        (await queue.CountAsync()).Should().Be(0);
    }

    [Fact]
    public async Task AcknowledgeAsync_BatchWithGarbageReceiptHandle_DeletesTheOthers()
    {
        var (queues, queue, receiver) = await CreateAsync();
        using var _ = queues;
        await queue.SendNotificationsAsync(3);
        var handles = (await receiver.ReceiveAsync(10, TimeSpan.FromSeconds(1))).Select(r => r.ReceiptHandle).ToList();
        handles.Should().HaveCount(3);

        var result = await receiver.AcknowledgeAsync([handles[0], "garbage-receipt-handle", handles[1], handles[2]]);

        result.Succeeded.Should().Contain(handles);
        (await queue.CountAsync()).Should().Be(0);
    }

    [Fact]
    public async Task AcknowledgeAsync_BatchWithStaleReceiptHandles_ReportsThemAndDeletesTheOthers()
    {
        var queues = await TestQueues.SharedAsync();
        using var _ = queues;
        var queue = await queues.CreateAsync();
        using var sqs = new FaultySqsClient(queues.Fauxqs);
        var receiver = new StreamNotificationReceiver(sqs, queue.Url);
        await queue.SendNotificationsAsync(12);
        var handles = new List<string>();
        while (handles.Count < 12)
        {
            handles.AddRange((await receiver.ReceiveAsync(10, TimeSpan.FromSeconds(1))).Select(r => r.ReceiptHandle));
        }

        var result = await receiver.AcknowledgeAsync([.. handles[..9], "stale-1", .. handles[9..], "stale-2"]);

        result.AllSucceeded.Should().BeFalse();
        result.Failed.Select(f => f.ReceiptHandle).Should().Equal("stale-1", "stale-2");
        result.Failed.Should().AllSatisfy(f =>
        {
            f.Code.Should().Be("ReceiptHandleIsInvalid");
            f.SenderFault.Should().BeTrue();
        });
        result.Succeeded.Should().BeEquivalentTo(handles);
        (await queue.CountAsync()).Should().Be(0);
    }

    [Fact]
    public async Task ChangeVisibilityAsync_Zero_ReleasesTheMessageAtOnce()
    {
        var (queues, queue, receiver) = await CreateAsync(visibilityTimeoutSeconds: 60);
        using var _ = queues;
        var id = await queue.SendAsync(TestQueues.NewNotification());
        var first = (await receiver.ReceiveAsync(waitTime: TimeSpan.FromSeconds(1))).Single();
        (await receiver.ReceiveAsync(waitTime: TimeSpan.Zero)).Should().BeEmpty("the message is hidden for a minute");

        await receiver.ChangeVisibilityAsync(first.ReceiptHandle, TimeSpan.Zero);

        var again = (await receiver.ReceiveAsync(waitTime: TimeSpan.FromSeconds(1))).Should().ContainSingle().Subject;
        again.MessageId.Should().Be(id);
        again.ReceiveCount.Should().Be(2);
    }

    [Fact]
    public async Task ChangeVisibilityAsync_Extended_KeepsTheMessageHiddenPastItsTimeout()
    {
        var (queues, _, receiver) = await CreateAsync(visibilityTimeoutSeconds: 1);
        using var __ = queues;
        await new TestQueue(queues.Sqs, receiver.QueueUrl, null).SendAsync(TestQueues.NewNotification());
        var received = (await receiver.ReceiveAsync(waitTime: TimeSpan.FromSeconds(1))).Single();

        await receiver.ChangeVisibilityAsync(received.ReceiptHandle, TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(2.5));

        (await receiver.ReceiveAsync(waitTime: TimeSpan.Zero)).Should().BeEmpty();
    }

    [Fact]
    public async Task ChangeVisibilityAsync_Batch_ReleasesValidOnesAndReportsInvalid()
    {
        var (queues, queue, receiver) = await CreateAsync(visibilityTimeoutSeconds: 60);
        using var _ = queues;
        await queue.SendNotificationsAsync(2);
        var handles = (await receiver.ReceiveAsync(10, TimeSpan.FromSeconds(1))).Select(r => r.ReceiptHandle).ToList();
        handles.Should().HaveCount(2);

        var result = await receiver.ChangeVisibilityAsync([.. handles, "garbage-receipt-handle"], TimeSpan.Zero);

        result.Succeeded.Should().BeEquivalentTo(handles);
        result.Failed.Should().ContainSingle().Which.ReceiptHandle.Should().Be("garbage-receipt-handle");
        (await receiver.ReceiveAsync(10, TimeSpan.FromSeconds(1))).Should().HaveCount(2);
    }

    /// <summary>Receives until <paramref name="count"/> messages have come, however SQS splits them over receives.</summary>
    private static async Task<List<ReceivedNotification>> ReceiveAllAsync(StreamNotificationReceiver receiver, int count)
    {
        var received = new List<ReceivedNotification>();
        await Eventually.HoldsAsync(
            async () =>
            {
                received.AddRange(await receiver.ReceiveAsync(StreamNotificationReceiver.MaxMessagesPerReceive, TimeSpan.FromSeconds(1)));
                return received.Count >= count;
            },
            TimeSpan.FromSeconds(20),
            $"{count} messages are received");
        return received;
    }

    [Fact]
    public async Task ReceiveAsync_ArgumentsOutsideTheSqsLimits_Throws()
    {
        var (queues, _, receiver) = await CreateAsync();
        using var __ = queues;

        await receiver.Invoking(r => r.ReceiveAsync(0)).Should().ThrowAsync<ArgumentOutOfRangeException>();
        await receiver.Invoking(r => r.ReceiveAsync(11)).Should().ThrowAsync<ArgumentOutOfRangeException>();
        await receiver.Invoking(r => r.ReceiveAsync(1, TimeSpan.FromSeconds(21))).Should().ThrowAsync<ArgumentOutOfRangeException>();
        await receiver.Invoking(r => r.ReceiveAsync(1, null, TimeSpan.FromHours(13))).Should().ThrowAsync<ArgumentOutOfRangeException>();
        await receiver.Invoking(r => r.ChangeVisibilityAsync("x", TimeSpan.FromSeconds(-1))).Should().ThrowAsync<ArgumentOutOfRangeException>();
    }

    [Fact]
    public async Task ReceiveAsync_MissingQueue_ThrowsQueueDoesNotExist()
    {
        var queues = await TestQueues.SharedAsync();
        using var _ = queues;
        var receiver = new StreamNotificationReceiver(queues.Sqs, queues.Fauxqs.ServiceUrl + $"000000000000/t-{Guid.NewGuid():N}");

        await receiver.Invoking(r => r.ReceiveAsync(waitTime: TimeSpan.Zero)).Should().ThrowAsync<Amazon.SQS.Model.QueueDoesNotExistException>();
    }
}

using EventStore.Testing;
using ServerlessEventStore.Types;

namespace ServerlessEventStore.Client.Sqs.Tests;

public class StreamNotificationReceiverTests
{
    private static async Task<(SnsSqsEmulator Emulator, TestQueue Queue, StreamNotificationReceiver Receiver)> CreateAsync(int visibilityTimeoutSeconds = 30)
    {
        var emulator = await SnsSqsEmulator.SharedAsync();
        var queue = await emulator.CreateQueueAsync(visibilityTimeout: TimeSpan.FromSeconds(visibilityTimeoutSeconds));
        return (emulator, queue, new StreamNotificationReceiver(emulator.Sqs, queue.QueueUrl));
    }

    [Fact]
    public async Task ReceiveAsync_MessagesSent_ReturnsThemWithIdsReceiptHandlesAndNotifications()
    {
        var (emulator, queue, receiver) = await CreateAsync();
        await using var _ = emulator;
        var sent = new[] { TestNotifications.New(1), TestNotifications.New(2), TestNotifications.New(3) };
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
    public async Task ReceiveAsync_WaitTime_LongPollsForWholeSecondsAndTwentyByDefault()
    {
        await using var emulator = await SnsSqsEmulator.SharedAsync();
        var queue = await emulator.CreateQueueAsync();
        using var sqs = new RecordingSqsClient(emulator);
        var receiver = new StreamNotificationReceiver(sqs, queue.QueueUrl);

        var none = await receiver.ReceiveAsync(3, TimeSpan.FromSeconds(0.2));
        var id = await queue.SendAsync(TestNotifications.New());
        var one = await receiver.ReceiveAsync();

        none.Should().BeEmpty();
        one.Should().ContainSingle().Which.MessageId.Should().Be(id);
        sqs.Receives.Select(r => (r.WaitTimeSeconds, r.MaxNumberOfMessages)).Should().Equal((1, 3), (20, 10));
    }

    [Fact]
    public async Task ReceiveAsync_MessageSentWhileTheReceiveWaits_ReturnsIt()
    {
        await using var emulator = await SnsSqsEmulator.SharedAsync();
        var queue = await emulator.CreateQueueAsync();
        using var sqs = new RecordingSqsClient(emulator);
        var receiver = new StreamNotificationReceiver(sqs, queue.QueueUrl);

        var receiving = receiver.ReceiveAsync(waitTime: TimeSpan.FromSeconds(10));
        await sqs.ReceiveStarted;
        var id = await queue.SendAsync(TestNotifications.New());

        (await receiving).Should().ContainSingle().Which.MessageId.Should().Be(id);
    }

    [Fact]
    public async Task ReceiveAsync_FifteenWaiting_ReturnsAtMostTheBatchSize()
    {
        var (emulator, queue, receiver) = await CreateAsync();
        await using var _ = emulator;
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
        var (emulator, queue, receiver) = await CreateAsync();
        await using var _ = emulator;
        var id = await queue.SendAsync("""{"StreamId":"nope","StreamType":"order","StreamRevision":"1"}""");

        var received = (await receiver.ReceiveAsync(waitTime: TimeSpan.FromSeconds(1))).Should().ContainSingle().Subject;

        received.IsMalformed.Should().BeTrue();
        received.Notification.Should().BeNull();
        received.FormatError!.MessageId.Should().Be(id);
        received.FormatError.Message.Should().Contain("is not a UUID");
    }

    [Theory]
    [InlineData(TestNotifications.PoisonBody, "StreamId is not valid Unicode text")]
    [InlineData(FaultySqsClient.UnreadableBody, "The message cannot be read: Value cannot be null. (Parameter 'receiptHandle')")]
    public async Task ReceiveAsync_OneBadMessageAmongNine_ReturnsItMalformedAndTheNineIntact(string badBody, string reason)
    {
        await using var emulator = await SnsSqsEmulator.SharedAsync();
        var queue = await emulator.CreateQueueAsync();
        using var sqs = new FaultySqsClient(emulator);
        var receiver = new StreamNotificationReceiver(sqs, queue.QueueUrl);
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
        var (emulator, queue, receiver) = await CreateAsync();
        await using var _ = emulator;
        var topic = await emulator.CreateTopicAsync();
        await emulator.SubscribeAsync(topic, queue, rawMessageDelivery: rawMessageDelivery);
        var notification = TestNotifications.New(18);

        await emulator.PublishAsync(topic, StreamNotificationConverter.ToMessageBody(notification));

        var received = (await receiver.ReceiveAsync(waitTime: TimeSpan.FromSeconds(5))).Should().ContainSingle().Subject;
        received.Notification.Should().Be(notification);
        received.Body.Contains("\"TopicArn\"", StringComparison.Ordinal).Should().Be(!rawMessageDelivery);
    }

    [Fact]
    public async Task AcknowledgeAsync_One_DeletesIt()
    {
        var (emulator, queue, receiver) = await CreateAsync();
        await using var _ = emulator;
        await queue.SendNotificationsAsync(2);
        var received = await receiver.ReceiveAsync(1, TimeSpan.FromSeconds(1));

        await receiver.AcknowledgeAsync(received.Single().ReceiptHandle);

        (await queue.CountAsync()).Should().Be(1);
    }

    [Fact]
    public async Task AcknowledgeAsync_MoreThanTen_DeletesAllInChunks()
    {
        var (emulator, queue, receiver) = await CreateAsync();
        await using var _ = emulator;
        await queue.SendNotificationsAsync(15);
        var handles = (await ReceiveAllAsync(receiver, 15)).Select(r => r.ReceiptHandle).ToList();

        var result = await receiver.AcknowledgeAsync(handles);

        result.AllSucceeded.Should().BeTrue();
        result.Succeeded.Should().BeEquivalentTo(handles);
        (await queue.CountAsync()).Should().Be(0);
    }

    [Fact]
    public async Task AcknowledgeAsync_BatchWithGarbageReceiptHandle_DeletesTheOthers()
    {
        var (emulator, queue, receiver) = await CreateAsync();
        await using var _ = emulator;
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
        await using var emulator = await SnsSqsEmulator.SharedAsync();
        var queue = await emulator.CreateQueueAsync();
        using var sqs = new FaultySqsClient(emulator);
        var receiver = new StreamNotificationReceiver(sqs, queue.QueueUrl);
        await queue.SendNotificationsAsync(12);
        var handles = (await ReceiveAllAsync(receiver, 12)).Select(r => r.ReceiptHandle).ToList();

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
        var (emulator, queue, receiver) = await CreateAsync(visibilityTimeoutSeconds: 60);
        await using var _ = emulator;
        var id = await queue.SendAsync(TestNotifications.New());
        var first = (await receiver.ReceiveAsync(waitTime: TimeSpan.FromSeconds(1))).Single();
        (await receiver.ReceiveAsync(waitTime: TimeSpan.Zero)).Should().BeEmpty("the message is hidden for a minute");

        await receiver.ChangeVisibilityAsync(first.ReceiptHandle, TimeSpan.Zero);

        var again = (await receiver.ReceiveAsync(waitTime: TimeSpan.FromSeconds(1))).Should().ContainSingle().Subject;
        again.MessageId.Should().Be(id);
        again.ReceiveCount.Should().Be(2);
    }

    [Fact]
    public async Task ChangeVisibilityAsync_Extended_KeepsTheMessageHiddenWhileOneReceivedWithItReappears()
    {
        // Five seconds: long enough that a slow moment between the receive and the change cannot bring the message
        // back first, short enough for the test to wait out.
        var (emulator, queue, receiver) = await CreateAsync(visibilityTimeoutSeconds: 5);
        await using var _ = emulator;
        await queue.SendNotificationsAsync(2);
        var received = await ReceiveAllAsync(receiver, 2, visibilityTimeout: TimeSpan.FromSeconds(5));
        var (extended, other) = (received[0], received[1]);

        await receiver.ChangeVisibilityAsync(extended.ReceiptHandle, TimeSpan.FromSeconds(60));

        // The other message's five seconds of visibility pass on SQS's clock; the extended one would have come back with it.
        var again = await ReceiveAllAsync(receiver, 1);
        again.Should().ContainSingle().Which.MessageId.Should().Be(other.MessageId);
        again[0].ReceiveCount.Should().Be(2);
    }

    [Fact]
    public async Task ChangeVisibilityAsync_Batch_ReleasesValidOnesAndReportsInvalid()
    {
        var (emulator, queue, receiver) = await CreateAsync(visibilityTimeoutSeconds: 60);
        await using var _ = emulator;
        await queue.SendNotificationsAsync(2);
        var handles = (await receiver.ReceiveAsync(10, TimeSpan.FromSeconds(1))).Select(r => r.ReceiptHandle).ToList();
        handles.Should().HaveCount(2);

        var result = await receiver.ChangeVisibilityAsync([.. handles, "garbage-receipt-handle"], TimeSpan.Zero);

        result.Succeeded.Should().BeEquivalentTo(handles);
        result.Failed.Should().ContainSingle().Which.ReceiptHandle.Should().Be("garbage-receipt-handle");
        (await receiver.ReceiveAsync(10, TimeSpan.FromSeconds(1))).Should().HaveCount(2);
    }

    /// <summary>Receives until <paramref name="count"/> messages have come, however SQS splits them over receives.</summary>
    private static async Task<List<ReceivedNotification>> ReceiveAllAsync(StreamNotificationReceiver receiver, int count, TimeSpan? visibilityTimeout = null)
    {
        var received = new List<ReceivedNotification>();
        await Poll.UntilAsync(
            async () =>
            {
                received.AddRange(await receiver.ReceiveAsync(StreamNotificationReceiver.MaxMessagesPerReceive, TimeSpan.FromSeconds(1), visibilityTimeout));
                return received.Count >= count;
            },
            TimeSpan.FromSeconds(20),
            () => $"{count} messages are received, not {received.Count}");
        return received;
    }

    [Fact]
    public async Task ReceiveAsync_ArgumentsOutsideTheSqsLimits_Throws()
    {
        var (emulator, _, receiver) = await CreateAsync();
        await using var __ = emulator;

        await receiver.Invoking(r => r.ReceiveAsync(0)).Should().ThrowAsync<ArgumentOutOfRangeException>();
        await receiver.Invoking(r => r.ReceiveAsync(11)).Should().ThrowAsync<ArgumentOutOfRangeException>();
        await receiver.Invoking(r => r.ReceiveAsync(1, TimeSpan.FromSeconds(21))).Should().ThrowAsync<ArgumentOutOfRangeException>();
        await receiver.Invoking(r => r.ReceiveAsync(1, null, TimeSpan.FromHours(13))).Should().ThrowAsync<ArgumentOutOfRangeException>();
        await receiver.Invoking(r => r.ChangeVisibilityAsync("x", TimeSpan.FromSeconds(-1))).Should().ThrowAsync<ArgumentOutOfRangeException>();
    }

    [Fact]
    public async Task ReceiveAsync_MissingQueue_ThrowsQueueDoesNotExist()
    {
        await using var emulator = await SnsSqsEmulator.SharedAsync();
        var receiver = new StreamNotificationReceiver(emulator.Sqs, emulator.ServiceUrl + $"000000000000/t-{Guid.NewGuid():N}");

        await receiver.Invoking(r => r.ReceiveAsync(waitTime: TimeSpan.Zero)).Should().ThrowAsync<Amazon.SQS.Model.QueueDoesNotExistException>();
    }
}

using ServerlessEventStore.Types;

namespace EventStore.Testing.Tests;

/// <summary>The emulator helper does what the notification tests rely on, against the real fauxqs.</summary>
public sealed class SnsSqsEmulatorTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task SubscribeQueueAsync_TwoStreamTypes_EachQueueReceivesOnlyItsTypeInTheEnvelope()
    {
        await using var emulator = await SnsSqsEmulator.SharedAsync();
        var topic = await emulator.CreateTopicAsync();
        var orders = await emulator.SubscribeQueueAsync(topic, "order");
        var invoices = await emulator.SubscribeQueueAsync(topic, "invoice");
        var order = new StreamNotification(Guid.NewGuid(), "order", 3);
        var invoice = new StreamNotification(Guid.NewGuid(), "invoice", 1);

        await emulator.PublishAsync(topic, StreamNotificationConverter.ToMessageBody(order), new Dictionary<string, string> { ["StreamType"] = "order" });
        await emulator.PublishAsync(topic, StreamNotificationConverter.ToMessageBody(invoice));

        var received = (await orders.ReceiveUntilAsync(r => r.Count >= 1, Patience)).Should().ContainSingle().Subject;
        received.IsEnvelope.Should().BeTrue();
        received.TopicArn.Should().Be(topic).And.Be(SnsSqsEmulator.TopicArn(topic.Split(':')[^1]));
        received.Message.Should().Be(StreamNotificationConverter.ToMessageBody(order));
        received.Notification.Should().Be(order);
        received.MessageAttributes.Should().ContainKey("StreamType").WhoseValue.Should().Be(new EnvelopeAttributeValue("String", "order"));
        (await invoices.ReceiveUntilAsync(r => r.Count >= 1, Patience)).Should().ContainSingle().Which.Notification.Should().Be(invoice);
        (await orders.ReceiveOnceAsync(TimeSpan.FromSeconds(1))).Should().BeEmpty("the filter policy kept the invoice out");
        orders.DeadLetterQueueUrl.Should().NotBeNull();
    }

    [Fact]
    public async Task SubscribeAsync_RawMessageDelivery_TheBodyIsThePublishedMessage()
    {
        await using var emulator = await SnsSqsEmulator.SharedAsync();
        var topic = await emulator.CreateTopicAsync();
        var queue = await emulator.CreateQueueAsync();
        await emulator.SubscribeAsync(topic, queue, rawMessageDelivery: true);
        var notification = new StreamNotification(Guid.NewGuid(), "order", 18);

        await emulator.PublishAsync(topic, StreamNotificationConverter.ToMessageBody(notification));

        var received = (await queue.ReceiveUntilAsync(r => r.Count >= 1, Patience)).Should().ContainSingle().Subject;
        received.IsEnvelope.Should().BeFalse();
        received.Body.Should().Be(StreamNotificationConverter.ToMessageBody(notification)).And.Be(received.Message);
        received.TopicArn.Should().BeNull();
        received.Notification.Should().Be(notification);
        (await queue.CountAsync()).Should().Be(0, "ReceiveUntilAsync acknowledges what it receives");
    }

    [Fact]
    public async Task CreateQueueAsync_MaxReceiveCount_MovesAnUnacknowledgedMessageToTheDeadLetterQueue()
    {
        await using var emulator = await SnsSqsEmulator.SharedAsync();
        var queue = await emulator.CreateQueueAsync(visibilityTimeout: TimeSpan.FromSeconds(1), maxReceiveCount: 1);
        var id = await queue.SendAsync("not a notification");
        var firstReceive = new List<QueueMessage>();
        await Poll.UntilAsync(
            async () =>
            {
                firstReceive.AddRange(await queue.ReceiveOnceAsync(TimeSpan.FromSeconds(1)));
                return firstReceive.Count > 0;
            },
            Patience,
            () => "the message is received");
        var first = firstReceive.Should().ContainSingle().Subject;

        var deadLetters = new List<QueueMessage>();
        await Poll.UntilAsync(
            async () =>
            {
                await queue.ReceiveOnceAsync(TimeSpan.FromSeconds(1));
                deadLetters.AddRange(await queue.ReceiveDeadLettersAsync());
                return deadLetters.Count > 0;
            },
            Patience,
            () => "the message moves to the dead-letter queue");

        first.MessageId.Should().Be(id);
        first.ReceiveCount.Should().Be(1);
        first.Notification.Should().BeNull();
        first.FormatError.Should().NotBeNull().And.Subject.As<NotificationFormatException>().MessageId.Should().Be(id);
        deadLetters.Should().ContainSingle().Which.Body.Should().Be("not a notification");
    }

    [Fact]
    public async Task StartAsync_OwnEmulatorStopped_TheSharedOneKeepsAnswering()
    {
        await using var shared = await SnsSqsEmulator.SharedAsync();
        var own = await SnsSqsEmulator.StartAsync();
        own.ServiceUrl.Should().NotBe(shared.ServiceUrl);

        await own.DisposeAsync();

        (await LocalProcess.AcceptsConnectionsAsync(own.Fauxqs.Port)).Should().BeFalse("disposing the helper stopped its own fauxqs");
        (await shared.CreateQueueAsync()).QueueUrl.Should().Contain($":{shared.Fauxqs.Port}/");
    }
}

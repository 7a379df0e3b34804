using ServerlessEventStore.Client;
using EventStore.Testing;
using ServerlessEventStore.Types;

namespace ServerlessEventStore.Server.Tests.Notifications;

/// <summary>
/// The original's end-to-end scenario against the real server and a real SNS/SQS emulator: an SQS queue with a
/// dead-letter queue, subscribed to the topic with a filter policy on <c>StreamType</c>. Run on each store, whose relay
/// differs (the embedded store's outbox, the DynamoDB store's DynamoDB stream): <see cref="NotificationDeliveryOnSqliteTests"/>,
/// <see cref="NotificationDeliveryOnDynamoDbTests"/>.
/// </summary>
public abstract class NotificationDeliveryTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly string _streamType = $"t-{Guid.NewGuid():N}";
    private SnsSqsEmulator _emulator = null!;
    private string _topicArn = null!;
    private EventStoreServerFixture _server = null!;

    public async Task InitializeAsync()
    {
        _emulator = await SnsSqsEmulator.SharedAsync();
        _topicArn = await _emulator.CreateTopicAsync();
        _server = await StartServerAsync(NotifyingServer.Configuration(_topicArn, _emulator.ServiceUrl));
    }

    public virtual async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _emulator.DisposeAsync();
    }

    /// <summary>Starts the server on the store under test, publishing to the emulator as <paramref name="configuration"/> says.</summary>
    protected abstract Task<EventStoreServerFixture> StartServerAsync(Dictionary<string, string?> configuration);

    /// <summary>Waits until the relay has published everything committed so far (and fails after <paramref name="patience"/>).</summary>
    protected abstract Task WaitUntilPublishedAsync(EventStoreServerFixture server, TimeSpan patience);

    [Fact]
    public async Task CreateAndAppend_SubscribedQueue_ReceivesEachRevisionAndReadsTheEvents()
    {
        var queue = await _emulator.SubscribeQueueAsync(_topicArn, _streamType);
        using var http = _server.CreateHttpClient();
        var client = new EventStoreClient(http);

        var stream = await client.CreateStreamAsync(_streamType, NewEvent.Create("order-placed", new { Item = "book" }));
        var first = (await queue.ReceiveUntilAsync(received => received.Count >= 1, Patience)).Should().ContainSingle().Subject;
        first.Message.Should().Be($$"""{"StreamId":"{{stream.StreamId}}","StreamType":"{{_streamType}}","StreamRevision":"1"}""");
        first.TopicArn.Should().Be(_topicArn);
        first.MessageAttributes["StreamType"].Should().Be(new EnvelopeAttributeValue("String", _streamType));

        await client.AppendAsync(_streamType, stream.StreamId, 1, NewEvent.Create("order-shipped", new { Carrier = "post" }));
        var second = (await queue.ReceiveUntilAsync(received => received.Count >= 1, Patience)).Should().ContainSingle().Subject;
        second.Message.Should().Be($$"""{"StreamId":"{{stream.StreamId}}","StreamType":"{{_streamType}}","StreamRevision":"2"}""");

        // The consumer reads the stream after its checkpoint once notified; the notified revision is readable.
        var events = new List<RecordedEvent>();
        var notified = second.Notification!;
        notified.StreamRevision.Should().Be(2);
        await foreach (var recorded in client.GetEventsAsync(notified.StreamType, notified.StreamId))
        {
            events.Add(recorded);
        }

        events.Select(e => (e.Revision, e.EventType)).Should().Equal((1, "order-placed"), (2, "order-shipped"));
        (await queue.ReceiveOnceAsync(TimeSpan.Zero)).Should().BeEmpty("both notifications were acknowledged");
        await WaitUntilPublishedAsync(_server, Patience);
    }

    [Fact]
    public async Task Append_OtherStreamType_NeverReachesTheFilteredQueue()
    {
        var queue = await _emulator.SubscribeQueueAsync(_topicArn, _streamType);
        var otherType = $"t-{Guid.NewGuid():N}";
        var otherQueue = await _emulator.SubscribeQueueAsync(_topicArn, otherType);
        using var http = _server.CreateHttpClient();
        var client = new EventStoreClient(http);

        var other = await client.CreateStreamAsync(otherType, NewEvent.Create("noise", "x"));
        var mine = await client.CreateStreamAsync(_streamType, NewEvent.Create("signal", "y"));

        (await otherQueue.ReceiveUntilAsync(received => received.Count >= 1, Patience)).Should().ContainSingle()
            .Which.Notification!.StreamId.Should().Be(other.StreamId, "the other type's notification was published");
        (await queue.ReceiveUntilAsync(received => received.Count >= 1, Patience)).Should().ContainSingle()
            .Which.Notification!.StreamId.Should().Be(mine.StreamId);
        await WaitUntilPublishedAsync(_server, Patience);
        (await queue.ReceiveOnceAsync(TimeSpan.FromSeconds(1))).Should().BeEmpty("the filter policy drops other stream types");
    }
}

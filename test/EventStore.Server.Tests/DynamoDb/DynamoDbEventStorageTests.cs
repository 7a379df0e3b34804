using ServerlessEventStore.Types;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using ServerlessEventStore.Server.Storage;
using ServerlessEventStore.Server.Storage.DynamoDb;
using EventStore.Testing.Proxies;

namespace ServerlessEventStore.Server.Tests.DynamoDb;

/// <summary>What only the DynamoDB adapter has: the original's table layout and items, its request token, its limits.</summary>
public sealed class DynamoDbEventStorageTests : IAsyncLifetime
{
    private DynamoDbTestTable _table = null!;
    private DynamoDbEventStorage _storage = null!;

    public async Task InitializeAsync()
    {
        _table = await DynamoDbTestTable.CreateInitializedAsync();
        _storage = _table.Storage();
    }

    public async Task DisposeAsync() => await _table.DisposeAsync();

    [Fact]
    public async Task InitializeAsync_CreateTable_CreatesTheOriginalsLayout()
    {
        var table = (await _table.Client.DescribeTableAsync(new DescribeTableRequest { TableName = _table.Name })).Table;

        table.KeySchema.Select(k => (k.AttributeName, k.KeyType.Value)).Should().Equal(("PK", "HASH"), ("SK", "RANGE"));
        table.AttributeDefinitions.Select(a => (a.AttributeName, a.AttributeType.Value)).Should()
            .BeEquivalentTo([("PK", "S"), ("SK", "N"), ("StreamType", "S"), ("UpdatedAt", "S"), ("TypePosition", "S")]);
        table.GlobalSecondaryIndexes.Select(i => i.IndexName).Should().BeEquivalentTo("StreamIndex", "TypeIndex");
        var index = table.GlobalSecondaryIndexes.Single(i => i.IndexName == "StreamIndex");
        index.KeySchema.Select(k => (k.AttributeName, k.KeyType.Value)).Should().Equal(("StreamType", "HASH"), ("UpdatedAt", "RANGE"));
        index.Projection.ProjectionType.Should().Be(ProjectionType.INCLUDE);
        index.Projection.NonKeyAttributes.Should().Equal("StreamRevision");
        // Ours: a stream type's events in TypePosition order, every attribute projected (a catch-up page is one query).
        var byType = table.GlobalSecondaryIndexes.Single(i => i.IndexName == "TypeIndex");
        byType.KeySchema.Select(k => (k.AttributeName, k.KeyType.Value)).Should().Equal(("StreamType", "HASH"), ("TypePosition", "RANGE"));
        byType.Projection.ProjectionType.Should().Be(ProjectionType.ALL);
        table.StreamSpecification.StreamEnabled.Should().BeTrue();
        table.StreamSpecification.StreamViewType.Should().Be(StreamViewType.NEW_IMAGE);
        table.BillingModeSummary.BillingMode.Should().Be(BillingMode.PAY_PER_REQUEST);
    }

    [Fact]
    public async Task InitializeAsync_TableExists_KeepsItsItems()
    {
        var (type, id) = NewStream();
        await _storage.AppendAsync(StreamAppend.Create(type, id, 0, [NewEvent()]), default);

        await _table.Storage().InitializeAsync(default);

        (await _storage.GetStreamAsync(type, id, default))!.Revision.Should().Be(1);
    }

    [Fact]
    public async Task AppendAsync_Appended_WritesTheOriginalsItemsPlusOurAttributes()
    {
        var (type, id) = NewStream();
        var added = new EventToAppend(Guid.NewGuid(), "order-placed", "{\"orderId\":42}", "{\"correlationId\":\"c-1\"}");

        await _storage.AppendAsync(StreamAppend.Create(type, id, 0, [added]), default);

        var items = await _table.ItemsAsync(id);
        items.Should().HaveCount(2);
        var header = items[0];
        header["SK"].N.Should().Be("0");
        header["RecordType"].S.Should().Be("stream");
        header["StreamType"].S.Should().Be(type);
        header["StreamRevision"].N.Should().Be("1");
        header["UpdatedAt"].S.Should().MatchRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$");
        var stored = items[1];
        stored["SK"].N.Should().Be("1");
        stored["RecordType"].S.Should().Be("event");
        stored["StreamType"].S.Should().Be(type);
        stored["EventType"].S.Should().Be("order-placed");
        stored["Payload"].S.Should().Be("{\"orderId\":42}");
        stored["PayloadFormat"].S.Should().Be("json");
        stored["EventId"].S.Should().Be(added.EventId!.Value.ToString("D"));
        stored["Metadata"].S.Should().Be("{\"correlationId\":\"c-1\"}");
        stored["CreatedAt"].S.Should().Be(header["UpdatedAt"].S);
    }

    [Fact]
    public async Task GetEventsAsync_ItemsOfTheOriginal_ReadAsJsonStrings()
    {
        var (type, id) = NewStream();
        await PutOriginalStreamAsync(type, id);

        var events = (await _storage.GetEventsAsync(EventRead.Forward(type, id, 0, 10), default))!.Events;
        var afterFirst = (await _storage.GetEventsAsync(EventRead.Forward(type, id, 1, 10), default))!.Events;

        events.Select(e => e.Revision).Should().Equal(1, 2);
        events[0].Payload.ValueKind.Should().Be(JsonValueKind.String);
        events[0].Payload.GetString().Should().Be("{\"orderId\":\"42\"}");
        events[1].Payload.GetString().Should().Be("plain text");
        events.Should().OnlyContain(e => e.EventId == null && e.Metadata == null && e.StreamId == id);
        events[0].EventType.Should().Be("order-placed");
        events[0].CreatedAt.Should().Be(new DateTimeOffset(2024, 3, 1, 10, 0, 0, TimeSpan.Zero));
        events[1].CreatedAt.Should().Be(new DateTimeOffset(2024, 3, 1, 10, 0, 1, TimeSpan.Zero).AddTicks(1_234_568));
        afterFirst.Select(e => e.Revision).Should().Equal(2);
        (await _storage.GetEventsAsync(EventRead.Forward($"t-{Guid.NewGuid():N}", id, 1, 10), default)).Should().BeNull("the original's events carry no type; the header decides");
    }

    [Fact]
    public async Task GetStreamAsync_HeaderOfTheOriginal_ReadsRfc3339Time()
    {
        var (type, id) = NewStream();
        await PutOriginalStreamAsync(type, id);

        var stream = await _storage.GetStreamAsync(type, id, default);
        var listed = await _storage.GetStreamsAsync(type, DateTimeOffset.MinValue, null, 10, default);

        stream!.Revision.Should().Be(2);
        stream.UpdatedAt.Should().Be(new DateTimeOffset(2024, 3, 1, 10, 0, 1, TimeSpan.Zero).AddTicks(1_234_568));
        listed.Streams.Should().ContainSingle().Which.Should().BeEquivalentTo(stream);
    }

    [Fact]
    public async Task AppendAsync_StreamOfTheOriginal_AppendsAfterItsEvents()
    {
        var (type, id) = NewStream();
        await PutOriginalStreamAsync(type, id);
        var next = new EventToAppend(Guid.NewGuid(), "order-shipped", "{\"carrier\":\"x\"}", null);

        var outcome = await _storage.AppendAsync(StreamAppend.Create(type, id, 2, [next]), default);
        var conflict = await _storage.AppendAsync(StreamAppend.Create(type, id, 2, [NewEvent()]), default);

        outcome.Should().BeOfType<AppendOutcome.Appended>().Which.Stream.Revision.Should().Be(3);
        conflict.Should().BeOfType<AppendOutcome.WrongExpectedRevision>().Which.CurrentRevision.Should().Be(3);
        var events = (await _storage.GetEventsAsync(EventRead.Forward(type, id, 0, 10), default))!.Events;
        events.Select(e => e.Revision).Should().Equal(1, 2, 3);
        events[2].Payload.GetProperty("carrier").GetString().Should().Be("x");
        events[2].EventId.Should().Be(next.EventId);
        (await _storage.GetStreamsAsync(type, DateTimeOffset.MinValue, null, 10, default)).Streams.Single().Revision.Should().Be(3);
    }

    [Fact]
    public async Task AppendAsync_IdenticalAppendRepeated_ReturnsAlreadyAppendedAndStoresNothingTwice()
    {
        var (type, id) = NewStream();
        var append = StreamAppend.Create(type, id, 0, [NewEvent(), NewEvent()]);

        var first = await _storage.AppendAsync(append, default);
        var repeat = await _storage.AppendAsync(append, default);

        first.Should().BeOfType<AppendOutcome.Appended>();
        repeat.Should().BeOfType<AppendOutcome.AlreadyAppended>().Which.Stream.Should().BeEquivalentTo(((AppendOutcome.Appended)first).Stream);
        (await _table.ItemsAsync(id)).Should().HaveCount(3);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AppendAsync_ResponseLostAfterCommit_RetrySucceedsWithoutStoringTwice(bool withEventIds)
    {
        var transactWriteItems = new FaultInjection("TransactWriteItemsAsync", () => new HttpRequestException("connection reset"), times: 1) { AfterForwarding = true };
        var storage = _table.FaultInjectedStorage(transactWriteItems);
        var (type, id) = NewStream();
        var events = withEventIds ? new[] { NewEvent(), NewEvent() } : [NewEvent() with { EventId = null }, NewEvent() with { EventId = null }];

        var outcome = await storage.AppendAsync(StreamAppend.Create(type, id, 0, events), default);

        outcome.Should().BeOfType<AppendOutcome.Appended>("the retry carries the same client request token, which DynamoDB recognizes");
        transactWriteItems.Calls.Should().Be(2);
        (await _table.ItemsAsync(id)).Should().HaveCount(3);
    }

    [Fact]
    public async Task AppendAsync_RetryOfRejectedAppendThatFitsNow_Appends()
    {
        var (type, id) = NewStream();
        await _storage.AppendAsync(StreamAppend.Create(type, id, 0, [NewEvent()]), default);
        var early = StreamAppend.Create(type, id, 2, [NewEvent()]);
        var rejected = await _storage.AppendAsync(early, default);
        await _storage.AppendAsync(StreamAppend.Create(type, id, 1, [NewEvent()]), default);

        var retried = await _storage.AppendAsync(early, default);

        rejected.Should().BeOfType<AppendOutcome.WrongExpectedRevision>().Which.CurrentRevision.Should().Be(1);
        retried.Should().BeOfType<AppendOutcome.Appended>().Which.Stream.Revision.Should().Be(3);
    }

    [Fact]
    public async Task AppendAsync_StreamOfOtherType_ReturnsStreamNotFoundAndStoresNothing()
    {
        var (type, id) = NewStream();
        await _storage.AppendAsync(StreamAppend.Create(type, id, 0, [NewEvent()]), default);

        var atOne = await _storage.AppendAsync(StreamAppend.Create($"t-{Guid.NewGuid():N}", id, 0, [NewEvent()]), default);
        var atTwo = await _storage.AppendAsync(StreamAppend.Create($"t-{Guid.NewGuid():N}", id, 1, [NewEvent()]), default);

        atOne.Should().BeOfType<AppendOutcome.StreamNotFound>();
        atTwo.Should().BeOfType<AppendOutcome.StreamNotFound>();
        (await _table.ItemsAsync(id)).Should().HaveCount(2);
    }

    [Fact]
    public async Task GetEventsAsync_OtherTypeAfterARevision_ReturnsNull()
    {
        var (type, id) = NewStream();
        var other = $"t-{Guid.NewGuid():N}";
        await _storage.AppendAsync(StreamAppend.Create(type, id, 0, [NewEvent(), NewEvent(), NewEvent()]), default);

        (await _storage.GetEventsAsync(EventRead.Forward(other, id, 1, 10), default)).Should().BeNull("the events carry their stream's type");
        (await _storage.GetEventsAsync(EventRead.Forward(other, id, 3, 10), default)).Should().BeNull("an empty page reads the header");
        (await _storage.GetEventsAsync(EventRead.Forward(type, id, 3, 10), default))!.Events.Should().BeEmpty();
        (await _storage.GetEventsAsync(EventRead.Forward(type, Guid.NewGuid(), 3, 10), default)).Should().BeNull();
    }

    [Fact]
    public async Task AppendAsync_TransactionOver4Megabytes_ThrowsStorageLimitExceededAndStoresNothing()
    {
        var (type, id) = NewStream();
        var payload = $"\"{new string('x', EventStoreLimits.MaxPayloadBytes - 2)}\"";
        var events = Enumerable.Range(0, 17).Select(_ => NewEvent() with { PayloadJson = payload }).ToArray();

        var append = () => _storage.AppendAsync(StreamAppend.Create(type, id, 0, events), default);

        (await append.Should().ThrowAsync<StorageLimitExceededException>()).Which.Message.Should().Contain("transaction");
        (await _storage.GetStreamAsync(type, id, default)).Should().BeNull();
    }

    [Fact]
    public async Task AppendAsync_LargestEventTheApiAllows_IsStored()
    {
        var (type, id) = NewStream();
        var largest = new EventToAppend(
            Guid.NewGuid(),
            new string('e', EventStoreLimits.MaxEventTypeLength),
            $"\"{new string('x', EventStoreLimits.MaxPayloadBytes - 2)}\"",
            $"{{\"m\":\"{new string('y', EventStoreLimits.MaxMetadataBytes - 8)}\"}}");

        var outcome = await _storage.AppendAsync(StreamAppend.Create(type, id, 0, [largest]), default);

        outcome.Should().BeOfType<AppendOutcome.Appended>();
        (await _storage.GetEventsAsync(EventRead.Forward(type, id, 0, 1), default))!.Events.Single().Payload.GetString().Should().HaveLength(EventStoreLimits.MaxPayloadBytes - 2);
    }

    private async Task PutOriginalStreamAsync(string type, Guid id)
    {
        // As the Go service writes them: payload a plain string, no event id, no payload format, no type on events,
        // RFC 3339 times (with nanoseconds, or none).
        var key = id.ToString("D");
        Dictionary<string, AttributeValue> Event(int revision, string payload, string createdAt) => new()
        {
            ["PK"] = new() { S = key },
            ["SK"] = new() { N = revision.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            ["RecordType"] = new() { S = "event" },
            ["EventType"] = new() { S = revision == 1 ? "order-placed" : "order-noted" },
            ["Payload"] = new() { S = payload },
            ["CreatedAt"] = new() { S = createdAt },
        };

        var items = new[]
        {
            new Dictionary<string, AttributeValue>
            {
                ["PK"] = new() { S = key },
                ["SK"] = new() { N = "0" },
                ["RecordType"] = new() { S = "stream" },
                ["StreamType"] = new() { S = type },
                ["StreamRevision"] = new() { N = "2" },
                ["UpdatedAt"] = new() { S = "2024-03-01T10:00:01.123456789Z" },
            },
            Event(1, "{\"orderId\":\"42\"}", "2024-03-01T10:00:00Z"),
            Event(2, "plain text", "2024-03-01T10:00:01.123456789Z"),
        };
        foreach (var item in items)
        {
            await _table.Client.PutItemAsync(new PutItemRequest { TableName = _table.Name, Item = item });
        }
    }

    private static (string Type, Guid Id) NewStream() => ($"t-{Guid.NewGuid():N}", Guid.NewGuid());

    private static EventToAppend NewEvent() => new(Guid.NewGuid(), "something-happened", "{\"a\":1}", null);
}

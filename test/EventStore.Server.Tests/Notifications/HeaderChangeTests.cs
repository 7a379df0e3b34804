using Amazon.DynamoDBv2.Model;
using ServerlessEventStore.Server.Storage.DynamoDb.Streams;
using ServerlessEventStore.Types;

namespace ServerlessEventStore.Server.Tests.Notifications;

/// <summary>Which DynamoDB stream records the relay publishes: stream headers written, as the EventBridge Pipe's filter says.</summary>
public sealed class HeaderChangeTests
{
    private static readonly Guid StreamId = Guid.Parse("2886e475-d5cc-40f7-aec5-401071388b3c");

    [Theory]
    [InlineData("INSERT", 1)]
    [InlineData("MODIFY", 18)]
    public void Classify_StreamHeaderWritten_IsOneNotification(string eventName, int revision)
    {
        var kind = HeaderChange.Classify(new ChangeRecord(eventName, "100", Header(revision)), out var notification);

        kind.Should().Be(HeaderChangeKind.Notification);
        notification.Should().Be(new StreamNotification(StreamId, "order", revision));
        StreamNotificationConverter.ToMessageBody(notification!).Should().Be(
            $$"""{"StreamId":"{{StreamId}}","StreamType":"order","StreamRevision":"{{revision}}"}""");
    }

    [Theory]
    [InlineData("INSERT")]
    [InlineData("MODIFY")]
    public void Classify_EventItem_IsNothing(string eventName)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            ["PK"] = new() { S = StreamId.ToString() },
            ["SK"] = new() { N = "3" },
            ["RecordType"] = new() { S = "event" },
            ["StreamType"] = new() { S = "order" },
            ["EventType"] = new() { S = "order-placed" },
            ["Payload"] = new() { S = "{}" },
        };

        HeaderChange.Classify(new ChangeRecord(eventName, "101", item), out var notification).Should().Be(HeaderChangeKind.NotAHeader);
        notification.Should().BeNull();
    }

    [Theory]
    [InlineData("INSERT")]
    [InlineData("MODIFY")]
    public void Classify_StreamTypesItem_IsNothing(string eventName)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            ["PK"] = new() { S = "$stream-types" },
            ["SK"] = new() { N = "4611686018427387904" },
            ["RecordType"] = new() { S = "stream-types" },
            ["StreamTypes"] = new() { SS = ["order"] },
        };

        HeaderChange.Classify(new ChangeRecord(eventName, "103", item), out var notification).Should().Be(HeaderChangeKind.NotAHeader);
        notification.Should().BeNull();
    }

    [Fact]
    public void Classify_Remove_IsNothing()
    {
        HeaderChange.Classify(new ChangeRecord("REMOVE", "102", NewImage: null), out var notification).Should().Be(HeaderChangeKind.NotAHeader);
        notification.Should().BeNull();
    }

    [Theory]
    [InlineData("PK", "not-a-uuid")]
    [InlineData("StreamRevision", "0")]
    [InlineData("StreamType", "")]
    public void Classify_HeaderWithInvalidAttribute_IsMalformed(string attribute, string value)
    {
        var header = Header(1);
        header[attribute] = attribute == "StreamRevision" ? new AttributeValue { N = value } : new AttributeValue { S = value };

        HeaderChange.Classify(new ChangeRecord("MODIFY", "103", header), out var notification).Should().Be(HeaderChangeKind.Malformed);
        notification.Should().BeNull();
    }

    private static Dictionary<string, AttributeValue> Header(int revision) => new()
    {
        ["PK"] = new() { S = StreamId.ToString() },
        ["SK"] = new() { N = "0" },
        ["RecordType"] = new() { S = "stream" },
        ["StreamType"] = new() { S = "order" },
        ["StreamRevision"] = new() { N = revision.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        ["UpdatedAt"] = new() { S = "2024-01-01T00:00:00.0000000Z" },
    };
}

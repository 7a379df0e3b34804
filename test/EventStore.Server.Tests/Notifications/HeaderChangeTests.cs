using Amazon.DynamoDBv2.Model;
using ServerlessEventStore.Server.Storage.DynamoDb.Streams;
using ServerlessEventStore.Types;

namespace ServerlessEventStore.Server.Tests.Notifications;

/// <summary>
/// Which DynamoDB stream records the relay publishes, and as what: stream headers written, as the EventBridge Pipes'
/// filters say — the original's notification for an append, one naming the change for a delete or a truncation.
/// </summary>
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

    [Theory]
    [InlineData("soft")]
    [InlineData("hard")]
    public void Classify_HeaderOfADelete_IsADeletionNotification(string deleted)
    {
        var header = Header(7);
        header.Remove("UpdatedAt");
        header["LastChange"] = new AttributeValue { S = "deleted" };
        header["Deleted"] = new AttributeValue { S = deleted };
        header["DeletedAt"] = new AttributeValue { S = "2024-01-02T00:00:00.0000000Z" };

        HeaderChange.Classify(new ChangeRecord("MODIFY", "104", header), out var notification).Should().Be(HeaderChangeKind.Notification);

        notification.Should().Be(new StreamNotification(StreamId, "order", 7, StreamChange.Deleted));
        StreamNotificationConverter.ToMessageBody(notification!).Should().Be(
            $$"""{"StreamId":"{{StreamId}}","StreamType":"order","StreamRevision":"7","Change":"deleted"}""");
    }

    [Fact]
    public void Classify_HeaderOfADeleteAfterATruncation_IsADeletionNotification()
    {
        var header = Header(7);
        header["LastChange"] = new AttributeValue { S = "deleted" };
        header["TruncatedBefore"] = new AttributeValue { N = "4" };

        HeaderChange.Classify(new ChangeRecord("MODIFY", "105", header), out var notification).Should().Be(HeaderChangeKind.Notification);

        notification.Should().Be(new StreamNotification(StreamId, "order", 7, StreamChange.Deleted));
    }

    [Fact]
    public void Classify_HeaderOfATruncation_IsATruncationNotificationNamingTheFirstRevisionKept()
    {
        var header = Header(9);
        header["LastChange"] = new AttributeValue { S = "truncated" };
        header["TruncatedBefore"] = new AttributeValue { N = "5" };

        HeaderChange.Classify(new ChangeRecord("MODIFY", "106", header), out var notification).Should().Be(HeaderChangeKind.Notification);

        notification.Should().Be(new StreamNotification(StreamId, "order", 9, StreamChange.Truncated, truncatedBefore: 5));
        StreamNotificationConverter.ToMessageBody(notification!).Should().Be(
            $$"""{"StreamId":"{{StreamId}}","StreamType":"order","StreamRevision":"9","Change":"truncated","TruncatedBefore":"5"}""");
    }

    [Fact]
    public void Classify_HeaderOfAnAppendAfterATruncation_IsTheOriginalsNotification()
    {
        // An append removes LastChange; the truncation point stays on the header and means nothing to the append.
        var header = Header(10);
        header["TruncatedBefore"] = new AttributeValue { N = "5" };

        HeaderChange.Classify(new ChangeRecord("MODIFY", "107", header), out var notification).Should().Be(HeaderChangeKind.Notification);

        notification.Should().Be(new StreamNotification(StreamId, "order", 10));
        notification!.Change.Should().Be(StreamChange.Appended);
    }

    [Fact]
    public void Classify_HeaderOfAChangeThisVersionDoesNotKnow_PassesItOnByName()
    {
        var header = Header(3);
        header["LastChange"] = new AttributeValue { S = "archived" };

        HeaderChange.Classify(new ChangeRecord("MODIFY", "108", header), out var notification).Should().Be(HeaderChangeKind.Notification);

        notification!.Change.Name.Should().Be("archived");
        notification.TruncatedBefore.Should().BeNull();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("0")]
    [InlineData("x")]
    public void Classify_TruncationWithoutAValidTruncatedBefore_IsMalformed(string? truncatedBefore)
    {
        var header = Header(9);
        header["LastChange"] = new AttributeValue { S = "truncated" };
        if (truncatedBefore is not null)
        {
            header["TruncatedBefore"] = new AttributeValue { N = truncatedBefore };
        }

        HeaderChange.Classify(new ChangeRecord("MODIFY", "109", header), out var notification).Should().Be(HeaderChangeKind.Malformed);
        notification.Should().BeNull();
    }

    [Fact]
    public void Classify_EmptyLastChange_IsMalformed()
    {
        var header = Header(2);
        header["LastChange"] = new AttributeValue { S = "" };

        HeaderChange.Classify(new ChangeRecord("MODIFY", "110", header), out var notification).Should().Be(HeaderChangeKind.Malformed);
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

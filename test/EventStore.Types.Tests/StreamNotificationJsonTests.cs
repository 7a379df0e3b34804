using System.Text.Json;

namespace ServerlessEventStore.Types.Tests;

public class StreamNotificationJsonTests
{
    private static readonly Guid StreamId = Guid.Parse("2886e475-d5cc-40f7-aec5-401071388b3c");

    [Fact]
    public void Serialize_Notification_WritesTheOriginalsShapeWithRevisionAsString()
    {
        var json = JsonSerializer.Serialize(new StreamNotification(StreamId, "test-stream-type", 18));

        json.Should().Be("""{"StreamId":"2886e475-d5cc-40f7-aec5-401071388b3c","StreamType":"test-stream-type","StreamRevision":"18"}""");
    }

    [Fact]
    public void Serialize_WithWebOptions_StillWritesTheOriginalsNames()
    {
        var json = JsonSerializer.Serialize(new StreamNotification(StreamId, "order", 1), EventStoreJson.Options);

        json.Should().Be("""{"StreamId":"2886e475-d5cc-40f7-aec5-401071388b3c","StreamType":"order","StreamRevision":"1"}""");
    }

    [Fact]
    public void ToMessageBody_Notification_RoundTripsThroughFromMessageBody()
    {
        var notification = new StreamNotification(Guid.NewGuid(), "order", 42);

        StreamNotificationConverter.FromMessageBody(StreamNotificationConverter.ToMessageBody(notification)).Should().Be(notification);
    }

    [Theory]
    [InlineData("""{"StreamId":"2886e475-d5cc-40f7-aec5-401071388b3c","StreamType":"test-stream-type","StreamRevision":"18"}""")]
    [InlineData("""{"StreamId":"2886e475-d5cc-40f7-aec5-401071388b3c","StreamType":"test-stream-type","StreamRevision":18}""")]
    [InlineData("""{"streamId":"2886e475-d5cc-40f7-aec5-401071388b3c","streamType":"test-stream-type","streamRevision":18}""")]
    [InlineData("""{"Extra":{"a":[1,2]},"StreamId":"2886E475-D5CC-40F7-AEC5-401071388B3C","StreamType":"test-stream-type","StreamRevision":"18","More":null}""")]
    public void Deserialize_RevisionAsStringOrNumberAndUnknownMembers_ReadsTheNotification(string json)
    {
        var notification = JsonSerializer.Deserialize<StreamNotification>(json);

        notification.Should().Be(new StreamNotification(StreamId, "test-stream-type", 18));
    }

    [Fact]
    public void Deserialize_MissingMembers_ThrowsNotificationFormatExceptionNamingEach()
    {
        var act = () => JsonSerializer.Deserialize<StreamNotification>("{}");

        act.Should().Throw<NotificationFormatException>()
            .Which.Message.Should().ContainAll("StreamId is missing", "StreamType is missing", "StreamRevision is missing");
    }

    [Theory]
    [InlineData("""{"StreamId":"\ud800","StreamType":"order","StreamRevision":"1"}""")]
    [InlineData("""{"streamId":"2886e475-d5cc-40f7-aec5-401071388b3c","streamType":"order","streamRevision":"1","\udc00":0,"StreamType":"\udc00"}""")]
    public void Deserialize_MemberNotValidText_ThrowsNotificationFormatException(string json)
    {
        var act = () => JsonSerializer.Deserialize<StreamNotification>(json);

        act.Should().Throw<NotificationFormatException>().Which.Message.Should().Contain("is not valid Unicode text");
    }

    [Fact]
    public void Deserialize_InvalidUtf8InAnyString_ReadsOrThrowsOnlyNotificationFormatException()
    {
        var json = System.Text.Encoding.UTF8.GetBytes("""{"streamId":"2886e475-d5cc-40f7-aec5-401071388b3c","streamType":"order","streamRevision":"18","Extra":"x"}""");

        var unexpected = JsonStrings.EachReplacedBy(json, JsonStrings.InvalidUtf8)
            .Select(utf8 => Record.Exception(() => JsonSerializer.Deserialize<StreamNotification>(utf8)))
            .Where(error => error is not (null or NotificationFormatException));

        unexpected.Should().BeEmpty();
    }

    [Fact]
    public void Constructor_InvalidArguments_Throws()
    {
        FluentActions.Invoking(() => new StreamNotification(StreamId, " ", 1)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => new StreamNotification(StreamId, "order", 0)).Should().Throw<ArgumentOutOfRangeException>();
    }
}

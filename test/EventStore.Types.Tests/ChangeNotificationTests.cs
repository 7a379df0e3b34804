using System.Text.Json;

namespace ServerlessEventStore.Types.Tests;

/// <summary>
/// Notifications of a deletion or a truncation: told apart from an append by <c>Change</c>, while an append's message stays
/// the original's byte for byte.
/// </summary>
public class ChangeNotificationTests
{
    private const string Id = "2886e475-d5cc-40f7-aec5-401071388b3c";
    private static readonly Guid StreamId = Guid.Parse(Id);

    [Fact]
    public void ToMessageBody_Append_IsTheOriginalsMessageWithoutAChange()
    {
        var body = StreamNotificationConverter.ToMessageBody(new StreamNotification(StreamId, "order", 18, StreamChange.Appended));

        body.Should().Be($$"""{"StreamId":"{{Id}}","StreamType":"order","StreamRevision":"18"}""");
    }

    [Fact]
    public void ToMessageBody_Deletion_AddsTheChange()
    {
        var body = StreamNotificationConverter.ToMessageBody(new StreamNotification(StreamId, "order", 7, StreamChange.Deleted));

        body.Should().Be($$"""{"StreamId":"{{Id}}","StreamType":"order","StreamRevision":"7","Change":"deleted"}""");
    }

    [Fact]
    public void ToMessageBody_Truncation_AddsTheChangeAndTheFirstRevisionKeptAsAString()
    {
        var body = StreamNotificationConverter.ToMessageBody(new StreamNotification(StreamId, "order", 7, StreamChange.Truncated, truncatedBefore: 5));

        body.Should().Be($$"""{"StreamId":"{{Id}}","StreamType":"order","StreamRevision":"7","Change":"truncated","TruncatedBefore":"5"}""");
    }

    public static TheoryData<StreamNotification> Notifications => new()
    {
        new StreamNotification(StreamId, "order", 1),
        new StreamNotification(StreamId, "order", 3, StreamChange.Deleted),
        new StreamNotification(StreamId, "order", 9, StreamChange.Truncated, 4),
        new StreamNotification(StreamId, "order", 9, StreamChange.Truncated, 10),
        new StreamNotification(StreamId, "order", 2, new StreamChange("archived")),
    };

    [Theory]
    [MemberData(nameof(Notifications))]
    public void ToMessageBody_AnyChange_RoundTripsThroughFromMessageBodyRawAndInAnEnvelope(StreamNotification notification)
    {
        var body = StreamNotificationConverter.ToMessageBody(notification);

        StreamNotificationConverter.FromMessageBody(body).Should().Be(notification);
        StreamNotificationConverter.FromMessageBody(MessageBodyTests.Envelope(body)).Should().Be(notification);
        JsonSerializer.Deserialize<StreamNotification>(JsonSerializer.Serialize(notification, EventStoreJson.Options), EventStoreJson.Options).Should().Be(notification);
    }

    [Theory]
    [InlineData($$"""{"StreamId":"{{Id}}","StreamType":"order","StreamRevision":"7","Change":"truncated","TruncatedBefore":"5"}""")]
    [InlineData($$"""{"StreamId":"{{Id}}","StreamType":"order","StreamRevision":7,"Change":"truncated","TruncatedBefore":5}""")]
    [InlineData($$"""{"streamId":"{{Id}}","streamType":"order","streamRevision":"7","change":"TRUNCATED","truncatedBefore":"5","Extra":[1]}""")]
    public void FromMessageBody_Truncation_ReadsTheRevisionsAsStringsOrNumbers(string body)
    {
        var notification = StreamNotificationConverter.FromMessageBody(body);

        notification.Should().Be(new StreamNotification(StreamId, "order", 7, StreamChange.Truncated, 5));
        notification.TruncatedBefore.Should().Be(5);
    }

    [Theory]
    [InlineData($$"""{"StreamId":"{{Id}}","StreamType":"order","StreamRevision":"7","Change":"deleted"}""")]
    [InlineData($$$"""{"StreamId":"{{{Id}}}","StreamType":"order","StreamRevision":"7","Change":"Deleted","More":{"a":null}}""")]
    [InlineData($$"""{"StreamId":"{{Id}}","StreamType":"order","StreamRevision":"7","Change":"deleted","TruncatedBefore":""}""")]
    [InlineData($$"""{"StreamId":"{{Id}}","StreamType":"order","StreamRevision":"7","Change":"deleted","TruncatedBefore":"3"}""")]
    public void FromMessageBody_Deletion_ReadsItWhateverTruncatedBeforeHolds(string body)
    {
        var notification = StreamNotificationConverter.FromMessageBody(body);

        notification.Should().Be(new StreamNotification(StreamId, "order", 7, StreamChange.Deleted));
        notification.TruncatedBefore.Should().BeNull("only a truncation names where it cut");
    }

    [Theory]
    [InlineData($$"""{"StreamId":"{{Id}}","StreamType":"order","StreamRevision":"7"}""")]
    [InlineData($$"""{"StreamId":"{{Id}}","StreamType":"order","StreamRevision":"7","Change":null}""")]
    [InlineData($$"""{"StreamId":"{{Id}}","StreamType":"order","StreamRevision":"7","Change":"appended"}""")]
    [InlineData($$"""{"StreamId":"{{Id}}","StreamType":"order","StreamRevision":"7","TruncatedBefore":"x"}""")]
    public void FromMessageBody_NoChangeOrAppended_IsAnAppend(string body)
    {
        var notification = StreamNotificationConverter.FromMessageBody(body);

        notification.Should().Be(new StreamNotification(StreamId, "order", 7));
        notification.Change.Should().Be(StreamChange.Appended);
        StreamNotificationConverter.ToMessageBody(notification).Should().Be($$"""{"StreamId":"{{Id}}","StreamType":"order","StreamRevision":"7"}""");
    }

    [Fact]
    public void FromMessageBody_UnknownChange_KeepsItsNameAndWritesItBack()
    {
        const string body = $$"""{"StreamId":"{{Id}}","StreamType":"order","StreamRevision":"7","Change":"archived","TruncatedBefore":"2"}""";

        var notification = StreamNotificationConverter.FromMessageBody(body, "m-1");

        notification.Change.Name.Should().Be("archived");
        notification.Change.Should().NotBe(StreamChange.Appended).And.NotBe(StreamChange.Deleted).And.NotBe(StreamChange.Truncated);
        notification.TruncatedBefore.Should().BeNull();
        (notification.StreamId, notification.StreamType, notification.StreamRevision).Should().Be((StreamId, "order", 7));
        StreamNotificationConverter.ToMessageBody(notification).Should().Be($$"""{"StreamId":"{{Id}}","StreamType":"order","StreamRevision":"7","Change":"archived"}""");
    }

    [Theory]
    [InlineData($$"""{"StreamId":"{{Id}}","StreamType":"order","StreamRevision":"7","Change":"truncated"}""", "TruncatedBefore is missing")]
    [InlineData($$"""{"StreamId":"{{Id}}","StreamType":"order","StreamRevision":"7","Change":"truncated","TruncatedBefore":""}""", "TruncatedBefore \"\" is not a positive integer")]
    [InlineData($$"""{"StreamId":"{{Id}}","StreamType":"order","StreamRevision":"7","Change":"truncated","TruncatedBefore":0}""", "TruncatedBefore 0 is not a positive integer")]
    [InlineData($$"""{"StreamId":"{{Id}}","StreamType":"order","StreamRevision":"7","Change":"truncated","TruncatedBefore":"2.5"}""", "TruncatedBefore \"2.5\" is not a positive integer")]
    [InlineData($$"""{"StreamId":"{{Id}}","StreamType":"order","StreamRevision":"7","Change":5}""", "Change must be a string, not a number")]
    [InlineData($$"""{"StreamId":"{{Id}}","StreamType":"order","StreamRevision":"7","Change":" "}""", "Change is empty")]
    [InlineData($$"""{"StreamId":"{{Id}}","StreamType":"order","StreamRevision":"7","Change":"\ud800"}""", "Change is not valid Unicode text")]
    [InlineData("""{"StreamType":"order","StreamRevision":"7","Change":"truncated","TruncatedBefore":"-1"}""", "StreamId is missing; TruncatedBefore \"-1\" is not a positive integer")]
    public void FromMessageBody_MalformedChange_ThrowsNotificationFormatExceptionNamingEachProblem(string body, string reason)
    {
        var act = () => StreamNotificationConverter.FromMessageBody(body, "m-3");

        var exception = act.Should().Throw<NotificationFormatException>().Which;
        exception.MessageId.Should().Be("m-3");
        exception.Message.Should().Contain(reason);
    }

    [Fact]
    public void FromMessageBody_ChangeMessageWithLoneSurrogateInAnyString_ReadsOrThrowsOnlyNotificationFormatException()
    {
        const string body = $$"""{"StreamId":"{{Id}}","StreamType":"order","StreamRevision":"7","Change":"truncated","TruncatedBefore":"5"}""";

        var unexpected = JsonStrings.EachReplacedBy(body, JsonStrings.LoneSurrogate)
            .Select(replaced => Record.Exception(() => StreamNotificationConverter.FromMessageBody(replaced, "m-1")))
            .Where(error => error is not (null or NotificationFormatException { MessageId: "m-1" }));

        unexpected.Should().BeEmpty();
    }

    [Fact]
    public void Constructor_TruncatedBeforeWithoutTruncationOrTruncationWithoutIt_Throws()
    {
        FluentActions.Invoking(() => new StreamNotification(StreamId, "order", 3, StreamChange.Truncated)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => new StreamNotification(StreamId, "order", 3, StreamChange.Truncated, 0)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new StreamNotification(StreamId, "order", 3, StreamChange.Deleted, 2)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => new StreamNotification(StreamId, "order", 3, StreamChange.Appended, 2)).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void StreamChange_DefaultAndNames_CompareByNameIgnoringCase()
    {
        default(StreamChange).Should().Be(StreamChange.Appended);
        StreamChange.Appended.Name.Should().Be("appended");
        new StreamChange("APPENDED").Should().Be(StreamChange.Appended);
        (new StreamChange("Deleted") == StreamChange.Deleted).Should().BeTrue();
        (StreamChange.Deleted != StreamChange.Truncated).Should().BeTrue();
        new StreamChange("Truncated").GetHashCode().Should().Be(StreamChange.Truncated.GetHashCode());
        StreamChange.Truncated.ToString().Should().Be("truncated");
        FluentActions.Invoking(() => new StreamChange(" ")).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Equality_NotificationsOfDifferentChanges_AreNotEqual()
    {
        var append = new StreamNotification(StreamId, "order", 3);

        append.Should().NotBe(new StreamNotification(StreamId, "order", 3, StreamChange.Deleted));
        new StreamNotification(StreamId, "order", 3, StreamChange.Truncated, 2).Should().NotBe(new StreamNotification(StreamId, "order", 3, StreamChange.Truncated, 3));
    }
}

namespace ServerlessEventStore.Types.Tests;

public class MessageBodyTests
{
    private const string Raw = """{"StreamId":"2886e475-d5cc-40f7-aec5-401071388b3c","StreamType":"test-stream-type","StreamRevision":"18"}""";
    private static readonly StreamNotification Expected = new(Guid.Parse("2886e475-d5cc-40f7-aec5-401071388b3c"), "test-stream-type", 18);

    internal static string Envelope(string message) => $$"""
        {
          "Type" : "Notification",
          "MessageId" : "sns-1",
          "TopicArn" : "arn:aws:sns:us-east-1:000000000000:events",
          "Message" : {{System.Text.Json.JsonSerializer.Serialize(message)}},
          "Timestamp" : "2025-01-01T00:00:00.000Z",
          "SignatureVersion" : "1",
          "Signature" : "x",
          "SigningCertURL" : "https://example.invalid/cert.pem",
          "UnsubscribeURL" : "https://example.invalid/unsubscribe"
        }
        """;

    [Fact]
    public void FromMessageBody_RawDelivery_ReadsTheNotification()
    {
        StreamNotificationConverter.FromMessageBody(Raw, "m-1").Should().Be(Expected);
    }

    [Fact]
    public void FromMessageBody_SnsEnvelope_ReadsTheNotificationFromItsMessage()
    {
        StreamNotificationConverter.FromMessageBody(Envelope(Raw), "m-1").Should().Be(Expected);
    }

    [Theory]
    [InlineData("not json", "is not JSON")]
    [InlineData("", "is not JSON")]
    [InlineData("[1,2]", "must be a JSON object, not an array")]
    [InlineData("\"text\"", "must be a JSON object, not a string")]
    [InlineData("""{"Type":"Notification","MessageId":"sns-1","TopicArn":"arn"}""", "SNS envelope has no string Message")]
    [InlineData("""{"Type":"Notification","Message":{"StreamId":"x"}}""", "SNS envelope has no string Message")]
    [InlineData("""{"StreamType":"a","StreamRevision":"1"}""", "StreamId is missing")]
    [InlineData("""{"StreamId":"2886e475-d5cc-40f7-aec5-401071388b3c","StreamRevision":"1"}""", "StreamType is missing")]
    [InlineData("""{"StreamId":"2886e475-d5cc-40f7-aec5-401071388b3c","StreamType":"a"}""", "StreamRevision is missing")]
    [InlineData("""{"StreamId":"not-a-guid","StreamType":"a","StreamRevision":"1"}""", "'not-a-guid' is not a UUID")]
    [InlineData("""{"StreamId":42,"StreamType":"a","StreamRevision":"1"}""", "StreamId must be a string, not a number")]
    [InlineData("""{"StreamId":"2886e475-d5cc-40f7-aec5-401071388b3c","StreamType":"","StreamRevision":"1"}""", "StreamType is empty")]
    [InlineData("""{"StreamId":"2886e475-d5cc-40f7-aec5-401071388b3c","StreamType":null,"StreamRevision":"1"}""", "StreamType must be a string, not null")]
    [InlineData("""{"StreamId":"2886e475-d5cc-40f7-aec5-401071388b3c","StreamType":"a","StreamRevision":"0"}""", "StreamRevision \"0\" is not a positive integer")]
    [InlineData("""{"StreamId":"2886e475-d5cc-40f7-aec5-401071388b3c","StreamType":"a","StreamRevision":-3}""", "StreamRevision -3 is not a positive integer")]
    [InlineData("""{"StreamId":"2886e475-d5cc-40f7-aec5-401071388b3c","StreamType":"a","StreamRevision":"1.5"}""", "is not a positive integer")]
    [InlineData("""{"StreamId":"2886e475-d5cc-40f7-aec5-401071388b3c","StreamType":"a","StreamRevision":2.0}""", "is not a positive integer")]
    [InlineData("""{"StreamId":"2886e475-d5cc-40f7-aec5-401071388b3c","StreamType":"a","StreamRevision":" 7"}""", "is not a positive integer")]
    [InlineData("""{"StreamId":"2886e475-d5cc-40f7-aec5-401071388b3c","StreamType":"a","StreamRevision":"99999999999"}""", "is not a positive integer")]
    [InlineData("""{"StreamId":"2886e475-d5cc-40f7-aec5-401071388b3c","StreamType":"a","StreamRevision":true}""", "is not a positive integer")]
    public void FromMessageBody_Malformed_ThrowsNotificationFormatExceptionNamingTheMessage(string body, string reason)
    {
        var act = () => StreamNotificationConverter.FromMessageBody(body, "m-42");

        var exception = act.Should().Throw<NotificationFormatException>().Which;
        exception.MessageId.Should().Be("m-42");
        exception.Message.Should().StartWith("Message m-42: ").And.Contain(reason);
    }

    [Theory]
    [InlineData("not json", "is not JSON")]
    [InlineData("""{"StreamId":"2886e475-d5cc-40f7-aec5-401071388b3c"}""", "StreamType is missing")]
    [InlineData("""{"StreamId":"\ud800","StreamType":"order","StreamRevision":"1"}""", "StreamId is not valid Unicode text")]
    public void FromMessageBody_EnvelopeWithMalformedMessage_ThrowsNamingTheMessage(string message, string reason)
    {
        var act = () => StreamNotificationConverter.FromMessageBody(Envelope(message), "m-7");

        act.Should().Throw<NotificationFormatException>()
            .Where(e => e.MessageId == "m-7" && e.Message.Contains(reason, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"StreamId":"\ud800","StreamType":"order","StreamRevision":"1"}""", "StreamId is not valid Unicode text")]
    [InlineData("""{"StreamId":"2886e475-d5cc-40f7-aec5-401071388b3c","StreamType":"ord\udc00er","StreamRevision":"1"}""", "StreamType is not valid Unicode text")]
    [InlineData("""{"StreamId":"2886e475-d5cc-40f7-aec5-401071388b3c","StreamType":"order","StreamRevision":"\ud800"}""", """StreamRevision "\ud800" is not a positive integer""")]
    [InlineData("""{"streamid":"\ud800\ud800","STREAMTYPE":"\udfff","streamRevision":"1"}""", "StreamId is not valid Unicode text; StreamType is not valid Unicode text")]
    [InlineData("""{"Type":"Notification","MessageId":"sns-1","Message":"\ud800"}""", "The SNS envelope's Message is not valid Unicode text")]
    public void FromMessageBody_MemberNotValidText_ThrowsNotificationFormatExceptionNamingTheMessage(string body, string reason)
    {
        var act = () => StreamNotificationConverter.FromMessageBody(body, "m-42");

        var exception = act.Should().Throw<NotificationFormatException>().Which;
        exception.MessageId.Should().Be("m-42");
        exception.Message.Should().Contain(reason);
    }

    [Fact]
    public void FromMessageBody_LoneSurrogateCharacter_ThrowsNotificationFormatExceptionNamingTheMessage()
    {
        // A real lone surrogate in the string, not an escape: it has no UTF-8 form.
        var act = () => StreamNotificationConverter.FromMessageBody("{\"StreamId\":\"\ud800\",\"StreamType\":\"order\",\"StreamRevision\":\"1\"}", "m-42");

        act.Should().Throw<NotificationFormatException>()
            .Where(e => e.MessageId == "m-42" && e.Message.Contains("The message body is not valid UTF-16 text", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"\ud800":1,"streamId":"2886e475-d5cc-40f7-aec5-401071388b3c","streamType":"test-stream-type","streamRevision":"18","Extra":"\udc00"}""")]
    [InlineData("""{"Type":"Notification","\ud800":"x","Signature":"\udc00","Message":"{\"StreamId\":\"2886e475-d5cc-40f7-aec5-401071388b3c\",\"StreamType\":\"test-stream-type\",\"StreamRevision\":18,\"\\ud800\":2}"}""")]
    public void FromMessageBody_UnknownMemberNotValidText_IgnoresIt(string body)
    {
        StreamNotificationConverter.FromMessageBody(body, "m-1").Should().Be(Expected);
    }

    [Fact]
    public void FromMessageBody_LoneSurrogateInAnyString_ReadsOrThrowsOnlyNotificationFormatException()
    {
        var lowerCase = Raw.Replace("\"Stream", "\"stream", StringComparison.Ordinal);
        var bodies = JsonStrings.EachReplacedBy(Raw, JsonStrings.LoneSurrogate)
            .Concat(JsonStrings.EachReplacedBy(lowerCase, JsonStrings.LoneSurrogate))
            .Concat(JsonStrings.EachReplacedBy(Envelope(Raw), JsonStrings.LoneSurrogate))
            .Concat(JsonStrings.EachReplacedBy(Raw, JsonStrings.LoneSurrogate).Select(Envelope))
            .ToList();

        var unexpected = bodies
            .Select(body => (Body: body, Error: Record.Exception(() => StreamNotificationConverter.FromMessageBody(body, "m-1"))))
            .Where(outcome => outcome.Error is not (null or NotificationFormatException { MessageId: "m-1" }))
            .Select(outcome => $"{outcome.Body}: {outcome.Error}");

        unexpected.Should().BeEmpty("a body that is no text is a malformed message like any other");
    }

    public static TheoryData<string, string> DeepAndHugeBodies => new()
    {
        { $$"""{"Extra":{{new string('[', 100)}}{{new string(']', 100)}},"StreamId":"2886e475-d5cc-40f7-aec5-401071388b3c","StreamType":"a","StreamRevision":"1"}""", "is not JSON" },
        { $$"""{"StreamId":"{{new string('x', 1_000_000)}}","StreamType":"a","StreamRevision":"1"}""", "is not a UUID" },
        { $$"""{"StreamId":"2886e475-d5cc-40f7-aec5-401071388b3c","StreamType":"a","StreamRevision":{{new string('9', 100_000)}}}""", "is not a positive integer" },
    };

    [Theory]
    [MemberData(nameof(DeepAndHugeBodies))]
    public void FromMessageBody_DeepOrHuge_ThrowsNotificationFormatExceptionWithAShortMessage(string body, string reason)
    {
        var act = () => StreamNotificationConverter.FromMessageBody(body, "m-9");

        var exception = act.Should().Throw<NotificationFormatException>().Which;
        exception.MessageId.Should().Be("m-9");
        exception.Message.Should().Contain(reason);
        exception.Message.Length.Should().BeLessThan(400, "a log line shows a cut of the offending value, not all of it");
    }

    [Fact]
    public void FromMessageBody_EnvelopeWithoutSqsMessageId_NamesTheSnsMessageId()
    {
        var act = () => StreamNotificationConverter.FromMessageBody(Envelope("{}"));

        act.Should().Throw<NotificationFormatException>().Which.MessageId.Should().Be("sns-1");
    }

    [Fact]
    public void FromMessageBody_EnvelopeMessageIdNotValidText_ThrowsWithoutAMessageId()
    {
        var act = () => StreamNotificationConverter.FromMessageBody(Envelope("{}").Replace("sns-1", JsonStrings.LoneSurrogate, StringComparison.Ordinal));

        var exception = act.Should().Throw<NotificationFormatException>().Which;
        exception.MessageId.Should().BeNull();
        exception.Message.Should().Contain("StreamId is missing");
    }

    [Fact]
    public void FromMessageBody_NoMessageId_ThrowsWithoutOne()
    {
        var act = () => StreamNotificationConverter.FromMessageBody("{");

        var exception = act.Should().Throw<NotificationFormatException>().Which;
        exception.MessageId.Should().BeNull();
        exception.InnerException.Should().BeAssignableTo<System.Text.Json.JsonException>();
    }
}

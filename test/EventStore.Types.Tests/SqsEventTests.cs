using System.Text;
using System.Text.Json;

namespace ServerlessEventStore.Types.Tests;

public class SqsEventTests
{
    private const string Good = """{"StreamId":"2886e475-d5cc-40f7-aec5-401071388b3c","StreamType":"order","StreamRevision":"3"}""";
    private const string LoneSurrogateStreamId = """{"StreamId":"\ud800","StreamType":"order","StreamRevision":"3"}""";
    private const string Placeholder = "PLACEHOLDER";

    private static string Event(params (string Id, string? Body)[] records) => JsonSerializer.Serialize(new
    {
        Records = records.Select(r => new Dictionary<string, object?>
        {
            ["messageId"] = r.Id,
            ["receiptHandle"] = "rh-" + r.Id,
            ["body"] = r.Body,
            ["attributes"] = new Dictionary<string, string> { ["ApproximateReceiveCount"] = "2", ["SentTimestamp"] = "1700000000000" },
            ["messageAttributes"] = new Dictionary<string, object> { ["a"] = new { stringValue = "b", dataType = "String" } },
            ["md5OfBody"] = "x",
            ["eventSource"] = "aws:sqs",
            ["eventSourceARN"] = "arn:aws:sqs:us-east-1:000000000000:q",
            ["awsRegion"] = "us-east-1",
        }),
    });

    [Fact]
    public void ReadSqsEvent_Records_ReadsEachWithItsFields()
    {
        var records = StreamNotificationConverter.ReadSqsEvent(Event(("a", Good), ("b", MessageBodyTests.Envelope(Good))));

        records.Should().HaveCount(2);
        records[0].MessageId.Should().Be("a");
        records[0].ReceiptHandle.Should().Be("rh-a");
        records[0].EventSourceArn.Should().Be("arn:aws:sqs:us-east-1:000000000000:q");
        records[0].ApproximateReceiveCount.Should().Be(2);
        records[0].Attributes.Should().ContainKey("SentTimestamp");
        records.Select(r => r.ToNotification().StreamRevision).Should().Equal(3, 3);
    }

    [Fact]
    public async Task ReadSqsEventAsync_Stream_ReadsTheRecords()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(Event(("a", Good))));

        (await StreamNotificationConverter.ReadSqsEventAsync(stream)).Single().ToNotification().StreamType.Should().Be("order");
    }

    [Fact]
    public void ToNotification_OneMalformedRecord_FailsOnlyThatRecord()
    {
        var records = StreamNotificationConverter.ReadSqsEvent(Event(
            ("a", Good), ("b", "garbage"), ("c", null), ("d", Good), ("e", LoneSurrogateStreamId), ("f", MessageBodyTests.Envelope(LoneSurrogateStreamId))));

        var failed = new List<string>();
        foreach (var record in records)
        {
            try
            {
                record.ToNotification();
            }
            catch (NotificationFormatException exception)
            {
                exception.MessageId.Should().Be(record.MessageId);
                failed.Add(record.MessageId);
            }
        }

        failed.Should().Equal("b", "c", "e", "f");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ReadSqsEvent_OneBodyNotText_FailsOnlyThatRecord(bool utf8Stream)
    {
        var lambdaEvent = EventWithInvalidText(Event(("a", Good), ("b", Placeholder), ("c", Good)), utf8Stream);

        var records = await ReadAsync(lambdaEvent, utf8Stream);

        records.Select(r => r.MessageId).Should().Equal("a", "b", "c");
        records[0].ToNotification().StreamRevision.Should().Be(3);
        records[2].ToNotification().StreamRevision.Should().Be(3);
        records[1].Body.Should().BeNull();
        records[1].ReceiptHandle.Should().Be("rh-b");
        records[1].Invoking(r => r.ToNotification()).Should().Throw<NotificationFormatException>()
            .Where(e => e.MessageId == "b" && e.Message.Contains("body is not valid Unicode text", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ReadSqsEvent_MessageIdNotText_ThrowsNotificationFormatException(bool utf8Stream)
    {
        var lambdaEvent = EventWithInvalidText(Event(("a", Good), (Placeholder, Good)), utf8Stream);

        var act = () => ReadAsync(lambdaEvent, utf8Stream);

        (await act.Should().ThrowAsync<NotificationFormatException>()).Which.Message.Should().Contain("Record 1 of the Lambda SQS event has no messageId");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ReadSqsEvent_InvalidTextInAnyString_FailsOnlyWithNotificationFormatException(bool utf8Stream)
    {
        var json = Encoding.UTF8.GetBytes(Event(("a", Good), ("b", MessageBodyTests.Envelope(Good))));
        var events = utf8Stream
            ? JsonStrings.EachReplacedBy(json, JsonStrings.InvalidUtf8)
            : JsonStrings.EachReplacedBy(json, Encoding.UTF8.GetBytes(JsonStrings.LoneSurrogate));
        var unexpected = new List<string>();

        foreach (var lambdaEvent in events)
        {
            IReadOnlyList<SqsEventRecord> records = [];
            var error = await Record.ExceptionAsync(async () => records = await ReadAsync(lambdaEvent, utf8Stream));
            if (error is not (null or NotificationFormatException))
            {
                unexpected.Add($"{Encoding.UTF8.GetString(lambdaEvent)}: {error}");
            }

            foreach (var record in records)
            {
                var recordError = Record.Exception(() => record.ToNotification());
                if (recordError is not null && (recordError as NotificationFormatException)?.MessageId != record.MessageId)
                {
                    unexpected.Add($"{Encoding.UTF8.GetString(lambdaEvent)}, record {record.MessageId}: {recordError}");
                }
            }
        }

        unexpected.Should().BeEmpty("invalid text fails the event or its record with a NotificationFormatException, nothing else");
    }

    [Theory]
    [InlineData("nope", "is not JSON")]
    [InlineData("[]", "no Records array")]
    [InlineData("""{"Records":{}}""", "no Records array")]
    [InlineData("""{"records":[{"body":"x"}]}""", "Record 0 of the Lambda SQS event has no messageId")]
    [InlineData("""{"Records":[1]}""", "Record 0 of the Lambda SQS event has no messageId")]
    public void ReadSqsEvent_NotAnSqsEvent_ThrowsNotificationFormatException(string json, string reason)
    {
        var act = () => StreamNotificationConverter.ReadSqsEvent(json);

        act.Should().Throw<NotificationFormatException>().Which.Message.Should().Contain(reason);
    }

    /// <summary>The event with its placeholder replaced by text that is none: a lone surrogate escape, or invalid UTF-8.</summary>
    private static byte[] EventWithInvalidText(string lambdaEvent, bool utf8Stream)
    {
        var invalid = utf8Stream ? JsonStrings.InvalidUtf8 : Encoding.UTF8.GetBytes(JsonStrings.LoneSurrogate);
        var parts = lambdaEvent.Split(Placeholder).Select(Encoding.UTF8.GetBytes).ToList();
        parts.Should().HaveCountGreaterThan(1);
        return [.. parts.Skip(1).Aggregate((IEnumerable<byte>)parts[0], (json, part) => [.. json, .. invalid, .. part])];
    }

    /// <summary>Reads the event from a UTF-8 stream, or from a string (only where its bytes are UTF-8).</summary>
    private static async Task<IReadOnlyList<SqsEventRecord>> ReadAsync(byte[] lambdaEvent, bool utf8Stream)
    {
        if (!utf8Stream)
        {
            return StreamNotificationConverter.ReadSqsEvent(Encoding.UTF8.GetString(lambdaEvent));
        }

        using var stream = new MemoryStream(lambdaEvent);
        return await StreamNotificationConverter.ReadSqsEventAsync(stream);
    }

    [Fact]
    public void ReadSqsEvent_EmptyRecords_ReturnsNone()
    {
        StreamNotificationConverter.ReadSqsEvent("""{"Records":[]}""").Should().BeEmpty();
    }

    [Fact]
    public void CreateBatchResponse_FailedIds_WritesExactlyLambdasShape()
    {
        StreamNotificationConverter.CreateBatchResponse(["b", "c\"d"])
            .Should().Be("""{"batchItemFailures":[{"itemIdentifier":"b"},{"itemIdentifier":"c\u0022d"}]}""");
    }

    [Fact]
    public void CreateBatchResponse_NoFailures_WritesAnEmptyList()
    {
        StreamNotificationConverter.CreateBatchResponse([]).Should().Be("""{"batchItemFailures":[]}""");
    }
}

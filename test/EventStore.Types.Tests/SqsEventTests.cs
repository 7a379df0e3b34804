using System.Text;
using System.Text.Json;

namespace EventStore.Types.Tests;

public class SqsEventTests
{
    private const string Good = """{"StreamId":"2886e475-d5cc-40f7-aec5-401071388b3c","StreamType":"order","StreamRevision":"3"}""";

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
        var records = StreamNotificationConverter.ReadSqsEvent(Event(("a", Good), ("b", "garbage"), ("c", null), ("d", Good)));

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

        failed.Should().Equal("b", "c");
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

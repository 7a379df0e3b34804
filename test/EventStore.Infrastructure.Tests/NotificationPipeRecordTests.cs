using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ServerlessEventStore.Types;

namespace EventStore.Infrastructure.Tests;

/// <summary>
/// The two pipes' filters and templates applied to DynamoDB stream records as the store writes them: every stream header
/// record goes to exactly one pipe (appends to the append pipe, deletes and truncations to the change pipe), nothing else
/// to either, and what each pipe publishes reads, with the consumers' converter, as the notification of that record.
/// </summary>
public sealed partial class NotificationPipeRecordTests
{
    private const string StreamId = "2886e475-d5cc-40f7-aec5-401071388b3c";

    public static TheoryData<string, string, StreamNotification> HeaderRecords => new()
    {
        { "INSERT", """{"StreamRevision":{"N":"1"},"UpdatedAt":{"S":"2024-01-01T00:00:00.0000000Z"}}""", Notification(1) },
        { "MODIFY", """{"StreamRevision":{"N":"18"},"UpdatedAt":{"S":"2024-01-01T00:00:00.0000000Z"}}""", Notification(18) },
        { "MODIFY", """{"StreamRevision":{"N":"9"},"UpdatedAt":{"S":"2024-01-01T00:00:00.0000000Z"},"TruncatedBefore":{"N":"4"}}""", Notification(9) },
        { "MODIFY", """{"StreamRevision":{"N":"9"},"LastChange":{"S":"truncated"},"TruncatedBefore":{"N":"4"}}""", Notification(9, StreamChange.Truncated, 4) },
        { "MODIFY", """{"StreamRevision":{"N":"9"},"LastChange":{"S":"deleted"},"Deleted":{"S":"soft"},"DeletedAt":{"S":"2024-01-02T00:00:00.0000000Z"}}""", Notification(9, StreamChange.Deleted) },
        { "MODIFY", """{"StreamRevision":{"N":"9"},"LastChange":{"S":"deleted"},"Deleted":{"S":"hard"},"TruncatedBefore":{"N":"4"}}""", Notification(9, StreamChange.Deleted) },
        { "MODIFY", """{"StreamRevision":{"N":"9"},"LastChange":{"S":"archived"}}""", Notification(9, new StreamChange("archived")) },
    };

    [Theory]
    [MemberData(nameof(HeaderRecords))]
    public void HeaderRecord_GoesToExactlyOnePipe_WhoseMessageReadsAsItsNotification(string eventName, string attributes, StreamNotification expected)
    {
        var record = Record(eventName, Header(attributes));

        var pipes = Pipes().Where(pipe => Matches(JsonNode.Parse(pipe.Filter)!, record)).ToList();

        pipes.Should().ContainSingle().Which.Name.Should().Be(expected.Change == StreamChange.Appended ? "append" : "change");
        var message = Render(pipes[0].Template, record);
        StreamNotificationConverter.FromMessageBody(message).Should().Be(expected);
        if (expected.Change == StreamChange.Appended)
        {
            message.Should().Be(StreamNotificationConverter.ToMessageBody(expected), "an append's message is the original's");
        }
    }

    [Theory]
    [InlineData("INSERT", """{"RecordType":{"S":"event"},"EventType":{"S":"order-placed"},"Payload":{"S":"{}"}}""")]
    [InlineData("INSERT", """{"RecordType":{"S":"append"},"EventId":{"S":"a1a1a1a1-0000-4000-8000-000000000002"}}""")]
    [InlineData("REMOVE", null)]
    public void OtherRecord_GoesToNoPipe(string eventName, string? image)
    {
        var record = Record(eventName, image is null ? null : JsonNode.Parse($$"""{"PK":{"S":"{{StreamId}}"},"SK":{"N":"3"},{{image[1..]}}""")!.AsObject());

        Pipes().Where(pipe => Matches(JsonNode.Parse(pipe.Filter)!, record)).Should().BeEmpty();
    }

    private static StreamNotification Notification(int revision, StreamChange change = default, int? truncatedBefore = null) =>
        new(Guid.Parse(StreamId), "order", revision, change, truncatedBefore);

    private static (string Name, string Filter, string Template)[] Pipes() =>
    [
        ("append", NotificationPipe.AppendRecordFilter, NotificationPipe.MessageTemplate),
        ("change", NotificationPipe.ChangeRecordFilter, NotificationPipe.ChangeMessageTemplate),
    ];

    private static JsonObject Header(string attributes) =>
        JsonNode.Parse($$"""{"PK":{"S":"{{StreamId}}"},"SK":{"N":"0"},"RecordType":{"S":"stream"},"StreamType":{"S":"order"},{{attributes[1..]}}""")!.AsObject();

    /// <summary>A DynamoDB stream record as a pipe receives it (new images only).</summary>
    private static JsonObject Record(string eventName, JsonObject? newImage)
    {
        var dynamodb = new JsonObject { ["Keys"] = new JsonObject(), ["StreamViewType"] = "NEW_IMAGE" };
        if (newImage is not null)
        {
            dynamodb["NewImage"] = newImage;
        }

        return new JsonObject { ["eventName"] = eventName, ["eventSource"] = "aws:dynamodb", ["dynamodb"] = dynamodb };
    }

    /// <summary>
    /// The part of EventBridge's pattern matching the filters use: objects nest, an array lists what a leaf may be (a
    /// string, or <c>{"exists":…}</c>, which tests whether the leaf is there — leaves only, as Lambda's "Using event
    /// filtering with a DynamoDB event source" explains for the attributes of a stream record).
    /// </summary>
    private static bool Matches(JsonNode pattern, JsonNode? value) => pattern switch
    {
        JsonObject fields => fields.All(field => Matches(field.Value!, value is JsonObject record ? record[field.Key] : null)),
        JsonArray allowed => allowed.Any(option => option switch
        {
            JsonObject { Count: 1 } exists when exists["exists"] is JsonValue present => present.GetValue<bool>() == value is JsonValue,
            JsonValue literal => value is JsonValue leaf && leaf.ToJsonString() == literal.ToJsonString(),
            _ => throw new NotSupportedException(option!.ToJsonString()),
        }),
        _ => throw new NotSupportedException(pattern.ToJsonString()),
    };

    /// <summary>
    /// The template with each <c>&lt;$.path&gt;</c> replaced by the record's value there; a path the record lacks gives
    /// nothing (as EventBridge rules leave out a variable whose path is missing), the case of a deleted stream's
    /// <c>TruncatedBefore</c>, which consumers ignore.
    /// </summary>
    private static string Render(string template, JsonNode record) => Placeholder().Replace(template, match =>
        match.Groups["path"].Value.Split('.').Aggregate<string, JsonNode?>(record, (node, name) => node is JsonObject fields ? fields[name] : null)
            is JsonValue value ? value.GetValue<string>() : string.Empty);

    [GeneratedRegex(@"<\$\.(?<path>[A-Za-z0-9_.]+)>")]
    private static partial Regex Placeholder();
}

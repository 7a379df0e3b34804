using System.Text;
using System.Text.Json;

namespace EventStore.Types;

/// <summary>
/// Converts what SQS and Lambda hand a consumer into <see cref="StreamNotification"/>s: an SQS message body, whether SNS
/// wrapped the notification in its envelope or delivered it raw (raw message delivery); a Lambda SQS event document; and
/// back, the partial-batch-failure response a Lambda returns.
/// </summary>
/// <remarks>
/// Malformed input never yields <see langword="null"/>: it fails with a <see cref="NotificationFormatException"/> that
/// names the message id when it is known.
/// </remarks>
public static class StreamNotificationConverter
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    /// <summary>
    /// Reads the notification in an SQS message body: the notification JSON itself, or an SNS envelope
    /// (<c>{"Type":"Notification","MessageId":…,"TopicArn":…,"Message":"&lt;the notification as a string&gt;",…}</c>).
    /// </summary>
    /// <param name="body">The message body.</param>
    /// <param name="messageId">The SQS message id, named in the exception when the body is malformed.</param>
    /// <returns>The notification.</returns>
    /// <exception cref="NotificationFormatException">
    /// The body is not JSON, is an envelope without a string <c>Message</c>, or is not a stream notification.
    /// </exception>
    public static StreamNotification FromMessageBody(string body, string? messageId = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        using var document = Parse(body, messageId, "The message body");
        var root = document.RootElement;
        if (!IsSnsEnvelope(root))
        {
            return StreamNotificationJsonConverter.FromElement(root, messageId);
        }

        if (!root.TryGetProperty("Message", out var message) || message.ValueKind != JsonValueKind.String)
        {
            throw new NotificationFormatException("The SNS envelope has no string Message.", messageId ?? EnvelopeMessageId(root));
        }

        using var inner = Parse(message.GetString()!, messageId ?? EnvelopeMessageId(root), "The SNS envelope's Message");
        return StreamNotificationJsonConverter.FromElement(inner.RootElement, messageId ?? EnvelopeMessageId(root));
    }

    /// <summary>
    /// Writes the notification as a message body: <c>{"StreamId":"…","StreamType":"…","StreamRevision":"18"}</c>, the
    /// original's shape.
    /// </summary>
    /// <param name="notification">The notification.</param>
    /// <returns>The JSON.</returns>
    public static string ToMessageBody(StreamNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        return JsonSerializer.Serialize(notification);
    }

    /// <summary>
    /// Reads the records of a Lambda SQS event document (<c>{"Records":[{"messageId":…,"body":…,…}]}</c>). Records are
    /// not converted here: call <see cref="SqsEventRecord.ToNotification"/> on each, so one malformed record fails only
    /// itself.
    /// </summary>
    /// <param name="lambdaEventJson">The event document Lambda passed to the function.</param>
    /// <returns>The records, in the event's order.</returns>
    /// <exception cref="NotificationFormatException">
    /// The document is not JSON, has no <c>Records</c> array, or a record has no <c>messageId</c> (without it no
    /// failure could be reported for the record, so the whole event fails).
    /// </exception>
    public static IReadOnlyList<SqsEventRecord> ReadSqsEvent(string lambdaEventJson)
    {
        ArgumentNullException.ThrowIfNull(lambdaEventJson);
        using var document = Parse(lambdaEventJson, messageId: null, "The Lambda SQS event");
        return ReadRecords(document.RootElement);
    }

    /// <summary>
    /// Reads the records of a Lambda SQS event document from UTF-8 JSON without blocking, e.g. from the body of the HTTP
    /// request by which the AWS Lambda Web Adapter forwards the event; see <see cref="ReadSqsEvent(string)"/>.
    /// </summary>
    /// <param name="lambdaEvent">The event document Lambda passed to the function, as UTF-8 JSON.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The records, in the event's order.</returns>
    /// <exception cref="NotificationFormatException">The document is not a Lambda SQS event.</exception>
    public static async Task<IReadOnlyList<SqsEventRecord>> ReadSqsEventAsync(Stream lambdaEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lambdaEvent);
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(lambdaEvent, DocumentOptions, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException exception)
        {
            throw new NotificationFormatException($"The Lambda SQS event is not JSON: {exception.Message}", exception);
        }

        using (document)
        {
            return ReadRecords(document.RootElement);
        }
    }

    /// <summary>
    /// Creates the partial-batch-failure response of a Lambda SQS handler (with <c>ReportBatchItemFailures</c> enabled on
    /// its event source mapping): <c>{"batchItemFailures":[{"itemIdentifier":"&lt;messageId&gt;"}]}</c>. Lambda deletes the
    /// other messages and leaves these for redelivery and the dead-letter queue; an empty list means all succeeded.
    /// </summary>
    /// <param name="failedMessageIds">The message ids of the records that failed.</param>
    /// <returns>The JSON to return from the function.</returns>
    public static string CreateBatchResponse(IEnumerable<string> failedMessageIds)
    {
        ArgumentNullException.ThrowIfNull(failedMessageIds);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("batchItemFailures");
            foreach (var messageId in failedMessageIds)
            {
                writer.WriteStartObject();
                writer.WriteString("itemIdentifier", messageId);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static bool IsSnsEnvelope(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object
        && root.TryGetProperty("Type", out var type)
        && type.ValueKind == JsonValueKind.String
        && type.ValueEquals("Notification");

    private static string? EnvelopeMessageId(JsonElement envelope) =>
        envelope.TryGetProperty("MessageId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;

    private static JsonDocument Parse(string json, string? messageId, string what)
    {
        try
        {
            return JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException exception)
        {
            throw new NotificationFormatException($"{what} is not JSON: {exception.Message}", messageId, exception);
        }
    }

    private static List<SqsEventRecord> ReadRecords(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object
            || !StreamNotificationJsonConverter.TryGetMember(root, "Records", out var records)
            || records.ValueKind != JsonValueKind.Array)
        {
            throw new NotificationFormatException("The Lambda SQS event has no Records array.");
        }

        var result = new List<SqsEventRecord>(records.GetArrayLength());
        var index = 0;
        foreach (var record in records.EnumerateArray())
        {
            var messageId = record.ValueKind == JsonValueKind.Object ? GetString(record, "messageId") : null;
            if (string.IsNullOrEmpty(messageId))
            {
                throw new NotificationFormatException($"Record {index} of the Lambda SQS event has no messageId.");
            }

            result.Add(new SqsEventRecord(
                messageId,
                GetString(record, "body"),
                GetString(record, "receiptHandle"),
                GetString(record, "eventSourceARN"),
                GetStringMembers(record, "attributes")));
            index++;
        }

        return result;
    }

    private static string? GetString(JsonElement element, string name) =>
        StreamNotificationJsonConverter.TryGetMember(element, name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static Dictionary<string, string> GetStringMembers(JsonElement element, string name)
    {
        var members = new Dictionary<string, string>(StringComparer.Ordinal);
        if (StreamNotificationJsonConverter.TryGetMember(element, name, out var value) && value.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in value.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.String)
                {
                    members[property.Name] = property.Value.GetString()!;
                }
            }
        }

        return members;
    }
}

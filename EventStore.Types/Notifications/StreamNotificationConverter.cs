using System.Text;
using System.Text.Json;

namespace ServerlessEventStore.Types;

/// <summary>
/// Converts what SQS and Lambda hand a consumer into <see cref="StreamNotification"/>s: an SQS message body, whether SNS
/// wrapped the notification in its envelope or delivered it raw (raw message delivery); a Lambda SQS event document; and
/// back, the partial-batch-failure response a Lambda returns.
/// </summary>
/// <remarks>
/// Malformed input never yields <see langword="null"/> and never another exception: it fails with a
/// <see cref="NotificationFormatException"/> that names the message id when it is known. That includes JSON that spells
/// no text: an escaped lone surrogate (<c>"\ud800"</c>) in any member, invalid UTF-8 bytes in a stream, a lone surrogate
/// in a <see cref="string"/>, and JSON nested deeper than 64 levels.
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
    /// The body is not JSON, is an envelope without a string <c>Message</c>, or is not a stream notification; this is the
    /// only exception a malformed body causes.
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

        messageId ??= EnvelopeMessageId(root);
        if (!StreamNotificationJsonConverter.TryGetMember(root, "Message", out var message, StringComparison.Ordinal)
            || message.ValueKind != JsonValueKind.String)
        {
            throw new NotificationFormatException("The SNS envelope has no string Message.", messageId);
        }

        if (!StreamNotificationJsonConverter.TryGetText(message, out var notification))
        {
            throw new NotificationFormatException("The SNS envelope's Message is not valid Unicode text.", messageId);
        }

        using var inner = Parse(notification, messageId, "The SNS envelope's Message");
        return StreamNotificationJsonConverter.FromElement(inner.RootElement, messageId);
    }

    /// <summary>
    /// Writes the notification as a message body: for an append <c>{"StreamId":"…","StreamType":"…","StreamRevision":"18"}</c>,
    /// the original's shape; a deletion adds <c>"Change":"deleted"</c>, a truncation
    /// <c>"Change":"truncated","TruncatedBefore":"5"</c>.
    /// </summary>
    /// <param name="notification">The notification.</param>
    /// <returns>The JSON.</returns>
    public static string ToMessageBody(StreamNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        return JsonSerializer.Serialize(notification, EventStoreJsonContext.Default.StreamNotification);
    }

    /// <summary>
    /// Reads the records of a Lambda SQS event document (<c>{"Records":[{"messageId":…,"body":…,…}]}</c>). Records are
    /// not converted here: call <see cref="SqsEventRecord.ToNotification"/> on each, so one malformed record fails only
    /// itself.
    /// </summary>
    /// <param name="lambdaEventJson">The event document Lambda passed to the function.</param>
    /// <returns>The records, in the event's order.</returns>
    /// <exception cref="NotificationFormatException">
    /// The document is not JSON, has no <c>Records</c> array, or a record has no <c>messageId</c> that is text (without
    /// it no failure could be reported for the record, so the whole event fails). A record whose body is malformed, even
    /// one that is no text, fails only itself, in <see cref="SqsEventRecord.ToNotification"/>.
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
    /// <exception cref="NotificationFormatException">
    /// The document is not a Lambda SQS event, as for <see cref="ReadSqsEvent(string)"/>. Invalid UTF-8 in a record's
    /// body fails only that record, in <see cref="SqsEventRecord.ToNotification"/>.
    /// </exception>
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
        && StreamNotificationJsonConverter.TryGetMember(root, "Type", out var type, StringComparison.Ordinal)
        && type.ValueKind == JsonValueKind.String
        && GetText(type) == "Notification";

    private static string? EnvelopeMessageId(JsonElement envelope) =>
        StreamNotificationJsonConverter.TryGetMember(envelope, "MessageId", out var id, StringComparison.Ordinal) && id.ValueKind == JsonValueKind.String
            ? GetText(id)
            : null;

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
        catch (ArgumentException exception)
        {
            // A lone surrogate in the string itself: it has no UTF-8 form for the parser to read.
            throw new NotificationFormatException($"{what} is not valid UTF-16 text.", messageId, exception);
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
                throw new NotificationFormatException($"Record {index} of the Lambda SQS event has no messageId that is text.");
            }

            var hasBody = StreamNotificationJsonConverter.TryGetMember(record, "body", out var body) && body.ValueKind == JsonValueKind.String;
            var bodyText = hasBody ? GetText(body) : null;
            result.Add(new SqsEventRecord(
                messageId,
                bodyText,
                hasBody && bodyText is null ? "The record's body is not valid Unicode text." : null,
                GetString(record, "receiptHandle"),
                GetString(record, "eventSourceARN"),
                GetStringMembers(record, "attributes")));
            index++;
        }

        return result;
    }

    /// <summary>The string member <paramref name="name"/>; null when missing, no string, or no text.</summary>
    private static string? GetString(JsonElement element, string name) =>
        StreamNotificationJsonConverter.TryGetMember(element, name, out var value) && value.ValueKind == JsonValueKind.String
            ? GetText(value)
            : null;

    private static string? GetText(JsonElement value) => StreamNotificationJsonConverter.TryGetText(value, out var text) ? text : null;

    private static Dictionary<string, string> GetStringMembers(JsonElement element, string name)
    {
        var members = new Dictionary<string, string>(StringComparer.Ordinal);
        if (StreamNotificationJsonConverter.TryGetMember(element, name, out var value) && value.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in value.EnumerateObject())
            {
                // Attributes that are no text are left out, like those that are no strings: none of them is needed.
                if (property.Value.ValueKind == JsonValueKind.String
                    && StreamNotificationJsonConverter.TryGetName(property, out var attribute)
                    && StreamNotificationJsonConverter.TryGetText(property.Value, out var text))
                {
                    members[attribute] = text;
                }
            }
        }

        return members;
    }
}

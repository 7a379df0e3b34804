using System.Globalization;
using System.Text.Json;
using Amazon.SQS.Model;
using ServerlessEventStore.Types;

namespace EventStore.Testing;

/// <summary>
/// A message received by <see cref="TestQueue"/>: its SQS identity, its body and, read from it with the product's
/// <see cref="StreamNotificationConverter"/>, the stream notification (or why there is none). When SNS delivered it in
/// its envelope, also what the envelope carries: the topic, the published message and its message attributes.
/// </summary>
public sealed class QueueMessage
{
    private QueueMessage(string messageId, string receiptHandle, int receiveCount, string body)
    {
        MessageId = messageId;
        ReceiptHandle = receiptHandle;
        ReceiveCount = receiveCount;
        Body = body;
        Message = body;
        try
        {
            Notification = StreamNotificationConverter.FromMessageBody(body, messageId);
        }
        catch (NotificationFormatException exception)
        {
            FormatError = exception;
        }

        ReadEnvelope();
    }

    /// <summary>The SQS message id.</summary>
    public string MessageId { get; }

    /// <summary>The receipt handle of this delivery.</summary>
    public string ReceiptHandle { get; }

    /// <summary>How often the message has been received, this time included.</summary>
    public int ReceiveCount { get; }

    /// <summary>The body as SQS holds it: an SNS envelope, or what was sent or published itself.</summary>
    public string Body { get; }

    /// <summary>Whether the body is an SNS envelope (a subscription without raw message delivery).</summary>
    public bool IsEnvelope { get; private set; }

    /// <summary>What was published or sent: the envelope's <c>Message</c>, or the body itself when there is no envelope.</summary>
    public string Message { get; private set; }

    /// <summary>The topic that published it; <see langword="null"/> without an envelope.</summary>
    public string? TopicArn { get; private set; }

    /// <summary>The SNS message attributes in the envelope by name (e.g. <c>StreamType</c>); empty without an envelope.</summary>
    public IReadOnlyDictionary<string, EnvelopeAttributeValue> MessageAttributes { get; private set; } = new Dictionary<string, EnvelopeAttributeValue>();

    /// <summary>The stream notification; <see langword="null"/> when the body is none (see <see cref="FormatError"/>).</summary>
    public StreamNotification? Notification { get; }

    /// <summary>Why the body is no stream notification; <see langword="null"/> when it is one.</summary>
    public NotificationFormatException? FormatError { get; }

    /// <inheritdoc />
    public override string ToString() => $"{MessageId}: {Message}";

    internal static QueueMessage From(Message message)
    {
        var receiveCount = message.Attributes is { } attributes && attributes.TryGetValue("ApproximateReceiveCount", out var count)
            ? int.Parse(count, CultureInfo.InvariantCulture)
            : 1;
        return new QueueMessage(message.MessageId, message.ReceiptHandle, receiveCount, message.Body ?? string.Empty);
    }

    private void ReadEnvelope()
    {
        JsonDocument envelope;
        try
        {
            envelope = JsonDocument.Parse(Body);
        }
        catch (JsonException)
        {
            return;
        }

        using (envelope)
        {
            var root = envelope.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("Type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "Notification"
                || !root.TryGetProperty(nameof(Message), out var published) || published.ValueKind != JsonValueKind.String)
            {
                return;
            }

            // The envelope's members are named as these properties are.
            IsEnvelope = true;
            Message = published.GetString()!;
            TopicArn = root.TryGetProperty(nameof(TopicArn), out var topic) && topic.ValueKind == JsonValueKind.String ? topic.GetString() : null;
            if (root.TryGetProperty(nameof(MessageAttributes), out var attributes) && attributes.ValueKind == JsonValueKind.Object)
            {
                MessageAttributes = attributes.EnumerateObject().ToDictionary(
                    attribute => attribute.Name,
                    attribute => new EnvelopeAttributeValue(Text(attribute.Value, "Type"), Text(attribute.Value, "Value")),
                    StringComparer.Ordinal);
            }
        }
    }

    private static string Text(JsonElement attribute, string name) =>
        attribute.ValueKind == JsonValueKind.Object && attribute.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : string.Empty;
}

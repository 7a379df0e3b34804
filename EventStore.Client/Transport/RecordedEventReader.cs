using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using ServerlessEventStore.Types;

namespace ServerlessEventStore.Client.Generated;

/// <summary>
/// Reads the events of the server's answers (pages, the last event, subscriptions) straight off the reader: the same
/// <see cref="RecordedEvent"/> the source-generated metadata makes — members by their exact names, unknown members
/// skipped, the last of a repeated member kept, a missing one left at its default, payload and metadata values held as
/// their bytes — at about half its cost per event. The metadata's way goes through the seven-argument constructor
/// with its arguments boxed into an array, and looks each member up by name; that was most of what the client spent
/// beyond reading the JSON itself (README, Performance: reads at page size 100). Writing is the metadata's.
/// </summary>
internal sealed class RecordedEventReader : JsonConverter<RecordedEvent>
{
    // Writing, which the client does not do with events, is left to the contract's metadata as it is.
    private static readonly JsonTypeInfo<RecordedEvent> Contract = (JsonTypeInfo<RecordedEvent>)new JsonSerializerOptions
    {
        TypeInfoResolver = EventStoreJson.TypeInfoResolver,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new RawJsonElementConverter() },
    }.GetTypeInfo(typeof(RecordedEvent));

    public override RecordedEvent Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"An event is a JSON object, not {reader.TokenType}.");
        }

        var createdAt = default(DateTimeOffset);
        Guid? eventId = null;
        string? eventType = null;
        Dictionary<string, JsonElement>? metadata = null;
        var payload = default(JsonElement);
        var revision = 0;
        var streamId = default(Guid);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("streamId"u8))
            {
                reader.Read();
                streamId = reader.GetGuid();
            }
            else if (reader.ValueTextEquals("revision"u8))
            {
                reader.Read();
                revision = reader.GetInt32();
            }
            else if (reader.ValueTextEquals("eventId"u8))
            {
                reader.Read();
                eventId = reader.TokenType == JsonTokenType.Null ? null : reader.GetGuid();
            }
            else if (reader.ValueTextEquals("eventType"u8))
            {
                reader.Read();
                eventType = reader.GetString();
            }
            else if (reader.ValueTextEquals("payload"u8))
            {
                reader.Read();
                payload = JsonElement.ParseValue(ref reader);
            }
            else if (reader.ValueTextEquals("createdAt"u8))
            {
                reader.Read();
                createdAt = reader.GetDateTimeOffset();
            }
            else if (reader.ValueTextEquals("metadata"u8))
            {
                reader.Read();
                metadata = ReadMetadata(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return new RecordedEvent(createdAt, eventId, eventType!, metadata, payload, revision, streamId);
    }

    public override void Write(Utf8JsonWriter writer, RecordedEvent value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, Contract);

    private static Dictionary<string, JsonElement>? ReadMetadata(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"An event's metadata is a JSON object, not {reader.TokenType}.");
        }

        var metadata = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            reader.Read();
            metadata[key] = JsonElement.ParseValue(ref reader);
        }

        return metadata;
    }
}

using System.Buffers;
using System.Text.Json;

namespace ServerlessEventStore.Types;

/// <summary>An event stored in a stream.</summary>
public sealed partial class RecordedEvent
{
    /// <summary>
    /// Reads the payload as <typeparamref name="T"/> with System.Text.Json. A payload stored as a JSON string that holds
    /// JSON (as the original Go clients send it) is read from the JSON inside the string, unless <typeparamref name="T"/>
    /// is <see cref="string"/>.
    /// </summary>
    /// <typeparam name="T">Type to read the payload as.</typeparam>
    /// <param name="options">Serializer options; <see cref="EventStoreJson.Options"/> when omitted.</param>
    /// <returns>The payload, or <see langword="default"/> when the payload is JSON <c>null</c>.</returns>
    /// <exception cref="JsonException">The payload is not a <typeparamref name="T"/>.</exception>
    public T? GetPayload<T>(JsonSerializerOptions? options = null)
    {
        options ??= EventStoreJson.Options;
        if (Payload.ValueKind == JsonValueKind.String && typeof(T) != typeof(string))
        {
            return JsonSerializer.Deserialize<T>(Payload.GetString()!, options);
        }

        return Payload.Deserialize<T>(options);
    }

    /// <summary>
    /// Reads the metadata as <typeparamref name="T"/> with System.Text.Json: the JSON object of <see cref="Metadata"/>,
    /// e.g. as given to <see cref="NewEvent.Create{T}"/> as <c>new { CorrelationId = id }</c>.
    /// </summary>
    /// <typeparam name="T">Type to read the metadata as.</typeparam>
    /// <param name="options">Serializer options; <see cref="EventStoreJson.Options"/> when omitted.</param>
    /// <returns>The metadata, or <see langword="default"/> when the event has none.</returns>
    /// <exception cref="JsonException">The metadata is not a <typeparamref name="T"/>.</exception>
    public T? GetMetadata<T>(JsonSerializerOptions? options = null)
    {
        if (Metadata is null)
        {
            return default;
        }

        var json = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in Metadata)
            {
                writer.WritePropertyName(name);
                value.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        return JsonSerializer.Deserialize<T>(json.WrittenSpan, options ?? EventStoreJson.Options);
    }
}

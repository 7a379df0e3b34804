using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

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
    /// <remarks>
    /// <typeparamref name="T"/> is read by reflection, which trimmed and Native AOT apps do not allow: there, use
    /// <see cref="GetPayload{T}(JsonTypeInfo{T})"/> with source-generated metadata.
    /// </remarks>
    [RequiresUnreferencedCode(ReflectionJson.UnreferencedCode)]
    [RequiresDynamicCode(ReflectionJson.DynamicCode)]
    [SuppressMessage("ApiDesign", "RS0027", Justification = "System.Text.Json's own pair: options, or a JsonTypeInfo in their place.")]
    public T? GetPayload<T>(JsonSerializerOptions? options = null)
    {
        options ??= EventStoreJson.Options;
        return HoldsJsonInString<T>() ? JsonSerializer.Deserialize<T>(Payload.GetString()!, options) : Payload.Deserialize<T>(options);
    }

    /// <summary>
    /// Reads the payload as <typeparamref name="T"/> with System.Text.Json's source-generated
    /// <paramref name="typeInfo"/>, without reflection (for trimmed and Native AOT apps). A payload stored as a JSON
    /// string that holds JSON (as the original Go clients send it) is read from the JSON inside the string, unless
    /// <typeparamref name="T"/> is <see cref="string"/>.
    /// </summary>
    /// <typeparam name="T">Type to read the payload as.</typeparam>
    /// <param name="typeInfo">
    /// Metadata of <typeparamref name="T"/>, e.g. <c>MyEventsJsonContext.Default.OrderPlaced</c> of a
    /// <see cref="System.Text.Json.Serialization.JsonSerializerContext"/> of yours.
    /// </param>
    /// <returns>The payload, or <see langword="default"/> when the payload is JSON <c>null</c>.</returns>
    /// <exception cref="JsonException">The payload is not a <typeparamref name="T"/>.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="typeInfo"/> is null.</exception>
    public T? GetPayload<T>(JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return HoldsJsonInString<T>() ? JsonSerializer.Deserialize(Payload.GetString()!, typeInfo) : Payload.Deserialize(typeInfo);
    }

    /// <summary>
    /// Reads the metadata as <typeparamref name="T"/> with System.Text.Json: the JSON object of <see cref="Metadata"/>,
    /// e.g. as given to <see cref="NewEvent.Create{T}(string, T, Guid?, object?, JsonSerializerOptions?)"/> as
    /// <c>new { CorrelationId = id }</c>.
    /// </summary>
    /// <typeparam name="T">Type to read the metadata as.</typeparam>
    /// <param name="options">Serializer options; <see cref="EventStoreJson.Options"/> when omitted.</param>
    /// <returns>The metadata, or <see langword="default"/> when the event has none.</returns>
    /// <exception cref="JsonException">The metadata is not a <typeparamref name="T"/>.</exception>
    /// <remarks>
    /// <typeparamref name="T"/> is read by reflection, which trimmed and Native AOT apps do not allow: there, use
    /// <see cref="GetMetadata{T}(JsonTypeInfo{T})"/> with source-generated metadata.
    /// </remarks>
    [RequiresUnreferencedCode(ReflectionJson.UnreferencedCode)]
    [RequiresDynamicCode(ReflectionJson.DynamicCode)]
    [SuppressMessage("ApiDesign", "RS0027", Justification = "System.Text.Json's own pair: options, or a JsonTypeInfo in their place.")]
    public T? GetMetadata<T>(JsonSerializerOptions? options = null) =>
        Metadata is null ? default : JsonSerializer.Deserialize<T>(MetadataJson(Metadata), options ?? EventStoreJson.Options);

    /// <summary>
    /// Reads the metadata as <typeparamref name="T"/> with System.Text.Json's source-generated
    /// <paramref name="typeInfo"/>, without reflection (for trimmed and Native AOT apps): the JSON object of
    /// <see cref="Metadata"/>, e.g. as given to
    /// <see cref="NewEvent.Create{T, TMetadata}(string, T, JsonTypeInfo{T}, TMetadata, JsonTypeInfo{TMetadata}, Guid?)"/>.
    /// </summary>
    /// <typeparam name="T">Type to read the metadata as.</typeparam>
    /// <param name="typeInfo">Metadata of <typeparamref name="T"/>, from a source-generated context of yours.</param>
    /// <returns>The metadata, or <see langword="default"/> when the event has none.</returns>
    /// <exception cref="JsonException">The metadata is not a <typeparamref name="T"/>.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="typeInfo"/> is null.</exception>
    public T? GetMetadata<T>(JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return Metadata is null ? default : JsonSerializer.Deserialize(MetadataJson(Metadata), typeInfo);
    }

    // A payload held as a JSON string is read from the JSON inside it, unless it is read as text.
    private bool HoldsJsonInString<T>() => Payload.ValueKind == JsonValueKind.String && typeof(T) != typeof(string);

    private static ReadOnlySpan<byte> MetadataJson(IReadOnlyDictionary<string, JsonElement> metadata)
    {
        var json = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in metadata)
            {
                writer.WritePropertyName(name);
                value.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        return json.WrittenSpan;
    }
}

using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ServerlessEventStore.Types;

/// <summary>An event to append to a stream.</summary>
public sealed partial class NewEvent
{
    /// <summary>
    /// Creates an event whose payload is <paramref name="payload"/> serialized with System.Text.Json and whose id is
    /// <paramref name="eventId"/>, or a new random id, so that retrying the append that carries it is safe.
    /// </summary>
    /// <typeparam name="T">Type of the payload.</typeparam>
    /// <param name="eventType">Type of the event, telling readers how to read the payload.</param>
    /// <param name="payload">The event's data; any value System.Text.Json can serialize.</param>
    /// <param name="eventId">Idempotency key of the event; a new random id when omitted.</param>
    /// <param name="metadata">
    /// Optional metadata: correlation and causation ids and the like. Any object that System.Text.Json serializes to a
    /// JSON object, e.g. <c>new { CorrelationId = id }</c>, serialized with the payload's options; or an
    /// <see cref="IReadOnlyDictionary{TKey, TValue}"/> of <see cref="JsonElement"/>s, taken as it is (each value is sent
    /// as its own text). Read it back with <see cref="RecordedEvent.GetMetadata{T}(JsonSerializerOptions?)"/>.
    /// </param>
    /// <param name="options">Serializer options of payload and metadata; <see cref="EventStoreJson.Options"/> when omitted.</param>
    /// <returns>The new event.</returns>
    /// <exception cref="ArgumentException">
    /// <paramref name="eventType"/> is null or empty, or <paramref name="metadata"/> does not serialize to a JSON object
    /// (a string, a number, an array, null) or has a member twice.
    /// </exception>
    /// <remarks>
    /// Payload and metadata are serialized by reflection, which trimmed and Native AOT apps do not allow: there, use
    /// <see cref="Create{T}(string, T, JsonTypeInfo{T}, Guid?, IReadOnlyDictionary{string, JsonElement}?)"/> with
    /// source-generated metadata.
    /// </remarks>
    [RequiresUnreferencedCode(ReflectionJson.UnreferencedCode)]
    [RequiresDynamicCode(ReflectionJson.DynamicCode)]
    public static NewEvent Create<T>(
        string eventType,
        T payload,
        Guid? eventId = null,
        object? metadata = null,
        JsonSerializerOptions? options = null)
    {
        ThrowIfNoEventType(eventType);
        options ??= EventStoreJson.Options;
        var element = JsonSerializer.SerializeToElement(payload, options);
        return new NewEvent(eventId ?? Guid.NewGuid(), eventType, ToMetadata(metadata, options), element);
    }

    /// <summary>
    /// Creates an event whose payload is <paramref name="payload"/> serialized with System.Text.Json's source-generated
    /// <paramref name="payloadTypeInfo"/>, without reflection (for trimmed and Native AOT apps), and whose id is
    /// <paramref name="eventId"/>, or a new random id, so that retrying the append that carries it is safe.
    /// </summary>
    /// <typeparam name="T">Type of the payload.</typeparam>
    /// <param name="eventType">Type of the event, telling readers how to read the payload.</param>
    /// <param name="payload">The event's data.</param>
    /// <param name="payloadTypeInfo">
    /// Metadata of <typeparamref name="T"/>, e.g. <c>MyEventsJsonContext.Default.OrderPlaced</c> of a
    /// <see cref="System.Text.Json.Serialization.JsonSerializerContext"/> of yours; its options name the members.
    /// </param>
    /// <param name="eventId">Idempotency key of the event; a new random id when omitted.</param>
    /// <param name="metadata">
    /// Optional metadata, taken as it is (each value is sent as its own text); for metadata of a type of yours use
    /// <see cref="Create{T, TMetadata}(string, T, JsonTypeInfo{T}, TMetadata, JsonTypeInfo{TMetadata}, Guid?)"/>.
    /// </param>
    /// <returns>The new event.</returns>
    /// <exception cref="ArgumentException"><paramref name="eventType"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="payloadTypeInfo"/> is null.</exception>
    public static NewEvent Create<T>(
        string eventType,
        T payload,
        JsonTypeInfo<T> payloadTypeInfo,
        Guid? eventId = null,
        IReadOnlyDictionary<string, JsonElement>? metadata = null)
    {
        ThrowIfNoEventType(eventType);
        ArgumentNullException.ThrowIfNull(payloadTypeInfo);
        var element = JsonSerializer.SerializeToElement(payload, payloadTypeInfo);
        return new NewEvent(eventId ?? Guid.NewGuid(), eventType, metadata, element);
    }

    /// <summary>
    /// Creates an event whose payload and metadata are serialized with System.Text.Json's source-generated
    /// <paramref name="payloadTypeInfo"/> and <paramref name="metadataTypeInfo"/>, without reflection (for trimmed and
    /// Native AOT apps), and whose id is <paramref name="eventId"/>, or a new random id.
    /// </summary>
    /// <typeparam name="T">Type of the payload.</typeparam>
    /// <typeparam name="TMetadata">Type of the metadata; it must serialize to a JSON object.</typeparam>
    /// <param name="eventType">Type of the event, telling readers how to read the payload.</param>
    /// <param name="payload">The event's data.</param>
    /// <param name="payloadTypeInfo">Metadata of <typeparamref name="T"/>, from a source-generated context of yours.</param>
    /// <param name="metadata">
    /// The event's metadata: correlation and causation ids and the like. Read it back with
    /// <see cref="RecordedEvent.GetMetadata{T}(JsonTypeInfo{T})"/>.
    /// </param>
    /// <param name="metadataTypeInfo">Metadata of <typeparamref name="TMetadata"/>, from a source-generated context of yours.</param>
    /// <param name="eventId">Idempotency key of the event; a new random id when omitted.</param>
    /// <returns>The new event.</returns>
    /// <exception cref="ArgumentException">
    /// <paramref name="eventType"/> is null or empty, or <paramref name="metadata"/> does not serialize to a JSON object
    /// (a string, a number, an array, null) or has a member twice.
    /// </exception>
    /// <exception cref="ArgumentNullException"><paramref name="payloadTypeInfo"/> or <paramref name="metadataTypeInfo"/> is null.</exception>
    public static NewEvent Create<T, TMetadata>(
        string eventType,
        T payload,
        JsonTypeInfo<T> payloadTypeInfo,
        TMetadata metadata,
        JsonTypeInfo<TMetadata> metadataTypeInfo,
        Guid? eventId = null)
    {
        ThrowIfNoEventType(eventType);
        ArgumentNullException.ThrowIfNull(payloadTypeInfo);
        ArgumentNullException.ThrowIfNull(metadataTypeInfo);
        var element = JsonSerializer.SerializeToElement(payload, payloadTypeInfo);
        var members = ReadMembers(JsonSerializer.SerializeToElement(metadata, metadataTypeInfo), typeof(TMetadata), nameof(metadata));
        return new NewEvent(eventId ?? Guid.NewGuid(), eventType, members, element);
    }

    private static void ThrowIfNoEventType(string eventType)
    {
        if (string.IsNullOrEmpty(eventType))
        {
            throw new ArgumentException("An event needs an event type.", nameof(eventType));
        }
    }

    [RequiresUnreferencedCode(ReflectionJson.UnreferencedCode)]
    [RequiresDynamicCode(ReflectionJson.DynamicCode)]
    private static IReadOnlyDictionary<string, JsonElement>? ToMetadata(object? metadata, JsonSerializerOptions options) =>
        metadata switch
        {
            null => null,
            IReadOnlyDictionary<string, JsonElement> members => members,
            _ => ReadMembers(JsonSerializer.SerializeToElement(metadata, metadata.GetType(), options), metadata.GetType(), nameof(metadata)),
        };

    private static Dictionary<string, JsonElement> ReadMembers(JsonElement element, Type metadataType, string parameterName)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException(
                $"The metadata must serialize to a JSON object; a {metadataType.Name} serializes to a JSON value of kind {element.ValueKind}.",
                parameterName);
        }

        var read = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var member in element.EnumerateObject())
        {
            // The server refuses a member given twice; which one a dictionary kept would be a guess.
            if (!read.TryAdd(member.Name, member.Value))
            {
                throw new ArgumentException($"The metadata has the member '{member.Name}' twice.", parameterName);
            }
        }

        return read;
    }
}

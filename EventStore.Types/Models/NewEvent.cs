using System.Text.Json;

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
    /// as its own text). Read it back with <see cref="RecordedEvent.GetMetadata{T}"/>.
    /// </param>
    /// <param name="options">Serializer options of payload and metadata; <see cref="EventStoreJson.Options"/> when omitted.</param>
    /// <returns>The new event.</returns>
    /// <exception cref="ArgumentException">
    /// <paramref name="eventType"/> is null or empty, or <paramref name="metadata"/> does not serialize to a JSON object
    /// (a string, a number, an array, null) or has a member twice.
    /// </exception>
    public static NewEvent Create<T>(
        string eventType,
        T payload,
        Guid? eventId = null,
        object? metadata = null,
        JsonSerializerOptions? options = null)
    {
        if (string.IsNullOrEmpty(eventType))
        {
            throw new ArgumentException("An event needs an event type.", nameof(eventType));
        }

        options ??= EventStoreJson.Options;
        var element = JsonSerializer.SerializeToElement(payload, options);
        return new NewEvent(eventId ?? Guid.NewGuid(), eventType, ToMetadata(metadata, options), element);
    }

    private static IReadOnlyDictionary<string, JsonElement>? ToMetadata(object? metadata, JsonSerializerOptions options)
    {
        switch (metadata)
        {
            case null:
                return null;
            case IReadOnlyDictionary<string, JsonElement> members:
                return members;
        }

        var element = JsonSerializer.SerializeToElement(metadata, metadata.GetType(), options);
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException(
                $"The metadata must serialize to a JSON object; a {metadata.GetType().Name} serializes to a JSON value of kind {element.ValueKind}.",
                nameof(metadata));
        }

        var read = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var member in element.EnumerateObject())
        {
            // The server refuses a member given twice; which one a dictionary kept would be a guess.
            if (!read.TryAdd(member.Name, member.Value))
            {
                throw new ArgumentException($"The metadata has the member '{member.Name}' twice.", nameof(metadata));
            }
        }

        return read;
    }
}

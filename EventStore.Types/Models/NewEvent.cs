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
    /// <param name="metadata">Optional metadata: correlation and causation ids and the like.</param>
    /// <param name="options">Serializer options; <see cref="EventStoreJson.Options"/> when omitted.</param>
    /// <returns>The new event.</returns>
    /// <exception cref="ArgumentException"><paramref name="eventType"/> is null or empty.</exception>
    public static NewEvent Create<T>(
        string eventType,
        T payload,
        Guid? eventId = null,
        IReadOnlyDictionary<string, JsonElement>? metadata = null,
        JsonSerializerOptions? options = null)
    {
        if (string.IsNullOrEmpty(eventType))
        {
            throw new ArgumentException("An event needs an event type.", nameof(eventType));
        }

        var element = JsonSerializer.SerializeToElement(payload, options ?? EventStoreJson.Options);
        return new NewEvent(eventId ?? Guid.NewGuid(), eventType, metadata, element);
    }
}

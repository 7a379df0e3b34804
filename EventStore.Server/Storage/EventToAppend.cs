namespace ServerlessEventStore.Server.Storage;

/// <summary>
/// One validated event to store. Payload and metadata are raw JSON text so that they are stored and returned exactly as
/// the caller sent them, whatever JSON value they are.
/// </summary>
/// <param name="EventId">Idempotency key chosen by the caller, if any.</param>
/// <param name="EventType">Type of the event.</param>
/// <param name="PayloadJson">The payload as JSON text.</param>
/// <param name="MetadataJson">The metadata as a JSON object text, or <see langword="null"/>.</param>
public sealed record EventToAppend(Guid? EventId, string EventType, string PayloadJson, string? MetadataJson);

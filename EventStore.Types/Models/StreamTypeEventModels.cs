namespace ServerlessEventStore.Types;

// The models of GET /streams/{streamType}/events, generated (Generated/EventStore.Types.g.cs) as partial classes; these
// declarations seal them.

/// <summary>An event of a stream type with the checkpoint after it: save the checkpoint once the event is handled.</summary>
public sealed partial class SubscribedEvent;

/// <summary>A page of the events of a stream type after a checkpoint, with the checkpoint to read on from.</summary>
public sealed partial class StreamTypeEventPage;

/// <summary>Response envelope holding a <see cref="Types.StreamTypeEventPage"/>.</summary>
public sealed partial class StreamTypeEventPageResponse;

namespace ServerlessEventStore.Types;

// The contract's models are generated (Generated/EventStore.Types.g.cs) as partial classes; these declarations seal them.

/// <summary>Status of the event store, answered by <c>GET /liveness-check</c>.</summary>
public sealed partial class SystemStatus;

/// <summary>A stream and its current revision: the number of events it holds.</summary>
public sealed partial class StreamDetails;

/// <summary>A page of events in revision order, with what is needed to read the next one.</summary>
public sealed partial class EventPage;

/// <summary>A page of streams, least recently updated first, with the key of the next page.</summary>
public sealed partial class StreamPage;

/// <summary>A page of the stream types that have streams, in the store's order, with the key of the next page.</summary>
public sealed partial class StreamTypePage;

/// <summary>Body of <c>POST /streams/{streamType}</c>: the first event of a new stream.</summary>
public sealed partial class CreateStreamRequest;

/// <summary>Body of <c>PUT /streams/{streamType}/{streamId}/events/{streamRevision}</c>: one event, or a batch appended atomically.</summary>
public sealed partial class AppendEventsRequest;

/// <summary>Response envelope holding a <see cref="Types.StreamDetails"/>.</summary>
public sealed partial class StreamResponse;

/// <summary>Response envelope holding a <see cref="Types.StreamPage"/>.</summary>
public sealed partial class StreamPageResponse;

/// <summary>Response envelope holding a <see cref="Types.StreamTypePage"/>.</summary>
public sealed partial class StreamTypePageResponse;

/// <summary>Response envelope holding an <see cref="Types.EventPage"/>.</summary>
public sealed partial class EventPageResponse;

/// <summary>RFC 9457 problem details returned with every error, carrying the request id and, on 409, the current revision.</summary>
public sealed partial class Problem;

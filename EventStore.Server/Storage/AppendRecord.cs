namespace ServerlessEventStore.Server.Storage;

/// <summary>
/// The record a store keeps of an append at the end of a stream (<c>any</c>, <c>stream-exists</c>), keyed by the
/// stream and the append's first event id: where it landed, so that a repeat of it — which can't know its revisions —
/// is recognised however much the stream has grown since, without a time window.
/// </summary>
/// <param name="FirstRevision">Revision of the append's first event.</param>
/// <param name="EventCount">How many events it appended.</param>
public sealed record AppendRecord(int FirstRevision, int EventCount);

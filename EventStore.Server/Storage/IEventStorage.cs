using ServerlessEventStore.Types;

namespace ServerlessEventStore.Server.Storage;

/// <summary>
/// The storage port: everything the HTTP API needs from a store. Every adapter (SQLite, DynamoDB) implements it with the
/// same behaviour, proven by the same conformance suite. Inputs are already validated; faults of the store surface as
/// <see cref="StorageUnavailableException"/>.
/// </summary>
public interface IEventStorage
{
    /// <summary>Prepares the store (creates the schema when it is missing); called once at start-up.</summary>
    /// <param name="cancellationToken">Cancels the preparation.</param>
    /// <returns>A task completing when the store is ready.</returns>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Appends the events of <paramref name="append"/> atomically, the first at <see cref="StreamAppend.FirstRevision"/>.
    /// The whole decision is taken by the store in one step, so an adapter can answer in one round trip.
    /// </summary>
    /// <param name="append">The stream and the events to append.</param>
    /// <param name="cancellationToken">Cancels the append.</param>
    /// <returns>What happened: appended, already appended (idempotent repeat), wrong expected revision, or no such stream.</returns>
    Task<AppendOutcome> AppendAsync(StreamAppend append, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes a stream (soft: it reads as gone; hard: its events are removed too) or removes its events before a
    /// revision, as <see cref="RemovalDecision"/> decides; the change is published like an append's, marked as such.
    /// A store may remove events in bounded batches (<see cref="RemovalOutcome.MoreToRemove"/>): the same removal,
    /// repeated, goes on where it stopped.
    /// </summary>
    /// <param name="removal">The delete or truncation.</param>
    /// <param name="cancellationToken">Cancels the removal (what is removed stays removed).</param>
    /// <returns>What happened.</returns>
    Task<RemovalOutcome> RemoveAsync(StreamRemoval removal, CancellationToken cancellationToken);

    /// <summary>Reads the details of a stream.</summary>
    /// <param name="streamType">Type of the stream.</param>
    /// <param name="streamId">Id of the stream.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The stream, or <see langword="null"/> when no stream of this type has this id.</returns>
    /// <exception cref="StreamDeletedException">The stream was deleted (also for <see cref="GetEventsAsync"/>).</exception>
    Task<StreamDetails?> GetStreamAsync(string streamType, Guid streamId, CancellationToken cancellationToken);

    /// <summary>Reads a page of a stream's events: a range of revisions, forward or backward.</summary>
    /// <param name="read">The stream, the range, the direction and the page size.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>
    /// The page, in the read's direction (its last evaluated revision is the last event's), or <see langword="null"/>
    /// when no stream of this type has this id.
    /// </returns>
    Task<EventPage?> GetEventsAsync(EventRead read, CancellationToken cancellationToken);

    /// <summary>Reads a page of the streams of a type (deleted ones left out), ordered by (updatedAt, streamId).</summary>
    /// <param name="streamType">Type of the streams.</param>
    /// <param name="updatedAfter">Only streams updated at or after this time.</param>
    /// <param name="after">Position after which the page starts (from the previous page's key), or <see langword="null"/>.</param>
    /// <param name="limit">Most streams in the page.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The page, with a next page key when there are more streams.</returns>
    Task<StreamPage> GetStreamsAsync(string streamType, DateTimeOffset updatedAfter, StreamPageKey? after, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Reads a page of the stream types that have streams: a type is listed once its first stream is created, each type
    /// once, in an order of the store's that stays the same from page to page.
    /// </summary>
    /// <param name="after">Position after which the page starts (from the previous page's key), or <see langword="null"/>.</param>
    /// <param name="limit">Most stream types in the page.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The page, with a next page key when there are more stream types.</returns>
    Task<StreamTypePage> GetStreamTypesAsync(StreamTypePageKey? after, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Reads a page of the events of every stream of a type after <paramref name="after"/>, in the store's order across
    /// streams, each stream's events in revision order: the read of a catch-up subscription.
    /// </summary>
    /// <param name="streamType">Type of the streams.</param>
    /// <param name="after">Only events after this checkpoint (<see cref="EventCheckpoint.Start"/> for all).</param>
    /// <param name="limit">Most events in the page.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>
    /// The page: each event with the checkpoint after it, and the checkpoint to read on from (the last event's when there
    /// are more; otherwise as far as the store can tell nothing more can appear before it).
    /// </returns>
    Task<StreamTypeEventPage> GetStreamTypeEventsAsync(string streamType, EventCheckpoint after, int limit, CancellationToken cancellationToken);
}

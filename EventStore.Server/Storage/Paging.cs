using ServerlessEventStore.Types;

namespace ServerlessEventStore.Server.Storage;

/// <summary>
/// Turns what an adapter fetched (up to one more item than the limit, so that "has more" is exact) into the pages of the
/// API. Shared so that every adapter pages the same way.
/// </summary>
public static class Paging
{
    /// <summary>Builds a page of events from up to <paramref name="limit"/> + 1 fetched events.</summary>
    /// <param name="fetched">Events in revision order, at most <paramref name="limit"/> + 1.</param>
    /// <param name="limit">Most events in the page.</param>
    /// <returns>The page; its last evaluated revision is the revision of its last event, or null when it is empty.</returns>
    public static EventPage ToEventPage(IReadOnlyList<RecordedEvent> fetched, int limit) => ToEventPage(fetched, limit, storeStoppedEarly: false);

    /// <summary>
    /// Builds a page of events from what a store fetched, when the store may stop before <paramref name="limit"/> + 1
    /// events (DynamoDB stops a query at 1 MB) while more are stored.
    /// </summary>
    /// <param name="fetched">Events in revision order, at most <paramref name="limit"/> + 1.</param>
    /// <param name="limit">Most events in the page.</param>
    /// <param name="storeStoppedEarly">Whether the store stopped reading before the end of the stream.</param>
    /// <returns>The page; a non-empty page read short of the end has more, so that the caller reads on after it.</returns>
    public static EventPage ToEventPage(IReadOnlyList<RecordedEvent> fetched, int limit, bool storeStoppedEarly)
    {
        var events = Page(fetched, limit, storeStoppedEarly, out var hasMore);
        return new EventPage(events, hasMore, events.Count == 0 ? null : events[^1].Revision);
    }

    /// <summary>Builds a page of streams from up to <paramref name="limit"/> + 1 fetched streams.</summary>
    /// <param name="fetched">Streams in (updatedAt, streamId) order, at most <paramref name="limit"/> + 1.</param>
    /// <param name="limit">Most streams in the page.</param>
    /// <returns>The page; it has a next page key exactly when there are more streams.</returns>
    public static StreamPage ToStreamPage(IReadOnlyList<StreamDetails> fetched, int limit) => ToStreamPage(fetched, limit, storeStoppedEarly: false);

    /// <summary>
    /// Builds a page of streams from what a store fetched, when the store may stop before <paramref name="limit"/> + 1
    /// streams (DynamoDB stops a query at 1 MB) while more are stored.
    /// </summary>
    /// <param name="fetched">Streams in (updatedAt, streamId) order, at most <paramref name="limit"/> + 1.</param>
    /// <param name="limit">Most streams in the page.</param>
    /// <param name="storeStoppedEarly">Whether the store stopped reading before the last stream of the type.</param>
    /// <returns>The page; a non-empty page read short of the end has more, and a next page key after its last stream.</returns>
    public static StreamPage ToStreamPage(IReadOnlyList<StreamDetails> fetched, int limit, bool storeStoppedEarly)
    {
        var streams = Page(fetched, limit, storeStoppedEarly, out var hasMore);
        var nextPageKey = hasMore ? new StreamPageKey(streams[^1].UpdatedAt, streams[^1].StreamId).Encode() : null;
        return new StreamPage(hasMore, nextPageKey, streams);
    }

    /// <summary>
    /// Builds a page of stream types from what a store fetched: up to <paramref name="limit"/> + 1 types, or fewer when
    /// the store may have stopped early (DynamoDB stops a query at 1 MB).
    /// </summary>
    /// <param name="fetched">Stream types in the store's order, at most <paramref name="limit"/> + 1.</param>
    /// <param name="limit">Most stream types in the page.</param>
    /// <param name="storeStoppedEarly">Whether the store stopped reading before the last stream type.</param>
    /// <returns>The page; it has a next page key, after its last type, exactly when it has more.</returns>
    public static StreamTypePage ToStreamTypePage(IReadOnlyList<string> fetched, int limit, bool storeStoppedEarly)
    {
        var streamTypes = Page(fetched, limit, storeStoppedEarly, out var hasMore);
        return new StreamTypePage(hasMore, hasMore ? new StreamTypePageKey(streamTypes[^1]).Encode() : null, streamTypes);
    }

    // A non-empty page read short of the end has more, so that the caller reads on after it.
    private static IReadOnlyList<T> Page<T>(IReadOnlyList<T> fetched, int limit, bool storeStoppedEarly, out bool hasMore)
    {
        ArgumentNullException.ThrowIfNull(fetched);
        hasMore = fetched.Count > limit || (storeStoppedEarly && fetched.Count > 0);
        return hasMore ? fetched.Take(limit).ToList() : fetched;
    }

    /// <summary>Builds a page of a stream type's events from up to <paramref name="limit"/> + 1 fetched events.</summary>
    /// <param name="fetched">Events in the store's order after <paramref name="after"/>, each with its checkpoint; at most <paramref name="limit"/> + 1.</param>
    /// <param name="limit">Most events in the page.</param>
    /// <param name="storeStoppedEarly">Whether the store stopped reading before the end of what it can deliver now.</param>
    /// <param name="after">The checkpoint the read started after.</param>
    /// <param name="readThrough">
    /// How far the read saw everything there can be, when the store knows more than its last event (DynamoDB: its
    /// high-water mark); <see langword="null"/>: up to the last event read, or <paramref name="after"/> when there was none.
    /// </param>
    /// <returns>
    /// The page; its checkpoint is its last event's when there are more, and otherwise how far the read saw everything.
    /// </returns>
    public static StreamTypeEventPage ToStreamTypeEventPage(
        IReadOnlyList<(RecordedEvent Event, EventCheckpoint Checkpoint)> fetched,
        int limit,
        bool storeStoppedEarly,
        EventCheckpoint after,
        EventCheckpoint? readThrough)
    {
        ArgumentNullException.ThrowIfNull(fetched);
        ArgumentNullException.ThrowIfNull(after);
        var hasMore = fetched.Count > limit || (storeStoppedEarly && fetched.Count > 0);
        var events = hasMore ? fetched.Take(limit).ToList() : fetched;
        var last = events.Count > 0 ? events[^1].Checkpoint : after;
        var checkpoint = hasMore ? last : readThrough ?? last;
        return new StreamTypeEventPage(checkpoint.Encode(), [.. events.Select(e => new SubscribedEvent(e.Checkpoint.Encode(), e.Event))], hasMore);
    }
}

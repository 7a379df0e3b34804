using ServerlessEventStore.Types;

namespace ServerlessEventStore.Server.Storage;

/// <summary>
/// A read of a stream's events: those whose revision lies strictly between <see cref="AfterRevision"/> and
/// <see cref="BeforeRevision"/>, in <see cref="Direction"/>, at most <see cref="Limit"/> of them. Forward, the lowest
/// revisions of the range come first; backward, the highest.
/// </summary>
/// <param name="StreamType">Type of the stream.</param>
/// <param name="StreamId">Id of the stream.</param>
/// <param name="AfterRevision">Only events with a greater revision (0: no lower bound).</param>
/// <param name="BeforeRevision">Only events with a smaller revision; <see langword="null"/>: no upper bound.</param>
/// <param name="Direction">The order of the events.</param>
/// <param name="Limit">Most events in the page.</param>
public sealed record EventRead(string StreamType, Guid StreamId, int AfterRevision, int? BeforeRevision, ReadDirection Direction, int Limit)
{
    /// <summary>A forward read after <paramref name="afterRevision"/>, the original API's read.</summary>
    /// <param name="streamType">Type of the stream.</param>
    /// <param name="streamId">Id of the stream.</param>
    /// <param name="afterRevision">Only events with a greater revision (0 for all).</param>
    /// <param name="limit">Most events in the page.</param>
    /// <returns>The read.</returns>
    public static EventRead Forward(string streamType, Guid streamId, int afterRevision, int limit) =>
        new(streamType, streamId, afterRevision, null, ReadDirection.Forward, limit);

    /// <summary>A backward read before <paramref name="beforeRevision"/> (from the end when <see langword="null"/>).</summary>
    /// <param name="streamType">Type of the stream.</param>
    /// <param name="streamId">Id of the stream.</param>
    /// <param name="beforeRevision">Only events with a smaller revision; <see langword="null"/> for all.</param>
    /// <param name="limit">Most events in the page.</param>
    /// <returns>The read.</returns>
    public static EventRead Backward(string streamType, Guid streamId, int? beforeRevision, int limit) =>
        new(streamType, streamId, 0, beforeRevision, ReadDirection.Backward, limit);

    /// <summary>Whether the highest revisions come first.</summary>
    public bool IsBackward => Direction == ReadDirection.Backward;

    /// <summary>The lowest revision the read can return.</summary>
    public int LowestRevision => AfterRevision + 1;

    /// <summary>The highest revision the read can return (<see cref="int.MaxValue"/> without an upper bound).</summary>
    public int HighestRevision => BeforeRevision is { } before ? before - 1 : int.MaxValue;
}

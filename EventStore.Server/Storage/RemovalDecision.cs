using ServerlessEventStore.Types;

namespace ServerlessEventStore.Server.Storage;

/// <summary>
/// The rules of deletes and truncations, in one place, for every store: given the stream's header, the removal is
/// refused, already done, or the header to write (then, for a hard delete or a truncation, the events to remove: those
/// below <see cref="StreamHeader.TruncatedBefore"/>, or all of a hard-deleted stream). Idempotent by construction: a
/// removal repeated on the header it wrote asks for no new write, only for the removal of what is left. Pure.
/// </summary>
public static class RemovalDecision
{
    /// <summary>What becomes of <paramref name="removal"/> given the stream's <paramref name="header"/>.</summary>
    /// <param name="removal">The delete or truncation.</param>
    /// <param name="header">The stream as stored, or <see langword="null"/> when it does not exist.</param>
    /// <returns>
    /// The outcome when it is refused (<see cref="RemovalVerdict.Done"/>), else the header the stream must have
    /// (<see cref="RemovalVerdict.Write"/>; the same header when nothing changes) with the events to remove.
    /// </returns>
    public static RemovalVerdict Decide(StreamRemoval removal, StreamHeader? header)
    {
        ArgumentNullException.ThrowIfNull(removal);
        if (header is null || header.StreamType != removal.StreamType)
        {
            return new RemovalVerdict.Done(new RemovalOutcome.StreamNotFound());
        }

        if (removal.ExpectedRevision is { } expected && expected != header.Revision)
        {
            return new RemovalVerdict.Done(new RemovalOutcome.WrongExpectedRevision(header.Revision));
        }

        if (removal.Mode is { } mode)
        {
            // Hard outranks soft: a soft delete of a hard-deleted stream changes nothing, a hard one of a soft-deleted
            // stream removes its events.
            var deleted = header.Deleted is DeleteMode.Hard ? DeleteMode.Hard : mode;
            return new RemovalVerdict.Write(header with { Deleted = deleted }, Changed: header.Deleted != deleted);
        }

        if (header.IsDeleted)
        {
            return new RemovalVerdict.Done(new RemovalOutcome.StreamDeleted());
        }

        if ((long)removal.TruncateBefore > (long)header.Revision + 1)
        {
            return new RemovalVerdict.Done(new RemovalOutcome.WrongExpectedRevision(header.Revision));
        }

        var before = Math.Max(header.TruncatedBefore, removal.TruncateBefore);
        return new RemovalVerdict.Write(header with { TruncatedBefore = before }, Changed: before != header.TruncatedBefore);
    }

    /// <summary>
    /// The events <paramref name="removal"/> removes from a stream with <paramref name="header"/> (as the removal wrote
    /// it): those below the returned revision — past the end for a hard delete, the truncation's revision for a
    /// truncation — or none (0) for a soft delete.
    /// </summary>
    /// <param name="removal">The delete or truncation.</param>
    /// <param name="header">The stream as written by the removal.</param>
    /// <returns>The first revision kept; 0 when the removal removes no events.</returns>
    public static long RemovedBelow(StreamRemoval removal, StreamHeader header)
    {
        ArgumentNullException.ThrowIfNull(removal);
        ArgumentNullException.ThrowIfNull(header);
        if (!removal.RemovesEvents)
        {
            return 0;
        }

        return header.Deleted is DeleteMode.Hard ? (long)int.MaxValue + 1 : header.TruncatedBefore;
    }
}

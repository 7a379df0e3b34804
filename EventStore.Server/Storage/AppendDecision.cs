using ServerlessEventStore.Types;

namespace ServerlessEventStore.Server.Storage;

/// <summary>
/// The append rules of every store, in one place: what becomes of an append given what is stored. A store reads what
/// the rules ask for — the stream's header, and for a possible repeat the event ids at the append's revisions — and
/// writes only when told to. An append at the end of the stream is first anchored (<see cref="Anchor"/>) where the stream
/// is, then decided like any other. Pure: no store, no clock.
/// </summary>
public static class AppendDecision
{
    /// <summary>What becomes of <paramref name="append"/> given the stream's <paramref name="header"/>.</summary>
    /// <param name="append">The append.</param>
    /// <param name="header">The stream as stored, or <see langword="null"/> when it does not exist.</param>
    /// <returns>
    /// <see cref="AppendVerdict.Write"/>: store it. <see cref="AppendVerdict.CompareEventIds"/>: it could be a repeat;
    /// read the stored event ids at its revisions and call <see cref="Repeat"/>. Otherwise the outcome.
    /// </returns>
    public static AppendVerdict Decide(StreamAppend append, StreamHeader? header)
    {
        ArgumentNullException.ThrowIfNull(append);
        if (header is null)
        {
            return append.ExpectedRevision == 0 ? AppendVerdict.Write.Instance : new AppendVerdict.Done(new AppendOutcome.StreamNotFound());
        }

        if (header.StreamType != append.StreamType)
        {
            // A stream of another type is an unknown stream: types are not a namespace one can probe across.
            return new AppendVerdict.Done(new AppendOutcome.StreamNotFound());
        }

        if (header.IsDeleted)
        {
            return new AppendVerdict.Done(new AppendOutcome.StreamDeleted());
        }

        if (header.Revision == append.ExpectedRevision)
        {
            return AppendVerdict.Write.Instance;
        }

        return CouldBeRepeat(append, header.Revision)
            ? AppendVerdict.CompareEventIds.Instance
            : new AppendVerdict.Done(new AppendOutcome.WrongExpectedRevision(header.Revision));
    }

    /// <summary>
    /// What becomes of an append at the end of the stream (<c>any</c>, <c>stream-exists</c>) given the stream's
    /// <paramref name="header"/> and the store's record of an earlier append with the same first event id, if any.
    /// </summary>
    /// <param name="append">The append, not yet anchored.</param>
    /// <param name="header">The stream as stored, or <see langword="null"/> when it does not exist.</param>
    /// <param name="record">The record of an append with the same first event id in this stream, or <see langword="null"/>.</param>
    /// <returns>
    /// <see cref="AppendVerdict.WriteAt"/>: store it where the stream is now. <see cref="AppendVerdict.CompareEventIdsAt"/>:
    /// it could be a repeat of the recorded append; read the stored ids at its revisions and call <see cref="Repeat"/>.
    /// Otherwise the outcome.
    /// </returns>
    /// <exception cref="ArgumentException">The append is at an exact revision.</exception>
    public static AppendVerdict Anchor(StreamAppend append, StreamHeader? header, AppendRecord? record)
    {
        ArgumentNullException.ThrowIfNull(append);
        if (!append.IsAtTheEnd)
        {
            throw new ArgumentException("Only an append at the end of a stream is anchored by the store.", nameof(append));
        }

        if (header is null)
        {
            return append.Requested.IsAny ? new AppendVerdict.WriteAt(append.At(0)) : new AppendVerdict.Done(new AppendOutcome.StreamNotFound());
        }

        if (header.StreamType != append.StreamType)
        {
            return new AppendVerdict.Done(new AppendOutcome.StreamNotFound());
        }

        if (header.IsDeleted)
        {
            return new AppendVerdict.Done(new AppendOutcome.StreamDeleted());
        }

        if (record is not null)
        {
            // Ids identify events: an append with another number of events is not this one, whatever its first id.
            return record.EventCount == append.Events.Count
                ? new AppendVerdict.CompareEventIdsAt(append.At(record.FirstRevision - 1))
                : new AppendVerdict.Done(new AppendOutcome.WrongExpectedRevision(header.Revision));
        }

        return (long)header.Revision + append.Events.Count > int.MaxValue
            ? new AppendVerdict.Done(new AppendOutcome.WrongExpectedRevision(header.Revision))
            : new AppendVerdict.WriteAt(append.At(header.Revision));
    }

    /// <summary>
    /// The outcome of an append that could be a repeat (<see cref="AppendVerdict.CompareEventIds"/>): already appended
    /// when the stored events at its revisions have exactly its event ids, in order; a conflict otherwise.
    /// </summary>
    /// <param name="append">The append.</param>
    /// <param name="header">The stream as stored.</param>
    /// <param name="storedEventIds">Ids of the stored events at the append's revisions, in revision order.</param>
    /// <returns>The outcome.</returns>
    public static AppendOutcome Repeat(StreamAppend append, StreamHeader header, IReadOnlyList<Guid?> storedEventIds)
    {
        ArgumentNullException.ThrowIfNull(append);
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(storedEventIds);
        return CouldBeRepeat(append, header.Revision) && storedEventIds.SequenceEqual(append.Events.Select(e => e.EventId))
            ? new AppendOutcome.AlreadyAppended(header.ToDetails(append.StreamId))
            : new AppendOutcome.WrongExpectedRevision(header.Revision);
    }

    /// <summary>
    /// The outcome of an append that found events at its revisions although the header allowed it: something wrote them
    /// around the header (no store of this server does). Decided from what is stored, as any conflict: a stream
    /// without a header is not one to append to or to have appended to (a conflict at the highest stored revision); with
    /// a header, the stream counts as being at its highest stored revision.
    /// </summary>
    /// <param name="append">The append.</param>
    /// <param name="header">The stream's header as stored now, or <see langword="null"/>.</param>
    /// <param name="highestStoredRevision">The highest revision of the events stored in the stream.</param>
    /// <param name="storedEventIds">Ids of the stored events at the append's revisions, in revision order.</param>
    /// <returns>The outcome.</returns>
    public static AppendOutcome AroundHeader(StreamAppend append, StreamHeader? header, int highestStoredRevision, IReadOnlyList<Guid?> storedEventIds)
    {
        ArgumentNullException.ThrowIfNull(append);
        if (header is null)
        {
            return new AppendOutcome.WrongExpectedRevision(highestStoredRevision);
        }

        if (header.StreamType != append.StreamType)
        {
            return new AppendOutcome.StreamNotFound();
        }

        if (header.IsDeleted)
        {
            return new AppendOutcome.StreamDeleted();
        }

        return Repeat(append, header with { Revision = Math.Max(header.Revision, highestStoredRevision) }, storedEventIds);
    }

    /// <summary>The stream the append makes, when it is stored at <paramref name="now"/>.</summary>
    /// <param name="append">The append.</param>
    /// <param name="now">The time of the write.</param>
    /// <returns>The outcome of a stored append.</returns>
    public static AppendOutcome.Appended Appended(StreamAppend append, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(append);
        return new AppendOutcome.Appended(new StreamDetails(append.LastRevision, append.StreamId, append.StreamType, now));
    }

    // A repeat carries an id on every event, and the stream already reaches its last revision.
    private static bool CouldBeRepeat(StreamAppend append, int currentRevision) =>
        append.HasEventIds && currentRevision >= append.LastRevision;
}

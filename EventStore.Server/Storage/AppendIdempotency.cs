namespace ServerlessEventStore.Server.Storage;

/// <summary>
/// When an append that does not fit the stream's revision is a repeat of one already stored. One rule for every adapter:
/// every event of the append carries an event id, and the events stored at the append's revisions have exactly those
/// ids, in order. Anything else is a conflict.
/// </summary>
public static class AppendIdempotency
{
    /// <summary>
    /// Whether the append could be a repeat at all, before reading stored events: every event has an id and the stream
    /// already reaches the append's last revision.
    /// </summary>
    /// <param name="append">The append.</param>
    /// <param name="currentRevision">The stream's current revision.</param>
    /// <returns><see langword="true"/> when stored event ids must be compared.</returns>
    public static bool CanBeRepeat(StreamAppend append, int currentRevision)
    {
        ArgumentNullException.ThrowIfNull(append);
        return currentRevision >= append.LastRevision && append.Events.All(e => e.EventId is not null);
    }

    /// <summary>Whether the append is a repeat of the events stored at its revisions.</summary>
    /// <param name="append">The append.</param>
    /// <param name="storedEventIds">Ids of the stored events at the append's revisions, in revision order.</param>
    /// <returns><see langword="true"/> when nothing must be stored and the append succeeds as it is.</returns>
    public static bool IsRepeat(StreamAppend append, IReadOnlyList<Guid?> storedEventIds)
    {
        ArgumentNullException.ThrowIfNull(append);
        ArgumentNullException.ThrowIfNull(storedEventIds);
        if (storedEventIds.Count != append.Events.Count)
        {
            return false;
        }

        for (var i = 0; i < storedEventIds.Count; i++)
        {
            if (append.Events[i].EventId is not { } id || storedEventIds[i] != id)
            {
                return false;
            }
        }

        return true;
    }
}

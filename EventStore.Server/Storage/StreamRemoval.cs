using ServerlessEventStore.Types;

namespace ServerlessEventStore.Server.Storage;

/// <summary>
/// A removal as the storage port takes it: the stream deleted (<see cref="Mode"/>) or its events before a revision removed
/// (<see cref="TruncateBefore"/>), optionally only if the stream is at <see cref="ExpectedRevision"/>. Made valid by
/// <see cref="Delete"/> and <see cref="Truncate"/>.
/// </summary>
public sealed record StreamRemoval
{
    private StreamRemoval(string streamType, Guid streamId, DeleteMode? mode, int truncateBefore, int? expectedRevision)
    {
        StreamType = streamType;
        StreamId = streamId;
        Mode = mode;
        TruncateBefore = truncateBefore;
        ExpectedRevision = expectedRevision;
    }

    /// <summary>Type of the stream.</summary>
    public string StreamType { get; }

    /// <summary>Id of the stream.</summary>
    public Guid StreamId { get; }

    /// <summary>How the stream is deleted; <see langword="null"/> for a truncation.</summary>
    public DeleteMode? Mode { get; }

    /// <summary>For a truncation, the first revision to keep (2 or more); 0 for a delete.</summary>
    public int TruncateBefore { get; }

    /// <summary>The revision the stream must be at, or <see langword="null"/> for any.</summary>
    public int? ExpectedRevision { get; }

    /// <summary>The change it makes, as its notification names it: <see cref="StreamChange.Deleted"/> or <see cref="StreamChange.Truncated"/>.</summary>
    public StreamChange Change => Mode is null ? StreamChange.Truncated : StreamChange.Deleted;

    /// <summary>Whether the stream's events are removed: a hard delete or a truncation.</summary>
    public bool RemovesEvents => Mode is DeleteMode.Hard || Mode is null;

    /// <summary>A delete of the stream.</summary>
    /// <param name="streamType">Type of the stream.</param>
    /// <param name="streamId">Id of the stream.</param>
    /// <param name="mode">Soft (events kept) or hard (events removed).</param>
    /// <param name="expectedRevision">The revision the stream must be at (1 or more), or <see langword="null"/> for any.</param>
    /// <returns>The removal.</returns>
    public static StreamRemoval Delete(string streamType, Guid streamId, DeleteMode mode, int? expectedRevision = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(streamType);
        if (expectedRevision is { } revision)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(revision, 1, nameof(expectedRevision));
        }

        return new StreamRemoval(streamType, streamId, mode, 0, expectedRevision);
    }

    /// <summary>A removal of the stream's events before <paramref name="beforeRevision"/>.</summary>
    /// <param name="streamType">Type of the stream.</param>
    /// <param name="streamId">Id of the stream.</param>
    /// <param name="beforeRevision">The first revision to keep: 2 or more.</param>
    /// <returns>The removal.</returns>
    public static StreamRemoval Truncate(string streamType, Guid streamId, int beforeRevision)
    {
        ArgumentException.ThrowIfNullOrEmpty(streamType);
        ArgumentOutOfRangeException.ThrowIfLessThan(beforeRevision, 2);
        return new StreamRemoval(streamType, streamId, null, beforeRevision, null);
    }
}

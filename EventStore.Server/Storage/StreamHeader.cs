using ServerlessEventStore.Types;

namespace ServerlessEventStore.Server.Storage;

/// <summary>
/// A stream as a store keeps it: its type, its revision (the number of events it holds), its last update, and whether
/// it was deleted or truncated.
/// </summary>
/// <param name="StreamType">Type of the stream.</param>
/// <param name="Revision">The stream's revision.</param>
/// <param name="UpdatedAt">When the stream was last appended to (or deleted).</param>
/// <param name="Deleted">How the stream was deleted, or <see langword="null"/> when it was not.</param>
/// <param name="TruncatedBefore">The first revision kept after a truncation; 0 when it was never truncated.</param>
public sealed record StreamHeader(string StreamType, int Revision, DateTimeOffset UpdatedAt, DeleteMode? Deleted = null, int TruncatedBefore = 0)
{
    /// <summary>Whether the stream was deleted (softly or hard).</summary>
    public bool IsDeleted => Deleted is not null;


    /// <summary>
    /// The stream as a read of <paramref name="streamType"/> sees it: <see langword="null"/> when there is none of that
    /// type; a deleted one is gone.
    /// </summary>
    /// <param name="header">The stream as stored, or <see langword="null"/>.</param>
    /// <param name="streamType">The type the read names.</param>
    /// <returns>The header, or <see langword="null"/> when no stream of this type has the id.</returns>
    /// <exception cref="StreamDeletedException">The stream was deleted.</exception>
    public static StreamHeader? ForRead(StreamHeader? header, string streamType)
    {
        if (header is null || header.StreamType != streamType)
        {
            return null;
        }

        return header.IsDeleted ? throw new StreamDeletedException($"The stream of type '{streamType}' was deleted.") : header;
    }

    /// <summary>The stream as the API returns it.</summary>
    /// <param name="streamId">Id of the stream.</param>
    /// <returns>The stream's details.</returns>
    public StreamDetails ToDetails(Guid streamId) => new(Revision, streamId, StreamType, UpdatedAt);
}

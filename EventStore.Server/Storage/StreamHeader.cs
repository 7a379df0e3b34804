using ServerlessEventStore.Types;

namespace ServerlessEventStore.Server.Storage;

/// <summary>A stream as a store keeps it: its type, its revision (the number of events it holds), its last update.</summary>
/// <param name="StreamType">Type of the stream.</param>
/// <param name="Revision">The stream's revision.</param>
/// <param name="UpdatedAt">When the stream was last appended to.</param>
public sealed record StreamHeader(string StreamType, int Revision, DateTimeOffset UpdatedAt)
{
    /// <summary>The stream as the API returns it.</summary>
    /// <param name="streamId">Id of the stream.</param>
    /// <returns>The stream's details.</returns>
    public StreamDetails ToDetails(Guid streamId) => new(Revision, streamId, StreamType, UpdatedAt);
}

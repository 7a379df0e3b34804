using ServerlessEventStore.Types;

namespace ServerlessEventStore.Server.Storage.DynamoDb;

/// <summary>A stream header as stored (<c>SK</c> = 0).</summary>
/// <param name="StreamType">Type of the stream.</param>
/// <param name="Revision">The stream's revision.</param>
/// <param name="UpdatedAt">When the stream was last appended to.</param>
internal sealed record StoredHeader(string StreamType, int Revision, DateTimeOffset UpdatedAt)
{
    public StreamDetails ToDetails(Guid streamId) => new(Revision, streamId, StreamType, UpdatedAt);
}

using Microsoft.Extensions.Logging;

namespace ServerlessEventStore.Client.Logging;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Debug, "Appending {EventCount} event(s) to {StreamType}/{StreamId} at expected revision {ExpectedRevision}")]
    public static partial void Appending(ILogger logger, int eventCount, string streamType, Guid streamId, string expectedRevision);

    [LoggerMessage(2, LogLevel.Debug, "Reading stream {StreamType}/{StreamId}")]
    public static partial void ReadingStream(ILogger logger, string streamType, Guid streamId);

    [LoggerMessage(3, LogLevel.Debug, "Reading a page of up to {PageSize} streams of type {StreamType}")]
    public static partial void ReadingStreamPage(ILogger logger, int pageSize, string streamType);

    [LoggerMessage(4, LogLevel.Debug, "Reading a page of up to {PageSize} events of {StreamType}/{StreamId} after revision {AfterRevision}")]
    public static partial void ReadingEventPage(ILogger logger, int pageSize, string streamType, Guid streamId, int afterRevision);

    [LoggerMessage(5, LogLevel.Debug, "Reading a page of up to {PageSize} stream types")]
    public static partial void ReadingStreamTypePage(ILogger logger, int pageSize);
    [LoggerMessage(16, LogLevel.Debug, "Reading a page of up to {PageSize} events of stream type {StreamType} after checkpoint {Checkpoint}")]
    public static partial void ReadingStreamTypeEventPage(ILogger logger, int pageSize, string streamType, string? checkpoint);
}

using ServerlessEventStore.Types;

namespace ServerlessEventStore.Client;

/// <summary>No stream of <see cref="StreamType"/> has the id <see cref="StreamId"/> (HTTP 404).</summary>
public class StreamNotFoundException : EventStoreException
{
    /// <summary>Creates an exception without a response; for mocking.</summary>
    public StreamNotFoundException()
    {
    }

    /// <summary>Creates an exception without a response; for mocking.</summary>
    /// <param name="message">What went wrong.</param>
    public StreamNotFoundException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception without a response; for mocking.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public StreamNotFoundException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for a 404 response.</summary>
    /// <param name="streamType">The stream type that was asked for.</param>
    /// <param name="streamId">The stream id that was asked for.</param>
    /// <param name="problem">The problem details of the response, if it had any.</param>
    /// <param name="requestId">The server's id of the request; the problem's request id when omitted.</param>
    /// <param name="innerException">The cause.</param>
    public StreamNotFoundException(string streamType, Guid streamId, Problem? problem, string? requestId = null, Exception? innerException = null)
        : base($"No stream of type '{streamType}' has the id {streamId}.", 404, problem, requestId, innerException)
    {
        StreamType = streamType;
        StreamId = streamId;
    }

    /// <summary>Creates an exception for a response that says the stream is not there, with its status.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="status">The HTTP status.</param>
    /// <param name="streamType">The stream type that was asked for.</param>
    /// <param name="streamId">The stream id that was asked for.</param>
    /// <param name="problem">The problem details of the response, if it had any.</param>
    /// <param name="requestId">The server's id of the request.</param>
    /// <param name="innerException">The cause.</param>
    private protected StreamNotFoundException(string message, int status, string streamType, Guid streamId, Problem? problem, string? requestId, Exception? innerException)
        : base(message, status, problem, requestId, innerException)
    {
        StreamType = streamType;
        StreamId = streamId;
    }

    /// <summary>The stream type that was asked for.</summary>
    public string? StreamType { get; }

    /// <summary>The stream id that was asked for.</summary>
    public Guid StreamId { get; }
}

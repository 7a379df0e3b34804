using ServerlessEventStore.Types;

namespace ServerlessEventStore.Client;

/// <summary>
/// The stream of <see cref="StreamNotFoundException.StreamType"/> with the id <see cref="StreamNotFoundException.StreamId"/>
/// was deleted (HTTP 410): it reads as gone and takes no events, and its id is not used again. A
/// <see cref="StreamNotFoundException"/>, so that code that treats a missing stream as gone needs no second
/// <c>catch</c>; catch this one first to tell the two apart.
/// </summary>
public class StreamDeletedException : StreamNotFoundException
{
    /// <summary>Creates an exception without a response; for mocking.</summary>
    public StreamDeletedException()
    {
    }

    /// <summary>Creates an exception without a response; for mocking.</summary>
    /// <param name="message">What went wrong.</param>
    public StreamDeletedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception without a response; for mocking.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public StreamDeletedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for a 410 response.</summary>
    /// <param name="streamType">The stream type that was asked for.</param>
    /// <param name="streamId">The stream id that was asked for.</param>
    /// <param name="problem">The problem details of the response, if it had any.</param>
    /// <param name="requestId">The server's id of the request; the problem's request id when omitted.</param>
    /// <param name="innerException">The cause.</param>
    public StreamDeletedException(string streamType, Guid streamId, Problem? problem, string? requestId = null, Exception? innerException = null)
        : base($"The stream of type '{streamType}' with the id {streamId} was deleted.", 410, streamType, streamId, problem, requestId, innerException)
    {
    }
}

using ServerlessEventStore.Types;

namespace ServerlessEventStore.Client;

/// <summary>
/// The event store answered a request with an error. <see cref="Status"/> is the HTTP status;
/// <see cref="Problem"/> holds the problem details the server sent, if any, and <see cref="RequestId"/> the id under
/// which the server logged the request. Subtypes: <see cref="StreamNotFoundException"/> and
/// <see cref="WrongExpectedRevisionException"/>.
/// </summary>
public class EventStoreException : Exception
{
    /// <summary>Creates an exception without a response; for mocking.</summary>
    public EventStoreException()
    {
    }

    /// <summary>Creates an exception without a response; for mocking.</summary>
    /// <param name="message">What went wrong.</param>
    public EventStoreException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception without a response; for mocking.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public EventStoreException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for an error response.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="status">The HTTP status of the response.</param>
    /// <param name="problem">The problem details of the response, if it had any.</param>
    /// <param name="requestId">The server's id of the request; the problem's request id when omitted.</param>
    /// <param name="innerException">The cause.</param>
    public EventStoreException(string message, int status, Problem? problem, string? requestId = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Status = status;
        Problem = problem;
        RequestId = requestId ?? problem?.RequestId;
    }

    /// <summary>The HTTP status of the response, e.g. 400, 413 or 503.</summary>
    public int Status { get; }

    /// <summary>The RFC 9457 problem details the server sent; <see langword="null"/> when the body was not problem details.</summary>
    public Problem? Problem { get; }

    /// <summary>The id of the request in the server's logs, if the server told it.</summary>
    public string? RequestId { get; }
}
